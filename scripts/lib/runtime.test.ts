import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseEnv, type Env } from "@/lib/env.js";
import { ensureAuthSecret } from "./runtime";

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
