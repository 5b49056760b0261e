import path from "node:path";
import { defineConfig } from "vitest/config";

const root = import.meta.dirname;

export default defineConfig({
  resolve: { alias: { "@": root } },
  test: {
    // Two cores: two files at a time, each against its own database.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["lib/**/*.test.ts", "jobs/**/*.test.ts", "components/**/*.test.{ts,tsx}", "scripts/**/*.test.ts"],
          environment: "node",
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          // next-auth imports "next/server" without an extension, which only a bundler resolves:
          // the tests that drive the Auth.js endpoints load it through Vite.
          server: { deps: { inline: ["next-auth"] } },
          globalSetup: [path.join(root, "tests/setup/services.ts"), path.join(root, "tests/setup/response-contract.ts")],
          setupFiles: [path.join(root, "tests/setup/record-responses.ts")],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: "e2e",
          include: ["tests/e2e/**/*.test.ts"],
          globalSetup: [path.join(root, "tests/setup/services.ts"), path.join(root, "tests/setup/web-server.ts")],
          fileParallelism: false,
          testTimeout: 90_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
