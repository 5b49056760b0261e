// The postgres.js 3.4.9 crash (porsager/postgres#1066, #1154, #1208) and our patch of it
// (patches/postgres+3.4.9.patch, applied by patch-package on every install). The repro runs in
// a child process, against the driver as installed (patched: ESM and CommonJS copies) and
// against a copy with the patch reversed (3.4.9 as published), which must still crash — so the
// test keeps proving both that the defect is real and that the installed driver is fixed.
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../helpers/database";

const root = path.resolve(import.meta.dirname, "../..");
const script = path.join(root, "tests/helpers/postgres-write-race.mjs");
const patchFile = path.join(root, "patches/postgres+3.4.9.patch");
const installed = path.join(root, "node_modules/postgres");

let database: TestDatabase;
let scratch: string;

beforeAll(async () => {
  database = await createTestDatabase();
  scratch = mkdtempSync(path.join(tmpdir(), "gh-pg-unpatched-"));
});
afterAll(async () => {
  await database.drop();
  rmSync(scratch, { recursive: true, force: true });
});

function runRepro(entry: string) {
  const result = spawnSync(process.execPath, [script], {
    env: { ...process.env, POSTGRES_MODULE: entry, DATABASE_URL: database.url },
    encoding: "utf8",
    timeout: 30_000,
  });
  return { status: result.status, stdout: result.stdout.trim(), stderr: result.stderr };
}

describe("postgres.js write-after-close patch", () => {
  it("the published 3.4.9 crashes the process when a transaction's backend is terminated", () => {
    const copy = path.join(scratch, "postgres");
    cpSync(installed, copy, { recursive: true });
    // The patch's paths are node_modules/postgres/…: strip three components to apply it here.
    const reverse = spawnSync("git", ["apply", "-R", "-p3", patchFile], { cwd: copy, encoding: "utf8" });
    expect(reverse.stderr).toBe("");
    expect(reverse.status).toBe(0);

    const run = runRepro(path.join(copy, "src/index.js"));
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain("TypeError: Cannot read properties of null (reading 'write')");
    expect(run.stderr).toContain("at Immediate.nextWrite");
  });

  it.each([
    ["ESM", "src/index.js"],
    ["CommonJS", "cjs/src/index.js"],
  ])("the installed %s driver rejects with CONNECTION_CLOSED, stays up, and its pool reconnects", (_kind, entry) => {
    const run = runRepro(path.join(installed, entry));
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const outcome = JSON.parse(run.stdout) as { rejected: string | null; after: number | null; failures: number };
    expect(outcome.rejected).toBe("CONNECTION_CLOSED");
    expect(outcome.after).toBe(1);
    expect(outcome.failures).toBeLessThanOrEqual(1);
  });
});
