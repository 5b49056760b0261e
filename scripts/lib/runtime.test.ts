import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseEnv, type Env } from "@/lib/env.js";
import { ensureAuthSecret, resolveDataDir } from "./runtime";

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "gh-runtime-"));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const envWith = (vars: Record<string, string>): Env => parseEnv(vars);

describe("ensureAuthSecret", () => {
  it("generates a secret once into <data>/auth-secret, readable by the owner only, and reuses it", () => {
    const dir = tempDir();
    const first = ensureAuthSecret(envWith({}), dir);
    expect(first.secret.length).toBeGreaterThanOrEqual(32);
    const file = path.join(dir, "auth-secret");
    expect(readFileSync(file, "utf8").trim()).toBe(first.secret);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(ensureAuthSecret(envWith({}), dir).secret).toBe(first.secret);
  });

  it("prefers AUTH_SECRET from the environment and writes nothing", () => {
    const dir = tempDir();
    const secret = "s".repeat(40);
    expect(ensureAuthSecret(envWith({ AUTH_SECRET: secret }), dir)).toEqual({ secret, origin: "AUTH_SECRET" });
    expect(() => statSync(path.join(dir, "auth-secret"))).toThrow();
  });
});

describe("resolveDataDir", () => {
  // As root, others may pass through (embedded PostgreSQL's OS user reaches its data directory) but not list.
  const privateMode = process.getuid?.() === 0 ? 0o711 : 0o700;

  it("creates the data directory private to its owner, and makes an existing open one private", () => {
    const fresh = path.join(tempDir(), "data");
    expect(resolveDataDir(envWith({ DATA_DIR: fresh }))).toBe(fresh);
    expect(statSync(fresh).mode & 0o777).toBe(privateMode);

    const open = path.join(tempDir(), "open");
    mkdirSync(open);
    chmodSync(open, 0o755);
    resolveDataDir(envWith({ DATA_DIR: open }));
    expect(statSync(open).mode & 0o777).toBe(privateMode);
  });
});
