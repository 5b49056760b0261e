import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createLogProvider } from "./log";

const message = { id: "n-1", channel: "sms" as const, kind: "verification_code" as const, to: "+33612345678", locale: "en" as const, body: "Your code: 123456", code: "123456" };

describe("log provider file", () => {
  it("is private (0600): it is the one place codes are kept in clear", async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "gh-log-")), "outbox.jsonl");
    const provider = createLogProvider({ file, stdout: false });
    await provider.send(message);
    await provider.close?.();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, "utf8")).toContain('"code":"123456"');
  });

  it("makes a file an older version left readable private too", async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "gh-log-")), "outbox.jsonl");
    writeFileSync(file, "", { mode: 0o644 });
    const provider = createLogProvider({ file, stdout: false });
    await provider.send(message);
    await provider.close?.();
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});
