// What each CLI command does, given a database URL. Output goes through `out` so tests can
// read it; domain errors (AppError) are left to the caller to print.
import { eq } from "drizzle-orm";
import cliProgress from "cli-progress";
import postgres from "postgres";
import { connectDatabase } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { phases } from "@/db/schema";
import { seedRegistrations } from "@/scripts/seed/registrations";
import { AppError } from "@/lib/errors";
import { activatePhase } from "@/lib/phases/activate-phase";
import { createApiToken } from "@/lib/staff/create-api-token";
import { createStaffUser } from "@/lib/staff/create-staff-user";
import type { Command } from "./parse";

export interface CommandContext {
  /** The app's (runtime) role: staff, tokens, phases are made as the app would make them. */
  databaseUrl: string;
  /** The owner role (default databaseUrl): migrations and the bulk seed (it VACUUMs) run as it. */
  migrationUrl?: string;
  /** Granted its privileges after the migrations (db/privileges.ts). */
  runtimeRole?: string | null;
  out: (line: string) => void;
  /** Show a progress bar (on a terminal); otherwise print a line per chunk. */
  interactive: boolean;
}

export async function runCommand(command: Command, ctx: CommandContext): Promise<void> {
  // Every command works on a migrated database.
  await migrateDatabase(ctx.migrationUrl ?? ctx.databaseUrl, { runtimeRole: ctx.runtimeRole });
  switch (command.name) {
    case "migrate":
      ctx.out("Migrations applied.");
      return;
    case "staff:create":
      return withDb(ctx, async (db) => {
        const { user, generatedPassword } = await createStaffUser(db, null, command.input);
        ctx.out(`Created ${user.role} ${user.email} (id ${user.id}).`);
        if (generatedPassword) ctx.out(`Password (shown once): ${generatedPassword}`);
      });
    case "token:create":
      return withDb(ctx, async (db) => {
        const { token, row } = await createApiToken(db, null, { email: command.input.email, name: command.input.name ?? "cli" });
        ctx.out(`Created API token "${row.name}" for ${command.input.email} (id ${row.id}, expires ${row.expiresAt.toISOString()}).`);
        ctx.out(`Token (shown once): ${token}`);
      });
    case "phase:activate":
      return withDb(ctx, async (db) => {
        const [phase] = await db.select({ id: phases.id }).from(phases).where(eq(phases.slug, command.input.slug));
        if (!phase) throw new AppError("not_found", `No phase with slug "${command.input.slug}".`);
        const active = await activatePhase(db, null, phase.id);
        ctx.out(`Phase ${active.slug} is active (since ${active.activatedAt?.toISOString()}).`);
      });
    case "seed":
      return seed(command.input.registrations, command.input["chunk-size"], ctx);
  }
}

async function withDb(ctx: CommandContext, work: (db: ReturnType<typeof connectDatabase>["db"]) => Promise<void>): Promise<void> {
  const connection = connectDatabase(ctx.databaseUrl, { max: 2 });
  try {
    await work(connection.db);
  } finally {
    await connection.close();
  }
}

async function seed(count: number, chunkSize: number | undefined, ctx: CommandContext): Promise<void> {
  const sql = postgres(ctx.migrationUrl ?? ctx.databaseUrl, { max: 2, onnotice: () => {} });
  const bar = ctx.interactive
    ? new cliProgress.SingleBar(
        { format: "Seeding [{bar}] {percentage}% | {value}/{total} registrations | {duration_formatted} elapsed, ETA {eta_formatted}" },
        cliProgress.Presets.shades_classic,
      )
    : null;
  try {
    bar?.start(count, 0);
    const result = await seedRegistrations(sql, {
      count,
      chunkSize,
      onProgress: ({ inserted, total }) => (bar ? bar.update(inserted) : ctx.out(`seeded ${inserted}/${total}`)),
    });
    bar?.stop();
    const mix = Object.entries(result.byStatus)
      .sort((a, b) => b[1] - a[1])
      .map(([status, n]) => `${status} ${n}`)
      .join(", ");
    ctx.out(`Seeded ${result.inserted} registrations in ${(result.durationMs / 1000).toFixed(1)} s (${mix}).`);
  } finally {
    bar?.stop();
    await sql.end({ timeout: 5 });
  }
}
