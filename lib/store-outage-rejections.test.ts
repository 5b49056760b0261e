import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..");
const child = path.join(root, "tests/helpers/unhandled-rejection-child.ts");

function run(kind: "database" | "bug") {
  const result = spawnSync(process.execPath, ["--import", "tsx", child, kind], { cwd: root, encoding: "utf8", timeout: 20_000 });
  return { status: result.status, output: result.stdout + result.stderr };
}

describe("unhandled rejections", () => {
  it("a lost database-connection error is logged and the process keeps running", () => {
    const { status, output } = run("database");
    expect(output).toContain("process.unhandled_store_rejection");
    expect(output).toContain("still alive");
    expect(status).toBe(0);
  });

  it("any other unhandled rejection still ends the process", () => {
    const { status, output } = run("bug");
    expect(output).toContain("Cannot read properties of undefined");
    expect(output).not.toContain("still alive");
    expect(status).not.toBe(0);
  });
});
