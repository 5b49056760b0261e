// Argument parsing for `npm run cli -- <command>`: node's parseArgs for the shape, zod for the
// values. Pure, so the unit tests cover every command's accepted and refused inputs.
import { parseArgs } from "node:util";
import { z } from "zod";
import { staffRole } from "@/db/schema";

export const USAGE = `Usage: npm run cli -- <command> [options]

  migrate                                          apply the database migrations
  staff:create --email <e> --role <r> [--password <p>] [--name <n>]
                                                   create a staff member (roles: ${staffRole.enumValues.join(", ")});
                                                   prints a generated password once when none is given
  token:create --email <e> [--name <n>]            create an admin-API token for a staff member (printed once)
  seed --registrations <N> [--chunk-size <M>]      bulk-load N registrations (realistic mix, with progress)
  phase:activate <slug>                            activate a phase (closes the active one, tops up quotas)

The database is DATABASE_URL, else the embedded PostgreSQL under DATA_DIR (default .data).`;

/** Bad usage: printed with the usage text, exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** "is required" when absent, else the given message. */
const required = (message: string) => ({ error: (issue: { input?: unknown }) => (issue.input === undefined ? "is required" : message) });

const count = (max: number) =>
  z
    .string(required("must be a number"))
    .transform(Number)
    .pipe(
      z
        .number({ error: "must be a number" })
        .int("must be a whole number")
        .min(1, "must be at least 1")
        .max(max, `must be at most ${max.toLocaleString("en")}`),
    );

const schemas = {
  migrate: z.object({}),
  "staff:create": z.object({
    email: z.email(required("must be an e-mail address")),
    role: z.enum(staffRole.enumValues, required(`must be one of ${staffRole.enumValues.join(", ")}`)),
    password: z.string().min(12, "must be at least 12 characters").optional(),
    name: z.string().trim().min(1).max(100).optional(),
  }),
  "token:create": z.object({
    email: z.email(required("must be an e-mail address")),
    name: z.string().trim().min(1).max(100).optional(),
  }),
  seed: z.object({
    registrations: count(100_000_000),
    "chunk-size": count(1_000_000)
      .refine((n) => n % 100 === 0, "must be a multiple of 100")
      .optional(),
  }),
  "phase:activate": z.object({ slug: z.string().trim().min(1, "is required") }),
};

export type CommandName = keyof typeof schemas;
export type Command = { [K in CommandName]: { name: K; input: z.output<(typeof schemas)[K]> } }[CommandName];

const options = {
  email: { type: "string" },
  role: { type: "string" },
  password: { type: "string" },
  name: { type: "string" },
  registrations: { type: "string" },
  "chunk-size": { type: "string" },
} as const;

/** Which options each command takes (anything else is refused). */
const allowed: Record<CommandName, readonly string[]> = {
  migrate: [],
  "staff:create": ["email", "role", "password", "name"],
  "token:create": ["email", "name"],
  seed: ["registrations", "chunk-size"],
  "phase:activate": [],
};

export function parseCommand(argv: string[]): Command {
  const [name, ...rest] = argv;
  if (!name || name === "help" || name === "--help" || name === "-h") throw new UsageError("");
  if (!(name in schemas)) throw new UsageError(`Unknown command "${name}".`);
  const command = name as CommandName;
  let parsed: ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true; args: string[] }>>;
  try {
    parsed = parseArgs({ args: rest, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${command}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const given = Object.keys(parsed.values).filter((key) => parsed.values[key as keyof typeof parsed.values] !== undefined);
  const unexpected = given.filter((key) => !allowed[command].includes(key));
  if (unexpected.length > 0) throw new UsageError(`${command} does not take ${unexpected.map((k) => `--${k}`).join(", ")}.`);
  const positionals = parsed.positionals;
  if (command !== "phase:activate" && positionals.length > 0) throw new UsageError(`${command} takes no arguments (got "${positionals.join(" ")}").`);
  if (command === "phase:activate" && positionals.length !== 1) throw new UsageError("phase:activate takes exactly one phase slug.");

  const raw = command === "phase:activate" ? { slug: positionals[0] } : parsed.values;
  const result = schemas[command].safeParse(raw);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const key = issue.path.join(".");
      return command === "phase:activate" ? `  <slug> ${issue.message}` : `  --${key} ${issue.message}`;
    });
    throw new UsageError(`${command}: invalid options\n${lines.join("\n")}`);
  }
  return { name: command, input: result.data } as Command;
}
