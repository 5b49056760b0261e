// The production build of the console that browser tests and `npm start` tests run against:
// rebuilt only when the sources changed since the last build (scripts/lib/next-build.ts), under
// the machine-wide heavy-work lock (shared 2-core box), and under a per-checkout build lock with
// the check repeated inside it, so two test processes never build into one .next at once.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { buildIsCurrent, sourceHash } from "../../scripts/lib/next-build";

const root = path.resolve(import.meta.dirname, "../..");
const HEAVY_LOCK = "/tmp/gatehouse-heavy.lock";

/**
 * Whether this run already holds the heavy lock (`flock /tmp/gatehouse-heavy.lock npx vitest …`):
 * taking it again from here would wait forever. Said with GATEHOUSE_HEAVY_LOCK_HELD=1, or found
 * in /proc/locks: the lock's holder is one of this process's ancestors.
 */
function heavyLockHeldAbove(): boolean {
  if (process.env.GATEHOUSE_HEAVY_LOCK_HELD) return true;
  try {
    const inode = String(statSync(HEAVY_LOCK).ino);
    const holders = readFileSync("/proc/locks", "utf8")
      .split("\n")
      .filter((line) => !line.includes("->"))
      .map((line) => line.trim().split(/\s+/))
      .filter((fields) => fields[1] === "FLOCK" && fields[5]?.split(":")[2] === inode)
      .map((fields) => Number(fields[4]));
    for (let pid = process.pid; pid > 1; ) {
      if (holders.includes(pid)) return true;
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      pid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    }
  } catch {}
  return false;
}

/** Builds unless current; returns how it went. Throws with the build's output tail on failure. */
export function ensureProductionBuild(log: (line: string) => void = () => {}): "current" | "built" {
  if (buildIsCurrent(root, sourceHash(root))) return "current";
  const hasFlock = spawnSync("sh", ["-c", "command -v flock"], { stdio: "ignore" }).status === 0;
  const buildLock = `/tmp/gatehouse-build-${createHash("sha256").update(root).digest("hex").slice(0, 12)}.lock`;
  const locks = hasFlock ? ["flock", buildLock, ...(heavyLockHeldAbove() ? [] : ["flock", HEAVY_LOCK])] : [];
  const started = Date.now();
  log("sources changed since the last build: running next build …");
  const command = [...locks, process.execPath, "--import", "tsx", path.join(import.meta.dirname, "build-when-stale.ts")];
  const result = spawnSync(command[0]!, command.slice(1), {
    cwd: root,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" },
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  const artifacts = path.join(root, "test-artifacts");
  mkdirSync(artifacts, { recursive: true });
  writeFileSync(path.join(artifacts, "next-build.log"), `${result.stdout ?? ""}\n${result.stderr ?? ""}`);
  if (result.status !== 0) {
    throw new Error(`next build failed (see test-artifacts/next-build.log):\n${(result.stdout + result.stderr).slice(-4000)}`);
  }
  log(`next build done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return "built";
}


