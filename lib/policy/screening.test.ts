import { describe, expect, it } from "vitest";
import { screeningOutcome, screeningReasons } from "./screening";

const policy = { allowedCountries: null, blockedPrefixes: [], velocityMaxPerIp: 20, velocityMaxPerPrefix: 200 };
const quiet = { phoneHashBlocked: false, attemptsFromIp: 1, attemptsFromPrefix: 1 };
const person = { phone: "+33612345678", phoneCountry: "FR", email: null };

describe("screening rules", () => {
  it("accepts an ordinary registration", () => {
    expect(screeningReasons(person, policy, quiet)).toEqual([]);
    expect(screeningOutcome([])).toBe("accept");
  });

  it("rejects hard failures and holds soft ones", () => {
    expect(screeningReasons(person, { ...policy, allowedCountries: ["GB"] }, quiet)).toEqual(["country_not_allowed"]);
    expect(screeningReasons(person, { ...policy, blockedPrefixes: ["+336123"] }, quiet)).toEqual(["blocked_prefix"]);
    expect(screeningReasons(person, policy, { ...quiet, phoneHashBlocked: true })).toEqual(["blocked_phone_hash"]);
    expect(screeningReasons({ ...person, phone: "+33142685300" }, policy, quiet)).toEqual(["not_mobile"]);
    expect(screeningReasons({ ...person, phone: "+3361" }, policy, quiet)).toEqual(["invalid_number"]);
    expect(screeningReasons(person, policy, { ...quiet, attemptsFromIp: 21 })).toEqual(["velocity_ip"]);
    expect(screeningReasons(person, policy, { ...quiet, attemptsFromPrefix: 201 })).toEqual(["velocity_prefix"]);
    expect(screeningReasons({ ...person, email: "a@mailinator.com" }, policy, quiet)).toEqual(["disposable_email"]);
    expect(screeningOutcome(["velocity_ip", "disposable_email"])).toBe("hold");
    expect(screeningOutcome(["velocity_ip", "country_not_allowed"])).toBe("reject");
  });

  it("counts the limit itself as allowed", () => {
    expect(screeningReasons(person, policy, { ...quiet, attemptsFromIp: 20, attemptsFromPrefix: 200 })).toEqual([]);
  });
});
