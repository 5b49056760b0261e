// CPU and memory of the processes a bench measures, read from /proc (Linux): a process group
// (the web tier), the PostgreSQL backends serving one database, a local redis-server, the machine.
import { readdirSync, readFileSync } from "node:fs";

/** Fields after the command name of /proc/<pid>/stat (state ppid pgrp … utime stime …) of every process in the group. */
function groupStats(pgid: number): { pid: string; fields: string[] }[] {
  const stats: { pid: string; fields: string[] }[] = [];
  for (const pid of readdirSync("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[2]) === pgid) stats.push({ pid, fields });
    } catch {
      // the process ended between listing and reading
    }
  }
  return stats;
}

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
  const ticks = groupStats(pgid).reduce((sum, { fields }) => sum + Number(fields[11]) + Number(fields[12]), 0);
  return ticks / 100; // USER_HZ is 100 on Linux
}

/** Busy and total jiffies of the whole machine (/proc/stat "cpu" line). */
export function machineCpu(): { busy: number; total: number } {
  const fields = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  return { busy: total - fields[3]! - fields[4]!, total };
}

/** CPU seconds used so far by the PostgreSQL backends serving one database (they name it in their title). */
export function databaseBackendsCpuSeconds(databaseName: string): number {
  let ticks = 0;
  for (const pid of readdirSync("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const title = readFileSync(`/proc/${pid}/cmdline`, "utf8");
      if (!title.startsWith("postgres: ") || !title.includes(` ${databaseName} `)) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // ended meanwhile
    }
  }
  return ticks / 100;
}

/** CPU seconds used so far by the redis-server listening on `port` on this machine; null when there is none (a remote Redis). */
export function redisServerCpuSeconds(port: number): number | null {
  for (const pid of readdirSync("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const command = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ");
      if (!command.startsWith("redis-server ") || !command.includes(`:${port}`)) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      return (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {
      // ended meanwhile
    }
  }
  return null;
}
