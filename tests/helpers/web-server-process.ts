// The web tier's entry (the front server with Next in it, as in production) run from the current
// production build on a free port: used by the e2e global setup, and by a browser test that needs
// a server of its own (different env, e.g. single sign-on configured).
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { freePort } from "../../scripts/lib/services";

const root = path.resolve(import.meta.dirname, "../..");

export interface WebServerProcess {
  baseUrl: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

async function waitForHealth(baseUrl: string, server: ChildProcess, logPath: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  let exited: number | null = null;
  server.once("exit", (code) => (exited = code ?? -1));
  while (Date.now() < deadline) {
    if (exited !== null) break;
    try {
      const response = await fetch(`${baseUrl}/api/health`);
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const tail = existsSync(logPath) ? readFileSync(logPath, "utf8").slice(-4000) : "";
  throw new Error(`the web server did not become healthy (exit code ${exited ?? "none"}):\n${tail}`);
}

function stopServer(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => server.kill("SIGKILL"), 5_000);
    server.once("exit", () => {
      clearTimeout(killer);
      resolve();
    });
    server.kill("SIGTERM");
  });
}

/**
 * Starts the production web server with `env` (on top of this process's environment; PORT and
 * AUTH_URL are set here) on `port` (default: a free one) and waits until /api/health answers.
 * Output goes to `logPath`. `host` names it in AUTH_URL and `baseUrl` (it listens on every
 * address): Next calls 127.0.0.1 "localhost" in route handlers, so a test whose URLs must match
 * between a server action and a route handler (an OAuth redirect URI) asks for "localhost".
 */
export async function startWebServer(options: {
  env: Record<string, string>;
  logPath: string;
  port?: number;
  host?: "127.0.0.1" | "localhost";
}): Promise<WebServerProcess> {
  const port = options.port ?? (await freePort());
  const baseUrl = `http://${options.host ?? "127.0.0.1"}:${port}`;
  const serverLog = createWriteStream(options.logPath);
  const server = spawn(process.execPath, ["--import", "tsx", path.join(root, "app", "_server", "front", "serve.ts")], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      ...options.env,
      AUTH_URL: baseUrl,
      PORT: String(port),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  server.stdout?.pipe(serverLog);
  server.stderr?.pipe(serverLog);
  try {
    await waitForHealth(baseUrl, server, options.logPath);
  } catch (error) {
    await stopServer(server);
    throw error;
  }
  return { baseUrl, process: server, stop: () => stopServer(server) };
}
