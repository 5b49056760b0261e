// `npm run cli -- <command>`: operators' chores (SPEC §6). Exit codes: 0 done, 1 failed (the
// reason printed as one line), 2 bad usage.
import { parseCommand, UsageError, USAGE } from "./cli/parse";
import { loadEnv, OperatorError, resolveAppDatabase, resolveDataDir, runMain } from "./lib/runtime";

async function main(): Promise<number> {
  let command;
  try {
    command = parseCommand(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    if (error.message) console.error(`${error.message}\n`);
    console.error(USAGE);
    return error.message ? 2 : 0;
  }
  const env = await loadEnv();
  const log = (line: string) => console.error(`[gatehouse] ${line}`);
  const database = await resolveAppDatabase(env, resolveDataDir(env), log);
  // Loaded after the env check: these modules read the env when imported.
  const { runCommand } = await import("./cli/commands");
  const { AppError } = await import("@/lib/errors");
  try {
    await runCommand(command, { databaseUrl: database.url, migrationUrl: database.migrationUrl, runtimeRole: database.runtimeRole, out: (line) => console.log(line), interactive: Boolean(process.stderr.isTTY) });
    return 0;
  } catch (error) {
    if (error instanceof AppError) {
      const details = error.fieldErrors?.map((f) => `\n  ${f.path}: ${f.message}`).join("") ?? "";
      throw new OperatorError(`${command.name}: ${error.message}${details}`);
    }
    throw error;
  } finally {
    await database.stop();
  }
}

runMain(main);
