// The worker process: `npm run worker` (N of them in production). Runs every processor, the
// schedulers and the outbox relay; SIGTERM/SIGINT shut it down gracefully.
import { pathToFileURL } from "node:url";
import { connectDatabase } from "@/db/client";
import { leastPrivilegeProblems } from "@/db/privileges";
import { env } from "@/lib/env.js";
import { errorFields, logger } from "@/lib/log";
import { eventLogger } from "./event-log";
import { startWorkers } from "./start-workers";

export { startWorkers, settingsFromEnv, type StartWorkersOptions, type WorkersHandle } from "./start-workers";

async function main(): Promise<void> {
  const log = eventLogger();
  if (!env.DATABASE_URL) {
    logger.fatal("The worker needs DATABASE_URL (npm start sets it; for `npm run worker` export it).");
    process.exit(1);
  }
  const database = connectDatabase(env.DATABASE_URL);
  // Not awaited: a database that is down now is the resilience code's business, not a start-up error.
  void leastPrivilegeProblems(database.sql).then(
    (problems) => problems.length > 0 && logger.warn({ problems }, "db.least_privilege_off: the audit table is protected only by the app's good manners (README › PostgreSQL roles)"),
    () => {},
  );
  const handle = await startWorkers({ db: database.db });

  let signals = 0;
  const shutdown = async (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1) {
      log("worker.forced_exit", { signal });
      process.exit(1);
    }
    log("worker.signal", { signal });
    try {
      await handle.close();
      await database.close();
      log("worker.exit", { code: 0 });
      process.exit(0);
    } catch (error) {
      log("worker.exit", { code: 1, error: error instanceof Error ? error.message : String(error) }, "error");
      process.exit(1);
    }
  };
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
}

const entry = process.argv[1];
if (entry && import.meta.url === pathToFileURL(entry).href) {
  main().catch((error) => {
    logger.fatal(errorFields(error), "worker.failed");
    process.exit(1);
  });
}
