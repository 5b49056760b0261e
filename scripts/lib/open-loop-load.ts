// An open-loop load generator: requests are sent at a fixed rate whatever the server answers
// (a closed-loop client like autocannon slows down with the server and can never offer twice
// what it sustains). Every request's status and latency is kept, so accepted and shed requests
// are measured apart.
//
// `warmConnections` opens that many kept-alive connections before the clock starts, the way a
// load balancer in front of the web tier holds a pool to it: the server then meets the flood of
// requests, not also a flood of new TCP connections made by the very client measuring it.
import http from "node:http";

export interface OpenLoopOptions {
  url: string;
  /** Requests per second to offer. */
  rate: number;
  durationSeconds: number;
  /** Requests allowed in flight at once (the client's own bound; default 2,000). */
  maxInFlight?: number;
  request: () => { method: string; path: string; headers?: Record<string, string>; body?: string };
  /** Stops offering before durationSeconds once this answers true (checked every tick). */
  stopWhen?: () => boolean;
  /** Kept-alive connections opened (with GET `warmPath`) before the clock starts (default none). */
  warmConnections?: number;
  warmPath?: string;
}

export interface OpenLoopSample {
  /** When it was sent, in ms since the load started. */
  sentAtMs: number;
  status: number;
  ms: number;
  body: string;
  retryAfter: string | null;
}

export interface OpenLoopResult {
  offered: number;
  samples: OpenLoopSample[];
  /** Requests that failed at the socket, or could not be sent because too many were in flight. */
  errors: number;
  dropped: number;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export async function runOpenLoop(options: OpenLoopOptions): Promise<OpenLoopResult> {
  const target = new URL(options.url);
  const maxInFlight = options.maxInFlight ?? 2_000;
  const agent = new http.Agent({ keepAlive: true, maxSockets: maxInFlight, maxFreeSockets: maxInFlight });
  if (options.warmConnections) await openConnections(agent, target, options.warmConnections, options.warmPath ?? "/");
  const samples: OpenLoopSample[] = [];
  let inFlight = 0;
  let offered = 0;
  let errors = 0;
  let dropped = 0;
  const pending = new Set<Promise<void>>();
  let startedAt = performance.now();

  const send = () => {
    offered += 1;
    if (inFlight >= maxInFlight) {
      dropped += 1;
      return;
    }
    const spec = options.request();
    const started = performance.now();
    inFlight += 1;
    const done = new Promise<void>((resolve) => {
      const req = http.request(
        { agent, host: target.hostname, port: target.port, method: spec.method, path: spec.path, headers: spec.headers },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () => {
            samples.push({
              sentAtMs: started - startedAt,
              status: res.statusCode ?? 0,
              ms: performance.now() - started,
              body: Buffer.concat(chunks).toString(),
              retryAfter: (res.headers["retry-after"] as string | undefined) ?? null,
            });
            resolve();
          });
          res.on("error", () => {
            errors += 1;
            resolve();
          });
        },
      );
      req.on("error", () => {
        errors += 1;
        resolve();
      });
      req.end(spec.body);
    }).finally(() => {
      inFlight -= 1;
      pending.delete(done);
    });
    pending.add(done);
  };

  // Send on a 5 ms tick what the schedule owes by now: steady, and exact over the run.
  startedAt = performance.now();
  const endAt = startedAt + options.durationSeconds * 1000;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const now = performance.now();
      const stop = now >= endAt || options.stopWhen?.() === true;
      const due = Math.floor(((Math.min(now, endAt) - startedAt) / 1000) * options.rate);
      while (!stop && offered < due) send();
      if (stop) {
        clearInterval(timer);
        resolve();
      }
    }, 5);
  });
  await Promise.all(pending);
  agent.destroy();
  return { offered, samples, errors, dropped };
}

/** `count` requests at once make the agent open as many connections, which it then keeps alive. */
async function openConnections(agent: http.Agent, target: URL, count: number, path: string): Promise<void> {
  await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<void>((resolve) => {
          const req = http.request({ agent, host: target.hostname, port: target.port, method: "GET", path }, (res) => {
            res.resume();
            res.on("end", resolve);
            res.on("error", () => resolve());
          });
          req.on("error", () => resolve());
          req.end();
        }),
    ),
  );
}
