// How the benches start the web tier: its production entry (the front server, with the web
// processes' node flags) on the bench database, no workers, per-address limits raised so one
// load generator's address is not refused.
import { randomBytes } from "node:crypto";
import path from "node:path";
import { WEB_NODE_FLAGS } from "../../app/_server/front/web-node-flags";

const root = path.resolve(import.meta.dirname, "..", "..");

export function benchWebLaunch(options: { port: number; databaseUrl: string; redisUrl: string; nodeArgs?: string[] }): {
  args: string[];
  env: NodeJS.ProcessEnv;
} {
  const base = `http://127.0.0.1:${options.port}`;
  return {
    args: [...WEB_NODE_FLAGS, ...(options.nodeArgs ?? []), "--import", "tsx", path.join(root, "app", "_server", "front", "serve.ts")],
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(options.port),
      DATABASE_URL: options.databaseUrl,
      REDIS_URL: options.redisUrl,
      QUEUE_PREFIX: `ghbench-${randomBytes(4).toString("hex")}`,
      AUTH_SECRET: randomBytes(32).toString("base64url"),
      AUTH_URL: base,
      LOG_LEVEL: "warn",
      RATE_LIMITS: JSON.stringify({ registerPerIp: { points: 1_000_000_000, duration: 60 } }),
      NEXT_TELEMETRY_DISABLED: "1",
    },
  };
}
