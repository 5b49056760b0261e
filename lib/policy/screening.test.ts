import { describe, expect, it } from "vitest";
import { screeningOutcome, screeningReasons } from "./screening";

const policy = { allowedCountries: null, blockedPrefixes: [] };
const quiet = { phoneHashBlocked: false, requestReasons: [] };
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
    expect(screeningReasons(person, policy, { ...quiet, requestReasons: ["velocity_ip"] })).toEqual(["velocity_ip"]);
    expect(screeningReasons(person, policy, { ...quiet, requestReasons: ["velocity_prefix", "prefix_held"] })).toEqual(["velocity_prefix", "prefix_held"]);
    expect(screeningReasons({ ...person, email: "a@mailinator.com" }, policy, quiet)).toEqual(["disposable_email"]);
    expect(screeningOutcome(["velocity_ip", "disposable_email"])).toBe("hold");
    expect(screeningOutcome(["velocity_ip", "country_not_allowed"])).toBe("reject");
  });

  it("takes the counted verdicts of the request path over, and re-applies the number rules to the current policy", () => {
    // Country and range come from the policy now, not from what the request saw: a country
    // allowed since is no longer a reason.
    expect(screeningReasons(person, policy, { ...quiet, requestReasons: ["country_not_allowed", "velocity_ip"] })).toEqual(["velocity_ip"]);
    expect(screeningReasons(person, { ...policy, allowedCountries: ["GB"] }, { ...quiet, requestReasons: ["country_not_allowed"] })).toEqual([
      "country_not_allowed",
    ]);
    expect(screeningOutcome(["prefix_held"])).toBe("hold");
  });
});
