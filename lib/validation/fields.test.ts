import { describe, expect, it } from "vitest";
import { country, countryListText, isUuid, optionalUtcDateTime, phoneListText, utcDateTime, wholeNumber } from "./fields";

describe("country", () => {
  it("upper-cases a code libphonenumber knows and refuses the rest", () => {
    expect(country().parse(" fr ")).toBe("FR");
    expect(country().safeParse("XX").success).toBe(false);
    expect(country().safeParse("France").success).toBe(false);
  });

  it("reads a form's list; an empty field means every country (null)", () => {
    expect(countryListText.parse("fr, de be;NL")).toEqual(["FR", "DE", "BE", "NL"]);
    expect(countryListText.parse("  ")).toBeNull();
    expect(countryListText.parse(undefined)).toBeNull();
    expect(countryListText.safeParse("fr, zz").error?.issues[0]).toMatchObject({ path: [1], message: "use two-letter country codes, e.g. FR, DE" });
  });
});

describe("phone list", () => {
  it("takes one number per line or comma in any format and gives E.164", () => {
    expect(phoneListText(10).parse("+44 7911 123456\n0033 6 12 34 56 78; +1 (415) 555-0123")).toEqual(["+447911123456", "+33612345678", "+14155550123"]);
    expect(phoneListText(10).parse("")).toBeUndefined();
  });

  it("names the entry it cannot read", () => {
    const issues = phoneListText(10).safeParse("+33 6 12 34 56 78\nnot a phone").error?.issues;
    expect(issues).toEqual([expect.objectContaining({ path: [1], message: expect.stringMatching(/^not a phone: /) })]);
    expect(phoneListText(1).safeParse("+33612345678, +33612345679").success).toBe(false);
  });
});

describe("whole number", () => {
  it("says what is wrong in words a form can show", () => {
    expect(wholeNumber(1, 1000).safeParse(0).error?.issues[0]?.message).toBe("must be at least 1");
    expect(wholeNumber(1, 1000).safeParse(1.5).error?.issues[0]?.message).toBe("must be a whole number");
    expect(wholeNumber(1, 1_000_000).safeParse(2_000_000).error?.issues[0]?.message).toBe("must be at most 1,000,000");
    expect(wholeNumber(1, 10, "how many?").safeParse(undefined).error?.issues[0]?.message).toBe("how many?");
  });
});

describe("UTC date-time", () => {
  it("reads datetime-local as UTC and ISO with its zone; empty is not given", () => {
    expect(utcDateTime.parse("2026-12-01T09:00")).toEqual(new Date("2026-12-01T09:00:00Z"));
    expect(utcDateTime.parse("2026-12-01T09:00:00+01:00")).toEqual(new Date("2026-12-01T08:00:00Z"));
    expect(utcDateTime.safeParse("tomorrow").error?.issues[0]?.message).toBe("pick a date and time");
    expect(optionalUtcDateTime.parse("")).toBeUndefined();
  });
});

describe("uuid", () => {
  it("tells ids from other text", () => {
    expect(isUuid("0c3f4a52-8f3e-4c1a-9a59-0a4b4f3c2d11")).toBe(true);
    expect(isUuid("0C3F4A52-8F3E-4C1A-9A59-0A4B4F3C2D11")).toBe(true);
    expect(isUuid("not-a-uuid")).toBe(false);
  });
});
