// `npm run test:faults`: the fault suite (issue 11). It starts its own embedded PostgreSQL and
// redis-server on spare ports (the machine's shared services are never touched, since the suite
// stops and restarts its own), runs the web tier's API server and a worker as child processes,
// and injects database and Redis faults under load.
import path from "node:path";
import { defineConfig } from "vitest/config";

const root = path.resolve(import.meta.dirname, "../..");

export default defineConfig({
  resolve: { alias: { "@": root } },
  test: {
    root,
    include: ["tests/faults/**/*.test.ts"],
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 120_000,
    // The test process and its children share one key (tokens and codes are hashed under it).
    env: { AUTH_SECRET: "fault-suite-auth-secret-0123456789abcdef", NODE_ENV: "test", LOG_LEVEL: "warn" },
  },
});
