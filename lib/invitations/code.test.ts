import { describe, expect, it } from "vitest";
import { CODE_LENGTH, formatInvitationCode, generateInvitationCode, hashInvitationCode, normalizeInvitationCode } from "./code";

describe("invitation codes", () => {
  it("are 16 Crockford base32 symbols and differ every time", () => {
    const codes = new Set(Array.from({ length: 2000 }, generateInvitationCode));
    expect(codes.size).toBe(2000);
    for (const code of codes) expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{16}$/);
  });

  it("use every symbol of the alphabet (all 80 bits reach the code)", () => {
    const seen = new Set(Array.from({ length: 500 }, generateInvitationCode).join(""));
    expect(seen.size).toBe(32);
  });

  it("are shown in groups of four", () => {
    expect(formatInvitationCode("ABCD0123EFGH4567")).toBe("ABCD-0123-EFGH-4567");
  });

  it("normalize what people type", () => {
    const code = generateInvitationCode();
    expect(normalizeInvitationCode(formatInvitationCode(code).toLowerCase())).toBe(code);
    expect(normalizeInvitationCode("abcd 0123 efgh 4567")).toBe("ABCD0123EFGH4567");
    expect(normalizeInvitationCode("ILO0-0000-0000-0000")).toBe("1100000000000000");
    expect(normalizeInvitationCode("UUUU-0000-0000-0000")).toBeNull();
    expect(normalizeInvitationCode("ABC")).toBeNull();
    expect(normalizeInvitationCode("x".repeat(CODE_LENGTH + 1))).toBeNull();
  });

  it("hash deterministically and never to the code itself", () => {
    const code = generateInvitationCode();
    expect(hashInvitationCode(code)).toBe(hashInvitationCode(code));
    expect(hashInvitationCode(code)).not.toContain(code);
    expect(hashInvitationCode(code)).toMatch(/^[0-9a-f]{64}$/);
  });
});
