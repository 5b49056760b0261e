// The web tier's HTTP API as a child process of the fault suite: the same front server, route
// registry and overload guard as `npm run web`, without Next (the console pages are not under
// test here, and a production build is heavy). PORT, DATABASE_URL, REDIS_URL from the env.
import { closeDb } from "@/db/client";
import { closeProducer } from "@/jobs/producer";
import { env } from "@/lib/env.js";
import { logger } from "@/lib/log";
import { createFrontServer } from "@/app/_server/front/front-server";
import { createOverloadGuard } from "@/app/_server/front/overload-guard";
import { createRouter } from "@/app/_server/routes/router";
import { routeRegistry } from "@/app/_server/routes/registry";

const server = createFrontServer({ router: createRouter(routeRegistry), trustProxy: env.TRUST_PROXY, overload: createOverloadGuard() });
server.listen(env.PORT, "127.0.0.1", () => logger.warn({ port: env.PORT }, "web.listening"));
process.on("SIGTERM", () => {
  server.close();
  server.closeAllConnections();
  void Promise.allSettled([closeDb(), closeProducer()]).then(() => process.exit(0));
});
