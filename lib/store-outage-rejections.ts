// A promise rejected with nobody to handle it ends a Node process. When the reason only says the
// database or Redis went away, ending the process helps no one: postgres.js 3.4.9 can lose track
// of a transaction's query when its connection closes (porsager/postgres#1186, #1215), and its
// CONNECTION_CLOSED then surfaces here rather than to the code that awaited the transaction, which
// got its own error. A worker (or web server) riding through a database blink keeps running and
// says so in one line; the work the lost query belonged to is retried where it always is (a job
// that stalls is picked up again, a request answers 503). Any other reason is a bug and still
// ends the process, as it would without this.
import { unavailableStoreOf } from "@/lib/errors";
import { errorFields, logger } from "@/lib/log";

export function tolerateStoreOutageRejections(): void {
  process.on("unhandledRejection", (reason) => {
    const store = unavailableStoreOf(reason);
    // Thrown from the handler, the reason becomes an uncaught exception: the default crash.
    if (!store) throw reason;
    logger.warn({ store, ...errorFields(reason) }, "process.unhandled_store_rejection");
  });
}
