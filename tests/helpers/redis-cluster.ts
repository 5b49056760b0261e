// A real Redis Cluster for one test file: N primaries (and optional replicas) as redis-server
// children on spare ports, joined with `redis-cli --cluster create`. Never touches the shared
// Redis on 6379; stop() kills every server it started and removes their files.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { vi } from "vitest";

const run = promisify(execFile);

export interface ClusterNodeProcess {
  host: string;
  port: number;
  child: ChildProcess;
}

export interface RedisClusterUnderTest {
  /** Seed nodes, as REDIS_CLUSTER_NODES would list them. */
  nodes: { host: string; port: number }[];
  servers: ClusterNodeProcess[];
  /** `redis-cli -p port …` on one node; the reply as text. */
  cli(port: number, ...args: string[]): Promise<string>;
  /** Ports of the nodes currently serving slots as primaries. */
  primaries(): Promise<number[]>;
  /** The primary serving `key`'s slot. */
  primaryOf(key: string): Promise<number>;
  /** SIGKILLs one node (as a crash would). */
  kill(port: number): Promise<void>;
  stop(): Promise<void>;
}

const HOST = "127.0.0.1";

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, HOST, () => server.close(() => resolve(true)));
  });
}

/** A port whose cluster bus port (port + 10000) is free as well. */
async function sparePort(taken: Set<number>): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 30_000);
    if (taken.has(port) || taken.has(port + 10_000)) continue;
    if ((await portIsFree(port)) && (await portIsFree(port + 10_000))) {
      taken.add(port);
      taken.add(port + 10_000);
      return port;
    }
  }
}

/** Until `check` holds (a check that throws counts as not yet); vi.waitFor works in hooks too. */
async function until(check: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  await vi.waitFor(
    async () => {
      if (!(await check().catch(() => false))) throw new Error(`Redis Cluster: still waiting for ${what}`);
    },
    { timeout: timeoutMs, interval: 50 },
  );
}

export async function startRedisCluster(options: { primaries?: number; replicasPerPrimary?: number; nodeTimeoutMs?: number } = {}): Promise<RedisClusterUnderTest> {
  const primaries = options.primaries ?? 3;
  const replicas = options.replicasPerPrimary ?? 0;
  const dir = await mkdtemp(path.join(tmpdir(), "gh-redis-cluster-"));
  const taken = new Set<number>();
  const servers: ClusterNodeProcess[] = [];
  const cli = async (port: number, ...args: string[]) => (await run("redis-cli", ["-h", HOST, "-p", String(port), ...args])).stdout.trim();

  const stop = async () => {
    await Promise.all(
      servers.map(
        ({ child }) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once("exit", () => resolve());
            child.kill("SIGKILL");
          }),
      ),
    );
    await rm(dir, { recursive: true, force: true });
  };

  try {
    for (let i = 0; i < primaries * (1 + replicas); i++) {
      const port = await sparePort(taken);
      const child = spawn(
        "redis-server",
        [
          "--port", String(port),
          "--bind", HOST,
          "--cluster-enabled", "yes",
          "--cluster-config-file", path.join(dir, `nodes-${port}.conf`),
          "--cluster-node-timeout", String(options.nodeTimeoutMs ?? 1000),
          "--dir", dir,
          "--dbfilename", `dump-${port}.rdb`,
          "--save", "",
          "--appendonly", "no",
        ],
        { stdio: "ignore" },
      );
      servers.push({ host: HOST, port, child });
    }
    for (const { port } of servers) await until(async () => (await cli(port, "ping")) === "PONG", `node ${port} to answer`);
    await run("redis-cli", [
      "--cluster", "create",
      ...servers.map((s) => `${HOST}:${s.port}`),
      "--cluster-replicas", String(replicas),
      "--cluster-yes",
    ]);
    for (const { port } of servers) {
      await until(async () => (await cli(port, "cluster", "info")).includes("cluster_state:ok"), `node ${port} to see cluster_state:ok`);
    }
    if (replicas > 0) {
      // Fail-over needs replicas that have synced with their primary.
      await until(async () => {
        const roles = await Promise.all(servers.map((s) => cli(s.port, "info", "replication")));
        return roles.filter((r) => r.includes("role:slave") && r.includes("master_link_status:up")).length === primaries * replicas;
      }, "replicas in sync");
    }
  } catch (error) {
    await stop();
    throw error;
  }

  const primariesNow = async () => {
    const alive = servers.filter((s) => s.child.exitCode === null && s.child.signalCode === null);
    const roles = await Promise.all(alive.map(async (s) => ({ port: s.port, role: await cli(s.port, "role").catch(() => "") })));
    return roles.filter((r) => r.role.startsWith("master")).map((r) => r.port);
  };

  return {
    nodes: servers.slice(0, primaries).map(({ host, port }) => ({ host, port })),
    servers,
    cli,
    primaries: primariesNow,
    async primaryOf(key) {
      const ports = await primariesNow();
      const slot = Number(await cli(ports[0]!, "cluster", "keyslot", key));
      for (const port of ports) {
        // CLUSTER NODES, the line of the node itself: fields 9… are its slot ranges ("0-5460").
        const myself = (await cli(port, "cluster", "nodes")).split("\n").find((line) => line.includes("myself"))!;
        const ranges = myself.split(" ").slice(8).map((range) => range.split("-").map(Number));
        if (ranges.some(([from, to]) => slot >= from! && slot <= (to ?? from)!)) return port;
      }
      throw new Error(`no primary serves slot ${slot}`);
    },
    async kill(port) {
      const server = servers.find((s) => s.port === port);
      if (!server) throw new Error(`no node on ${port}`);
      await new Promise<void>((resolve) => {
        server.child.once("exit", () => resolve());
        server.child.kill("SIGKILL");
      });
    },
    stop,
  };
}
