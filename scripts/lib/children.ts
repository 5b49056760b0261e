// Child processes of `npm start` (the build) and the checks around them. The web and worker
// processes are run by the supervisor (./supervisor.ts).
import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";

export interface Child {
  name: string;
  process: ChildProcess;
  /** Resolves with the exit code (or signal) once the process has exited. */
  exited: Promise<number | NodeJS.Signals>;
}

export function spawnChild(name: string, command: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): Child {
  const child = spawn(command, args, { cwd, env, stdio: "inherit" });
  const exited = new Promise<number | NodeJS.Signals>((resolve) => {
    child.once("exit", (code, signal) => resolve(code ?? signal ?? 0));
    child.once("error", () => resolve(1));
  });
  return { name, process: child, exited };
}

export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, () => server.close(() => resolve(true)));
  });
}

/** Polls a URL until it answers at all (any status) or the time runs out. */
export async function waitForHttp(url: string, timeoutMs: number, stillWaiting: () => boolean): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && stillWaiting()) {
    try {
      await fetch(url, { signal: AbortSignal.timeout(5_000) });
      return true;
    } catch {
      await new Promise((r) => setTimeout(r, 300));
    }
  }
  return false;
}
