// `npm run test:chaos`: fault-injection tests that run for a while (worker processes killed
// with SIGKILL). Same services as the integration tests.
import path from "node:path";
import { defineConfig } from "vitest/config";

const root = path.resolve(import.meta.dirname, "../..");

export default defineConfig({
  resolve: { alias: { "@": root } },
  test: {
    root,
    include: ["tests/chaos/**/*.test.ts"],
    globalSetup: [path.join(root, "tests/setup/services.ts")],
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 120_000,
  },
});
