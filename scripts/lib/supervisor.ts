// The process supervisor of `npm start`: keeps N processes of each role running, restarts one
// that exits with exponential backoff, and stops them in order on request. A crash is never a
// reason to stop anything else: the web tier keeps serving while a worker restarts, and the
// reverse. Only stop() (SIGTERM/SIGINT to `npm start`) ends the processes.
import type { ChildProcess } from "node:child_process";
import type { Logger } from "pino";

export interface RoleSpec {
  role: string;
  count: number;
  /** Starts one process of the role: a real node process, never a wrapper (signals must reach it). */
  launch(slot: number): ChildProcess;
  /** After SIGTERM, how long before SIGKILL: longer than the process's own grace period. */
  killAfterMs: number;
}

export interface BackoffPolicy {
  /** Delay before the first restart of a slot. */
  initialMs: number;
  /** The delay doubles with each consecutive crash, up to this. */
  maxMs: number;
  /** A process that ran at least this long before exiting starts the count again. */
  stableMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 1000, maxMs: 30_000, stableMs: 60_000 };

/** The delay before restarting a slot that has crashed `crashes` times in a row (1 = the first). */
export function restartDelayMs(crashes: number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  return Math.min(policy.maxMs, policy.initialMs * 2 ** Math.max(0, crashes - 1));
}

interface Slot {
  spec: RoleSpec;
  index: number;
  child: ChildProcess | null;
  exited: Promise<void> | null;
  startedAt: number;
  crashes: number;
  restartTimer: NodeJS.Timeout | null;
}

export interface Supervisor {
  start(): void;
  /**
   * Stops the roles in the order given (each role's processes together): SIGTERM, then SIGKILL
   * after the role's killAfterMs. The next role is signalled when the previous one has exited,
   * or `nextRoleAfterMs` after it was signalled, whichever comes first, so a slow drain of one
   * role does not eat the next one's grace period.
   */
  stop(order: string[], options?: { nextRoleAfterMs?: number }): Promise<void>;
  /** The live processes by role (for the banner and for tests). */
  pids(role?: string): number[];
}

const isRunning = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;

export function createSupervisor(options: { roles: RoleSpec[]; log: Logger; backoff?: Partial<BackoffPolicy> }): Supervisor {
  const { log } = options;
  const backoff: BackoffPolicy = { ...DEFAULT_BACKOFF, ...options.backoff };
  const slots: Slot[] = options.roles.flatMap((spec) =>
    Array.from({ length: spec.count }, (_, index) => ({ spec, index, child: null, exited: null, startedAt: 0, crashes: 0, restartTimer: null })),
  );
  let stopping = false;

  const launch = (slot: Slot) => {
    slot.restartTimer = null;
    if (stopping) return;
    let child: ChildProcess;
    try {
      child = slot.spec.launch(slot.index);
    } catch (error) {
      log.error({ role: slot.spec.role, slot: slot.index, err: { message: error instanceof Error ? error.message : String(error) } }, "supervisor.launch_failed");
      scheduleRestart(slot);
      return;
    }
    slot.child = child;
    slot.startedAt = Date.now();
    slot.exited = new Promise<void>((resolve) => {
      let settled = false;
      const settle = (code: number | null, signal: NodeJS.Signals | null) => {
        if (settled) return;
        settled = true;
        resolve();
        onExit(slot, child, code, signal);
      };
      child.once("exit", settle);
      // A process that could not be started at all reports "error" and may never report "exit".
      child.on("error", (error) => {
        log.error({ role: slot.spec.role, slot: slot.index, childPid: child.pid, err: { message: error.message } }, "supervisor.process_error");
        if (child.pid === undefined) settle(1, null);
      });
    });
    if (child.pid !== undefined) log.info({ role: slot.spec.role, slot: slot.index, childPid: child.pid }, "supervisor.started");
  };

  const scheduleRestart = (slot: Slot) => {
    slot.crashes += 1;
    const delayMs = restartDelayMs(slot.crashes, backoff);
    log.warn({ role: slot.spec.role, slot: slot.index, attempt: slot.crashes, delayMs }, "supervisor.restarting");
    slot.restartTimer = setTimeout(() => launch(slot), delayMs);
  };

  const onExit = (slot: Slot, child: ChildProcess, code: number | null, signal: NodeJS.Signals | null) => {
    if (slot.child !== child) return;
    slot.child = null;
    const uptimeMs = Date.now() - slot.startedAt;
    const fields = { role: slot.spec.role, slot: slot.index, childPid: child.pid, code, signal, uptimeMs };
    if (stopping) {
      log.info(fields, "supervisor.exited");
      return;
    }
    log.error(fields, "supervisor.crashed");
    if (uptimeMs >= backoff.stableMs) slot.crashes = 0;
    scheduleRestart(slot);
  };

  const stopSlot = async (slot: Slot) => {
    if (slot.restartTimer) clearTimeout(slot.restartTimer);
    slot.restartTimer = null;
    const child = slot.child;
    if (!child || !isRunning(child)) return;
    child.kill("SIGTERM");
    const killer = setTimeout(() => {
      if (!isRunning(child)) return;
      log.warn({ role: slot.spec.role, slot: slot.index, childPid: child.pid, afterMs: slot.spec.killAfterMs }, "supervisor.killing");
      child.kill("SIGKILL");
    }, slot.spec.killAfterMs);
    await slot.exited;
    clearTimeout(killer);
  };

  return {
    start() {
      for (const slot of slots) launch(slot);
    },
    async stop(order, stopOptions = {}) {
      stopping = true;
      const nextRoleAfterMs = stopOptions.nextRoleAfterMs ?? Infinity;
      const roles = [...order, ...options.roles.map((r) => r.role).filter((role) => !order.includes(role))];
      const all: Promise<void>[] = [];
      for (const role of roles) {
        const stopped = Promise.all(slots.filter((s) => s.spec.role === role).map(stopSlot)).then(() => {});
        all.push(stopped);
        if (!Number.isFinite(nextRoleAfterMs)) {
          await stopped;
          continue;
        }
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([stopped, new Promise<void>((resolve) => (timer = setTimeout(resolve, nextRoleAfterMs)))]);
        clearTimeout(timer);
      }
      await Promise.all(all);
    },
    pids(role) {
      return slots.filter((s) => (role === undefined || s.spec.role === role) && s.child?.pid !== undefined && isRunning(s.child)).map((s) => s.child!.pid!);
    },
  };
}
