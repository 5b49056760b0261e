// The worker process: `npm run worker` (N of them in production). Runs every processor, the
// schedulers and the outbox relay; SIGTERM/SIGINT shut it down gracefully.
import { pathToFileURL } from "node:url";
import { connectDatabase } from "@/db/client";
import { leastPrivilegeProblems } from "@/db/privileges";
import { env } from "@/lib/env.js";
import { errorFields, logger } from "@/lib/log";
import { tolerateStoreOutageRejections } from "@/lib/store-outage-rejections";
import { eventLogger } from "./event-log";
import { startWorkers } from "./start-workers";

/** How long after the grace period the process exits, whatever the close is waiting on. */
const EXIT_MARGIN_MS = 3000;

export { startWorkers, settingsFromEnv, type StartWorkersOptions, type WorkersHandle } from "./start-workers";

async function main(): Promise<void> {
  tolerateStoreOutageRejections();
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

  // However the graceful close goes (Redis or PostgreSQL unreachable can stall any step of it),
  // the process exits this long after the signal: the grace for in-flight jobs, plus a moment
  // to close the connections. A supervisor waits longer than this before it sends SIGKILL.
  const hardExitMs = handle.graceMs + EXIT_MARGIN_MS;
  // A second SIGTERM/SIGINT (Ctrl-C twice) forces the exit; the supervisor going away does not
  // count as one, and does nothing more once a shutdown runs.
  let signals = 0;
  let shuttingDown = false;
  const shutdown = async (signal: NodeJS.Signals | "disconnect") => {
    if (signal !== "disconnect") signals += 1;
    if (signals > 1) {
      log("worker.forced_exit", { signal });
      process.exit(1);
    }
    if (shuttingDown) return;
    shuttingDown = true;
    log("worker.signal", { signal });
    setTimeout(() => {
      log("worker.exit", { code: 1, error: `still closing ${hardExitMs} ms after ${signal}` }, "error");
      process.exit(1);
    }, hardExitMs);
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
  // Started by a supervisor with an IPC channel (npm start): if the supervisor dies, stop too
  // rather than run on unsupervised.
  if (process.send) process.on("disconnect", () => void shutdown("disconnect"));
}

const entry = process.argv[1];
if (entry && import.meta.url === pathToFileURL(entry).href) {
  main().catch((error) => {
    logger.fatal(errorFields(error), "worker.failed");
    process.exit(1);
  });
}
