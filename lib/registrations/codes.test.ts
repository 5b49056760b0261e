import { describe, expect, it } from "vitest";
import {
  generateReferralCode,
  generateVerificationCode,
  hashVerificationCode,
  normalizeReferralCode,
  verificationCodeMatches,
} from "./codes";

describe("verification codes", () => {
  it("are six digits", () => {
    for (let i = 0; i < 200; i++) expect(generateVerificationCode()).toMatch(/^\d{6}$/);
  });

  it("match only their own registration and code", () => {
    const hash = hashVerificationCode("reg-a", "123456");
    expect(verificationCodeMatches("reg-a", "123456", hash)).toBe(true);
    expect(verificationCodeMatches("reg-a", "123457", hash)).toBe(false);
    expect(verificationCodeMatches("reg-b", "123456", hash)).toBe(false);
    expect(verificationCodeMatches("reg-a", "123456", "abc")).toBe(false);
  });
});

describe("referral codes", () => {
  it("are 8 unambiguous characters and survive normalisation", () => {
    for (let i = 0; i < 200; i++) {
      const code = generateReferralCode();
      expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{8}$/);
      expect(normalizeReferralCode(code.toLowerCase())).toBe(code);
    }
    expect(normalizeReferralCode(" ab1o-il ")).toBe("AB10-11".replace("-", ""));
  });
});
