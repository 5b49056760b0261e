// CPU and memory of the processes a bench measures, read from /proc (Linux): a process group
// (the web tier), the PostgreSQL backends serving one database, a local redis-server, the machine.
// And where a process runs: pinned to one core.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

const USER_HZ = 100; // clock ticks per second of /proc/<pid>/stat on Linux

/** Every process: its pid and the fields after the command name of /proc/<pid>/stat (state ppid pgrp … utime stime …). */
function processes(): { pid: string; fields: string[] }[] {
  const found: { pid: string; fields: string[] }[] = [];
  for (const pid of readdirSync("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      found.push({ pid, fields: stat.slice(stat.lastIndexOf(")") + 2).split(" ") });
    } catch {
      // the process ended between listing and reading
    }
  }
  return found;
}

const cpuSecondsOf = (fields: string[]) => (Number(fields[11]) + Number(fields[12])) / USER_HZ;

/** The processes whose command line (arguments joined by spaces; a PostgreSQL backend's is its title) matches. */
function processesRunning(match: (commandLine: string) => boolean): { pid: string; fields: string[] }[] {
  return processes().filter(({ pid }) => {
    try {
      return match(readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" "));
    } catch {
      return false; // ended meanwhile
    }
  });
}

const groupStats = (pgid: number) => processes().filter(({ fields }) => Number(fields[2]) === pgid);

/** Resident memory of every process in the group (next start may run helpers), in MB. */
export function groupRssMb(pgid: number): number {
  let kb = 0;
  for (const { pid } of groupStats(pgid)) {
    try {
      const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
      if (rss) kb += Number(rss[1]);
    } catch {
      // ended meanwhile
    }
  }
  return kb / 1024;
}

/** CPU seconds (user + system) used so far by every process in the group. */
export function groupCpuSeconds(pgid: number): number {
  return groupStats(pgid).reduce((sum, { fields }) => sum + cpuSecondsOf(fields), 0);
}

/** Busy and total jiffies of the whole machine (/proc/stat "cpu" line). */
export function machineCpu(): { busy: number; total: number } {
  const fields = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  return { busy: total - fields[3]! - fields[4]!, total };
}

const servesDatabase = (databaseName: string) => (title: string) => title.startsWith("postgres: ") && title.includes(` ${databaseName} `);

/** CPU seconds used so far by the PostgreSQL backends serving one database (they name it in their title). */
export function databaseBackendsCpuSeconds(databaseName: string): number {
  return processesRunning(servesDatabase(databaseName)).reduce((sum, { fields }) => sum + cpuSecondsOf(fields), 0);
}

/** The pids of this machine's PostgreSQL backends serving one database (none when the server is elsewhere). */
export function databaseBackendPids(databaseName: string): Set<number> {
  return new Set(processesRunning(servesDatabase(databaseName)).map(({ pid }) => Number(pid)));
}

/** CPU seconds used so far by the redis-server listening on `port` on this machine; null when there is none (a remote Redis). */
export function redisServerCpuSeconds(port: number): number | null {
  const [server] = processesRunning((command) => command.startsWith("redis-server ") && command.includes(`:${port}`));
  return server ? cpuSecondsOf(server.fields) : null;
}

/** Pins every thread of `pid` to one core (util-linux's taskset; throws where it is missing or not allowed). */
export function pinProcess(pid: number, cpu: number): void {
  execFileSync("taskset", ["--all-tasks", "--pid", "--cpu-list", String(cpu), String(pid)], { stdio: "ignore" });
}
