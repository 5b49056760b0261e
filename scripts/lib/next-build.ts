// Whether the production build in .next is current: a hash of everything `next build` reads,
// stored beside the build. A missing or different hash means build again.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

/** What the build depends on (tests and scripts excluded: they never reach the bundle). */
const SOURCE_DIRS = ["app", "components", "lib", "db/schema", "jobs", "public"];
const SOURCE_FILES = ["next.config.js", "package-lock.json", "postcss.config.mjs", "tsconfig.json", "tsconfig.build.json", "db/client.ts"];
const HASH_FILE = "gatehouse-source-hash";

function* sourceFiles(root: string, dir: string): Generator<string> {
  const full = path.join(root, dir);
  if (!existsSync(full)) return;
  for (const entry of readdirSync(full, { withFileTypes: true })) {
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(root, relative);
    else if (!/\.test\.tsx?$/.test(entry.name)) yield relative;
  }
}

/** sha256 over the paths and contents of the build's sources, in a stable order. */
export function sourceHash(root: string): string {
  const files = [...SOURCE_DIRS.flatMap((dir) => [...sourceFiles(root, dir)]), ...SOURCE_FILES.filter((f) => existsSync(path.join(root, f)))];
  const hash = createHash("sha256");
  for (const file of files.sort()) {
    hash.update(file).update("\0").update(readFileSync(path.join(root, file))).update("\0");
  }
  return hash.digest("hex");
}

export function buildIsCurrent(root: string, hash: string): boolean {
  const nextDir = path.join(root, ".next");
  if (!existsSync(path.join(nextDir, "BUILD_ID"))) return false;
  const stored = path.join(nextDir, HASH_FILE);
  return existsSync(stored) && statSync(stored).isFile() && readFileSync(stored, "utf8").trim() === hash;
}

export function recordBuild(root: string, hash: string): void {
  writeFileSync(path.join(root, ".next", HASH_FILE), `${hash}\n`);
}
