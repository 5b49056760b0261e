// @ts-check
// The one place environment variables are read. Plain JS (with zod) so that next.config.js can
// import it and a bad value stops `next build` / `next start` as well as the worker and scripts.
import proxyaddr from "proxy-addr";
import { z } from "zod";

const url = z.url();
const emptyAsUndefined = (/** @type {unknown} */ v) => (v === "" ? undefined : v);

/**
 * TRUST_PROXY: which reverse proxies may report the client's address (SPEC §2). "0" (the TCP peer
 * is the client), a hop count ("1": one proxy in front, e.g. a load balancer), or a comma-separated
 * list of addresses/CIDRs (and proxy-addr's names loopback, linklocal, uniquelocal).
 * @typedef {{ kind: "hops", hops: number } | { kind: "cidrs", cidrs: string[] }} TrustProxy
 */
const trustProxy = z
  .string()
  .trim()
  .transform((text, ctx) => {
    if (/^\d+$/.test(text)) return /** @type {TrustProxy} */ ({ kind: "hops", hops: Number(text) });
    const cidrs = text.split(",").map((part) => part.trim()).filter(Boolean);
    try {
      proxyaddr.compile(cidrs);
    } catch (error) {
      ctx.addIssue({ code: "custom", message: `must be a hop count or a comma-separated list of CIDRs (${error instanceof Error ? error.message : error})` });
      return z.NEVER;
    }
    return /** @type {TrustProxy} */ ({ kind: "cidrs", cidrs });
  });

