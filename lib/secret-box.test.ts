import { describe, expect, it } from "vitest";
import { isSealed, keyedHash, openSecret, sameDigest, sealSecret, sealSecrets } from "./secret-box";

describe("secret box", () => {
  it("seals with a fresh IV each time and opens only for the same purpose", () => {
    const a = sealSecret("ABCD-EFGH-JKMN-PQRS", "notification-code");
    const b = sealSecret("ABCD-EFGH-JKMN-PQRS", "notification-code");
    expect(a).not.toBe(b);
    expect(isSealed(a)).toBe(true);
    expect(a).not.toContain("ABCD");
    expect(openSecret(a, "notification-code")).toBe("ABCD-EFGH-JKMN-PQRS");
    expect(() => openSecret(a, "webhook-secret")).toThrow();
    expect(isSealed("123456")).toBe(false);
  });

  it("seals many at once, each with its own IV", () => {
    const plains = Array.from({ length: 50 }, (_, i) => `code-${i}`);
    const sealed = sealSecrets(plains, "notification-code");
    expect(new Set(sealed.map((s) => s.split(".")[1])).size).toBe(50);
    expect(sealed.map((s) => openSecret(s, "notification-code"))).toEqual(plains);
  });

  it("hashes with a key per purpose, compared in constant time", () => {
    const hash = keyedHash("reg:123456", "verification-code");
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(keyedHash("reg:123456", "verification-code")).toBe(hash);
    expect(keyedHash("reg:123456", "invitation-code")).not.toBe(hash);
    expect(sameDigest(hash, hash)).toBe(true);
    expect(sameDigest(keyedHash("reg:123457", "verification-code"), hash)).toBe(false);
    expect(sameDigest("abc", hash)).toBe(false);
  });
});
