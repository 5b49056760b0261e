// The web tier's entry: `node --import tsx app/_server/front/serve.ts [--dev]` (npm start runs it;
// production runs it after `next build`). One process: the front server and Next in it.
// SIGTERM/SIGINT: stop accepting, let requests in flight finish (at most WEB_SHUTDOWN_GRACE_MS),
// close the pools, exit — and exit 1 s after the grace period whatever is still closing (a pool
// waiting on an unreachable PostgreSQL or Redis). Under `npm start` it is a node:cluster worker
// of the supervisor, which restarts it if it crashes.
import path from "node:path";
import next from "next";
import { closeDb } from "@/db/client";
import { closeProducer } from "@/jobs/producer";
import { env } from "@/lib/env.js";
import { securityHeaders } from "@/lib/http/security-headers";
import { errorFields, logger } from "@/lib/log";
import { closeRateLimiter } from "@/lib/rate-limit/rate-limiter";
import { tolerateStoreOutageRejections } from "@/lib/store-outage-rejections";
import { createRouter } from "../routes/router";
import { routeRegistry } from "../routes/registry";
import { createFrontServer } from "./front-server";
import { createOverloadGuard } from "./overload-guard";

const EXIT_MARGIN_MS = 1000;
const LISTEN_BACKLOG = 4096;
const root = path.resolve(import.meta.dirname, "../../..");

async function main(): Promise<void> {
  tolerateStoreOutageRejections();
  const dev = process.argv.includes("--dev");
  const app = next({ dev, dir: root, port: env.PORT });
  await app.prepare();
  const server = createFrontServer({
    router: createRouter(routeRegistry),
    trustProxy: env.TRUST_PROXY,
    next: app.getRequestHandler(),
    securityHeaders: securityHeaders({ authUrl: env.AUTH_URL, dev, oidcIssuer: env.AUTH_OIDC_ISSUER }),
    overload: createOverloadGuard(),
  });
  server.keepAliveTimeout = 65_000; // longer than common load balancers' idle timeout (60 s)
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    // A launch brings bursts of new connections (every client without a kept-alive one at once).
    // Node's default backlog (511) overflows under them, and a dropped SYN is retried only after
    // 1 s, then 3 s: refusals and admissions alike would arrive seconds late. The kernel caps it
    // at net.core.somaxconn.
    server.listen({ port: env.PORT, backlog: LISTEN_BACKLOG }, () => resolve());
  });
  logger.info({ port: env.PORT, dev, trustProxy: env.TRUST_PROXY }, "web.listening");

  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    const graceMs = env.WEB_SHUTDOWN_GRACE_MS;
    logger.info({ signal, graceMs }, "web.stopping");
    setTimeout(() => {
      logger.error({ signal, afterMs: graceMs + EXIT_MARGIN_MS }, "web.forced_exit");
      process.exit(1);
    }, graceMs + EXIT_MARGIN_MS);
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const timer = setTimeout(() => server.closeAllConnections(), graceMs);
    await closed;
    clearTimeout(timer);
    closeRateLimiter();
    await Promise.allSettled([closeDb(), closeProducer(), app.close()]);
    logger.info({}, "web.stopped");
    process.exit(0);
  };
  process.on("SIGTERM", (signal) => void stop(signal));
  process.on("SIGINT", (signal) => void stop(signal));
}

main().catch((error: unknown) => {
  logger.fatal(errorFields(error), "web.failed");
  process.exit(1);
});
