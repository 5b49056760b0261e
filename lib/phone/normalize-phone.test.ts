import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { normalizePhone, phonePrefix, prefixOfE164, requireMobilePhone } from "./normalize-phone";

describe("normalizePhone", () => {
  it.each([
    ["+33 6 12 34 56 78", undefined],
    ["+33612345678", undefined],
    ["0033 6 12 34 56 78", undefined],
    ["06 12 34 56 78", "FR"],
    ["06.12.34.56.78", "fr"],
    ["(+33) 6-12-34-56-78", undefined],
  ])("reads %s (hint %s) as +33612345678 / FR", (input, hint) => {
    const result = normalizePhone(input, hint);
    expect(result).toEqual({
      ok: true,
      phone: { e164: "+33612345678", country: "FR", callingCode: "+33", nationalNumber: "612345678" },
    });
  });

  it("accepts numbers that may be mobile (North America)", () => {
    const result = normalizePhone("(201) 555-0123", "US");
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.phone.e164).toBe("+12015550123");
  });

  it("accepts other regions' mobiles (UK, China)", () => {
    expect(normalizePhone("07400 123456", "GB")).toMatchObject({ ok: true, phone: { e164: "+447400123456", country: "GB" } });
    expect(normalizePhone("+86 139 1234 5678")).toMatchObject({ ok: true, phone: { country: "CN" } });
  });

  it("refuses landlines", () => {
    expect(normalizePhone("01 42 68 53 00", "FR")).toMatchObject({ ok: false, problem: "not_mobile" });
  });

  it("refuses numbers without a country when no hint is given", () => {
    expect(normalizePhone("06 12 34 56 78")).toMatchObject({ ok: false, problem: "unparseable" });
  });

  it("refuses invalid numbers, garbage and unknown countries", () => {
    expect(normalizePhone("+33 6 12", undefined)).toMatchObject({ ok: false });
    expect(normalizePhone("hello", "FR")).toMatchObject({ ok: false, problem: "unparseable" });
    expect(normalizePhone("", "FR")).toMatchObject({ ok: false, problem: "unparseable" });
    expect(normalizePhone("0612345678", "XX")).toMatchObject({ ok: false, problem: "invalid_country" });
  });

  it("throws a validation error on the right field", () => {
    try {
      requireMobilePhone("0612345678", "ZZ");
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).fieldErrors).toEqual([{ path: "country", message: expect.any(String) }]);
    }
    expect(() => requireMobilePhone("01 42 68 53 00", "FR")).toThrow(/mobile/);
  });

  it("builds velocity prefixes", () => {
    const result = normalizePhone("+33612345678");
    if (!result.ok) throw new Error("expected a phone");
    expect(phonePrefix(result.phone, 4)).toBe("+336123");
  });
});

describe("prefixOfE164", () => {
  it("gives the stored number's prefix as phonePrefix gives the parsed one", () => {
    for (const [e164, country] of [["+33612345678", "FR"], ["+447712345678", "GB"], ["+14155550123", "US"], ["+8613812345678", "CN"]] as const) {
      const parsed = normalizePhone(e164);
      if (!parsed.ok) throw new Error(`${e164} should parse`);
      expect(prefixOfE164(e164, country, 6)).toBe(phonePrefix(parsed.phone, 6));
    }
  });
});
