import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { phoneHash } from "./phone-hash";

describe("phoneHash", () => {
  it("is sha256 hex of salt, a colon and the E.164 phone", () => {
    const expected = createHash("sha256").update("s4lt:+33612345678").digest("hex");
    expect(phoneHash("s4lt", "+33612345678")).toBe(expected);
  });

  it("depends on the salt", () => {
    expect(phoneHash("a", "+33612345678")).not.toBe(phoneHash("b", "+33612345678"));
  });
});