/** REDIS_CLUSTER_NODES: comma-separated host:port seed nodes. */
const clusterNodes = z
  .string()
  .transform((text, ctx) => {
    const nodes = text.split(",").map((part) => part.trim()).filter(Boolean);
    const parsed = nodes.map((node) => {
      const match = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(node);
      const port = Number(match?.[2]);
      if (!match || port < 1 || port > 65535) {
        ctx.addIssue({ code: "custom", message: `"${node}" is not host:port` });
        return null;
      }
      return { host: (match[1] ?? "").replace(/^\[|\]$/g, ""), port };
    });
    if (nodes.length === 0) ctx.addIssue({ code: "custom", message: "lists no node" });
    return /** @type {{ host: string, port: number }[]} */ (parsed.filter(Boolean));
  });

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),

    // Storage
    DATABASE_URL: z.preprocess(emptyAsUndefined, url.optional()),
    REDIS_URL: z.preprocess(emptyAsUndefined, url.default("redis://127.0.0.1:6379")),
    /**
     * Namespace of every Redis key (queues, rate limits, heartbeats). Never a hash tag: each queue
     * carries its own (`gatehouse:{notifications-sms}:wait`, lib/redis/keys.ts), so a tag here would
     * put everything in one Redis Cluster slot.
     */
    QUEUE_PREFIX: z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .min(1)
        .regex(/^[^{}\s]+$/, "must be a plain namespace such as gatehouse, without braces or spaces (each queue carries its own hash tag)")
        .default("gatehouse"),
    ),
    DATA_DIR: z.preprocess(emptyAsUndefined, z.string().min(1).default(".data")),
    /** Seed nodes of a Redis Cluster; when set every Redis use goes through a cluster client and REDIS_URL is ignored. */
    REDIS_CLUSTER_NODES: z.preprocess(emptyAsUndefined, clusterNodes.optional()),
    /** The owner role's URL for migrations; defaults to DATABASE_URL (with a start-up warning: least privilege is off). */
    MIGRATION_DATABASE_URL: z.preprocess(emptyAsUndefined, url.optional()),

    // Web
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    AUTH_SECRET: z.preprocess(emptyAsUndefined, z.string().min(32, "must be at least 32 characters").optional()),
    AUTH_URL: z.preprocess(emptyAsUndefined, url.optional()),
    TRUST_PROXY: z.preprocess(emptyAsUndefined, trustProxy.prefault("0")),
    /** After SIGTERM, how long a web process lets requests in flight finish before it exits. */
    WEB_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
    /** Web processes `npm start` runs (they share the port). */
    WEB_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
    /** Worker processes `npm start` runs (0: none, e.g. when workers run on other machines). */
    WORKER_PROCESSES: z.coerce.number().int().min(0).max(64).default(1),
    /** Bearer token of GET /api/metrics; unset = the endpoint answers 404. */
    METRICS_TOKEN: z.preprocess(emptyAsUndefined, z.string().min(16, "must be at least 16 characters").optional()),
    /** pino level of every log line. */
    LOG_LEVEL: z.preprocess(emptyAsUndefined, z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info")),
    /** Key for hashing and encrypting secrets at rest; unset = derived from AUTH_SECRET with HKDF. */
    DATA_KEY: z.preprocess(emptyAsUndefined, z.string().min(32, "must be at least 32 characters").optional()),

    // Single sign-on (OpenID Connect): all three or none.
    AUTH_OIDC_ISSUER: z.preprocess(emptyAsUndefined, url.optional()),
    AUTH_OIDC_CLIENT_ID: z.preprocess(emptyAsUndefined, z.string().min(1).optional()),
    AUTH_OIDC_CLIENT_SECRET: z.preprocess(emptyAsUndefined, z.string().min(1).optional()),

    // Notifications
    NOTIFY_PROVIDER: z.preprocess(emptyAsUndefined, z.enum(["log", "webhook"]).default("log")),
    NOTIFY_WEBHOOK_URL: z.preprocess(emptyAsUndefined, url.optional()),
    NOTIFY_WEBHOOK_SECRET: z.preprocess(emptyAsUndefined, z.string().min(16).optional()),
    SMTP_URL: z.preprocess(emptyAsUndefined, url.optional()),
    SMTP_FROM: z.preprocess(emptyAsUndefined, z.string().min(3).default("Gatehouse <no-reply@gatehouse.local>")),

    // Public API rate limits: JSON overrides of the defaults in lib/rate-limit/rules.ts, e.g.
    // {"registerPerIp":{"points":100000,"duration":60}} (points per duration seconds).
    RATE_LIMITS: z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .transform((text, ctx) => {
          try {
            return JSON.parse(text);
          } catch {
            ctx.addIssue({ code: "custom", message: "must be a JSON object" });
            return z.NEVER;
          }
        })
        .pipe(z.record(z.string(), z.object({ points: z.number().int().positive(), duration: z.number().int().positive() })))
        .optional(),
    ),
    NOTIFY_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
    /**
     * Where deep links in messages point: the app's URL scheme ("gatehouse://") or a universal
     * link base ("https://join.example.com/app/"); "verify" or "redeem/<code>" is appended.
     */
    APP_LINK_BASE: z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .regex(/^[a-z][a-z0-9+.-]*:\/\/(\S*\/)?$/i, 'must be a scheme ("myapp://") or a URL ending in "/"')
        .default("gatehouse://"),
    ),
    /** Per-channel rate limits (messages per second, across all workers); unset = unlimited. */
    NOTIFY_SMS_RATE_PER_SECOND: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).optional()),
    NOTIFY_EMAIL_RATE_PER_SECOND: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).optional()),
    /** Notification jobs in flight per queue per worker process (I/O-bound: batched db writes, provider calls). */
    NOTIFY_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(200),
    /** A claim (`sending`) older than this is declared `unknown` (the worker died mid-send). */
    NOTIFY_STALE_CLAIM_SECONDS: z.coerce.number().int().min(1).default(300),
    /** A `queued` row older than this is checked for a job Redis lost. */
    NOTIFY_QUEUED_REPAIR_SECONDS: z.coerce.number().int().min(1).default(300),

    // Worker
    /** Registrations a batch invites per transaction (its progress moves chunk by chunk). */
    BATCH_CHUNK_SIZE: z.coerce.number().int().min(1).max(100_000).default(10_000),
    /** How long SIGTERM waits for in-flight jobs before forcing the workers closed. */
    WORKER_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(25_000),
    /** Job lock duration and stalled-job check interval: a killed worker's jobs are retaken after ~1–2× this. */
    WORKER_STALLED_CHECK_MS: z.coerce.number().int().min(1000).default(30_000),
  })
  .superRefine((v, ctx) => {
    const oidc = /** @type {const} */ (["AUTH_OIDC_ISSUER", "AUTH_OIDC_CLIENT_ID", "AUTH_OIDC_CLIENT_SECRET"]);
    const givenOidc = oidc.filter((name) => v[name] !== undefined);
    if (givenOidc.length > 0 && givenOidc.length < oidc.length) {
      for (const name of oidc.filter((n) => v[n] === undefined)) {
        ctx.addIssue({ code: "custom", path: [name], message: `is required when ${givenOidc.join(" and ")} is set (single sign-on needs all three)` });
      }
    }
    if (v.NOTIFY_PROVIDER === "webhook") {
      if (!v.NOTIFY_WEBHOOK_URL)
        ctx.addIssue({ code: "custom", path: ["NOTIFY_WEBHOOK_URL"], message: "is required when NOTIFY_PROVIDER=webhook" });
      if (!v.NOTIFY_WEBHOOK_SECRET)
        ctx.addIssue({ code: "custom", path: ["NOTIFY_WEBHOOK_SECRET"], message: "is required when NOTIFY_PROVIDER=webhook" });
    }
  });

/** @typedef {z.infer<typeof schema>} Env */

/**
 * Parses an environment; throws one readable error naming every bad variable.
 * @param {Record<string, string | undefined>} source
 * @returns {Env}
 */
export function parseEnv(source) {
  const result = schema.safeParse(source);
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => `  ${i.path.join(".") || "(env)"}: ${i.message}`);
  const error = new Error(`Invalid environment:\n${lines.join("\n")}`);
  error.name = "EnvError";
  throw error;
}

/** @type {Env} */
export const env = parseEnv(process.env);
