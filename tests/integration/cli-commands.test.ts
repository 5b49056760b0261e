// The operators' CLI against a real database: each command's effect, and the exit codes and
// one-line errors of the real process.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCommand } from "../../scripts/cli/commands";
import { parseCommand } from "../../scripts/cli/parse";
import { authenticateApiToken } from "../../lib/staff/api-tokens";
import { verifyStaffCredentials } from "../../lib/staff/find-staff";
import { AppError } from "../../lib/errors";
import { insertPhase } from "../helpers/factories";
import { createTestDatabase, type TestDatabase } from "../helpers/database";

const root = path.resolve(import.meta.dirname, "../..");
let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});

async function cli(...argv: string[]): Promise<string[]> {
  const lines: string[] = [];
  await runCommand(parseCommand(argv), { databaseUrl: t.url, migrationUrl: t.ownerUrl, runtimeRole: null, out: (line) => lines.push(line), interactive: false });
  return lines;
}

function spawnCli(...argv: string[]) {
  const result = spawnSync(path.join(root, "node_modules/.bin/tsx"), ["scripts/cli.ts", ...argv], {
    cwd: root,
    // As in production: the app's runtime role, and the owner for migrations.
    env: { ...process.env, DATABASE_URL: t.url, MIGRATION_DATABASE_URL: t.ownerUrl },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("cli commands", () => {
  it("staff:create makes a staff member who can sign in with the password printed once", async () => {
    const out = await cli("staff:create", "--email", "Ops@Example.com", "--role", "growth");
    expect(out[0]).toMatch(/^Created growth ops@example\.com/);
    const password = out[1]!.replace("Password (shown once): ", "");
    expect(password.length).toBeGreaterThanOrEqual(12);
    expect(await verifyStaffCredentials(t.db, "ops@example.com", password)).toMatchObject({ role: "growth" });

    await expect(cli("staff:create", "--email", "ops@example.com", "--role", "admin")).rejects.toThrow(AppError);
    const own = await cli("staff:create", "--email", "chosen@example.com", "--role", "support", "--password", "a-chosen-password");
    expect(own).toHaveLength(1);
    expect(await verifyStaffCredentials(t.db, "chosen@example.com", "a-chosen-password")).not.toBeNull();
  });

  it("token:create prints a token that authenticates as that staff member", async () => {
    const out = await cli("token:create", "--email", "ops@example.com", "--name", "growth script");
    const token = out[1]!.replace("Token (shown once): ", "");
    const actor = await authenticateApiToken(t.db, token);
    expect(actor).toMatchObject({ email: "ops@example.com", role: "growth" });
    await expect(cli("token:create", "--email", "nobody@example.com")).rejects.toThrow(/No active staff member/);
  });

  it("phase:activate activates a phase by slug and closes the active one", async () => {
    const previous = await insertPhase(t.db, { slug: "cli-wave-1", status: "active", activatedAt: new Date() });
    await insertPhase(t.db, { slug: "cli-wave-2" });
    const out = await cli("phase:activate", "cli-wave-2");
    expect(out[0]).toMatch(/^Phase cli-wave-2 is active/);
    const rows = await t.sql<{ slug: string; status: string }[]>`select slug, status::text from phases where slug like 'cli-wave-%' order by slug`;
    expect(rows).toEqual([
      { slug: previous.slug, status: "closed" },
      { slug: "cli-wave-2", status: "active" },
    ]);
    await expect(cli("phase:activate", "no-such-phase")).rejects.toThrow(/No phase with slug/);
  });

  it("seed loads registrations and reports progress per chunk", async () => {
    const out = await cli("seed", "--registrations", "1200", "--chunk-size", "500");
    expect(out.slice(0, 3)).toEqual(["seeded 500/1200", "seeded 1000/1200", "seeded 1200/1200"]);
    expect(out[3]).toMatch(/^Seeded 1200 registrations in .* s \(waiting \d+/);
    const [row] = await t.sql<{ n: number }[]>`select count(*)::int as n from registrations`;
    expect(row!.n).toBe(1200);
  });
});

describe("cli process", () => {
  it("exits 2 with the usage on bad options, 1 with one line on a failed command, 0 on success", () => {
    const bad = spawnCli("staff:create", "--email", "not-an-email", "--role", "admin");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--email must be an e-mail address/);
    expect(bad.stderr).toMatch(/Usage: npm run cli/);

    const failed = spawnCli("phase:activate", "no-such-phase");
    expect(failed.code).toBe(1);
    expect(failed.stderr.trim()).toBe('phase:activate: No phase with slug "no-such-phase".');

    const ok = spawnCli("migrate");
    expect(ok.code).toBe(0);
    expect(ok.stdout.trim()).toBe("Migrations applied.");
  });
});
