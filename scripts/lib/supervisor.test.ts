// The supervisor on real (tiny) node processes: restart with backoff, no crash stops anything
// else, stop in order, SIGKILL for a process that ignores SIGTERM.
import { spawn } from "node:child_process";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { createSupervisor, restartDelayMs, type RoleSpec, type Supervisor } from "./supervisor";

interface Line {
  msg: string;
  role?: string;
  pid?: number;
  delayMs?: number;
  attempt?: number;
}

function memoryLog() {
  const lines: Line[] = [];
  const log = pino({ base: null, timestamp: false }, { write: (text: string) => void lines.push(JSON.parse(text) as Line) });
  return { log, lines };
}

/** A node process running `code`, then saying "ready" (stays up until it decides otherwise). */
function nodeProcess(code: string) {
  return () => {
    const child = spawn(process.execPath, ["-e", `${code}; process.send("ready"); setInterval(() => {}, 1000)`], { stdio: ["ignore", "ignore", "ignore", "ipc"] });
    child.once("message", () => ready.add(child.pid!));
    return child;
  };
}

/** Whether every process has installed its signal handlers (said "ready" once it had). */
const ready = new Set<number>();
const allReady = (pids: number[]) => pids.length > 0 && pids.every((pid) => ready.has(pid));

const TERM_EXITS = "process.on('SIGTERM', () => process.exit(0))";
let supervisor: Supervisor | null = null;

afterEach(async () => {
  await supervisor?.stop([]);
  supervisor = null;
});

describe("restartDelayMs", () => {
  it("doubles from 1 s per consecutive crash, up to 30 s", () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => restartDelayMs(n))).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]);
  });
});

describe("supervisor", () => {
  it("restarts a crashed process with growing delays while the others keep running", async () => {
    const { log, lines } = memoryLog();
    const roles: RoleSpec[] = [
      { role: "web", count: 2, launch: nodeProcess(TERM_EXITS), killAfterMs: 2000 },
      { role: "worker", count: 1, launch: nodeProcess(TERM_EXITS), killAfterMs: 2000 },
    ];
    supervisor = createSupervisor({ roles, log, backoff: { initialMs: 100, maxMs: 1000, stableMs: 60_000 } });
    supervisor.start();
    const web = supervisor.pids("web");
    expect(web).toHaveLength(2);
    const [first] = supervisor.pids("worker");

    process.kill(first!, "SIGKILL");
    await expect.poll(() => supervisor!.pids("worker").filter((pid) => pid !== first)).toHaveLength(1);
    const second = supervisor.pids("worker")[0]!;
    process.kill(second, "SIGKILL");
    await expect.poll(() => supervisor!.pids("worker").filter((pid) => pid !== second)).toHaveLength(1);

    expect(lines.filter((l) => l.msg === "supervisor.restarting").map((l) => [l.role, l.attempt, l.delayMs])).toEqual([
      ["worker", 1, 100],
      ["worker", 2, 200],
    ]);
    expect(lines.filter((l) => l.msg === "supervisor.crashed")).toHaveLength(2);
    // The web processes were never touched.
    expect(supervisor.pids("web")).toEqual(web);
  });

  it("stops role by role, and SIGKILLs a process that ignores SIGTERM after its kill delay", async () => {
    const { log, lines } = memoryLog();
    const exits: string[] = [];
    const tracked = (role: string, code: string) => () => {
      const child = nodeProcess(code)();
      child.once("exit", (_code, signal) => exits.push(`${role}:${signal ?? "exit"}`));
      return child;
    };
    supervisor = createSupervisor({
      roles: [
        { role: "worker", count: 1, launch: tracked("worker", "process.on('SIGTERM', () => {})"), killAfterMs: 500 },
        { role: "web", count: 1, launch: tracked("web", TERM_EXITS), killAfterMs: 2000 },
      ],
      log,
    });
    supervisor.start();
    await expect.poll(() => allReady(supervisor!.pids())).toBe(true);
    const started = Date.now();
    await supervisor.stop(["web", "worker"]);
    expect(exits).toEqual(["web:exit", "worker:SIGKILL"]);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(lines.filter((l) => l.msg === "supervisor.killing").map((l) => l.role)).toEqual(["worker"]);
    expect(lines.some((l) => l.msg === "supervisor.restarting")).toBe(false);
    expect(supervisor.pids()).toEqual([]);
  });

  it("signals the next role after nextRoleAfterMs when the previous one is slow to stop", async () => {
    const { log } = memoryLog();
    supervisor = createSupervisor({
      roles: [
        { role: "web", count: 1, launch: nodeProcess("process.on('SIGTERM', () => setTimeout(() => process.exit(0), 1500))"), killAfterMs: 5000 },
        { role: "worker", count: 1, launch: nodeProcess(TERM_EXITS), killAfterMs: 5000 },
      ],
      log,
    });
    supervisor.start();
    await expect.poll(() => allReady(supervisor!.pids())).toBe(true);
    const started = Date.now();
    const stopped = supervisor.stop(["web", "worker"], { nextRoleAfterMs: 200 });
    await expect.poll(() => supervisor!.pids("worker")).toEqual([]);
    expect(Date.now() - started).toBeLessThan(1200);
    expect(supervisor.pids("web")).toHaveLength(1);
    await stopped;
    expect(supervisor.pids()).toEqual([]);
  });
});
