// Run by ./production-build.ts under its locks: checks again (another process may have built
// while this one waited for the lock), then `next build` and records the sources' hash.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { buildIsCurrent, recordBuild, sourceHash } from "../../scripts/lib/next-build";

const root = path.resolve(import.meta.dirname, "../..");
const hash = sourceHash(root);
if (!buildIsCurrent(root, hash)) {
  const result = spawnSync(process.execPath, [path.join(root, "node_modules", "next", "dist", "bin", "next"), "build"], { cwd: root, stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
  recordBuild(root, hash);
}
