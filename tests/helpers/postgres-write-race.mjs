// The deterministic repro of porsager/postgres#1208, run as its own process (the crash it
// reproduces is an uncaught exception that ends the process): a transaction's backend is
// terminated while a query of it is in flight; postgres.js rejects it with CONNECTION_CLOSED and
// then issues the transaction's ROLLBACK — a small write, deferred with setImmediate — on the
// closed connection. Unpatched 3.4.9 throws `Cannot read properties of null (reading 'write')`
// from that immediate. Then the one-connection pool must still answer (it must not have parked
// the dead connection for good).
//
// env: POSTGRES_MODULE (path of the driver entry to load), DATABASE_URL.
// stdout: one JSON line {rejected, after, failures}.
import { pathToFileURL } from "node:url";

const { default: postgres } = await import(pathToFileURL(process.env.POSTGRES_MODULE).href);
const url = process.env.DATABASE_URL;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const sql = postgres(url, { max: 1, onnotice() {} });
const killer = postgres(url, { max: 1, onnotice() {} });

let pid = null;
// Its outcome is taken at once: the transaction may fail before the killer's answer arrives, and
// a rejection nobody handles yet would end the process itself — a crash of this script, not of
// the driver.
const failure = sql
  .begin(async (t) => {
    const [row] = await t`select pg_backend_pid() as pid`;
    pid = row.pid;
    await t`select pg_sleep(5)`;
  })
  .then(
    () => null,
    (e) => e,
  );
while (pid === null) await sleep(10);
await killer`select pg_terminate_backend(${pid})`;
const error = await failure;

// The pool reconnects: the first query may still see the termination, the next ones answer.
let after = null;
let failures = 0;
for (let i = 0; i < 40 && after === null; i++) {
  try {
    [after] = await sql`select 1 as ok`;
  } catch {
    failures += 1;
    await sleep(50);
  }
}
console.log(JSON.stringify({ rejected: error?.code ?? null, after: after?.ok ?? null, failures }));
await sql.end({ timeout: 1 });
await killer.end({ timeout: 1 });
