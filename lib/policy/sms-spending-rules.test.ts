import { describe, expect, it } from "vitest";
import type { PolicySettings } from "@/db/schema";
import type { NormalizedPhone } from "@/lib/phone/normalize-phone";
import type { PolicySnapshot } from "./load-policy-snapshot";
import { budgetReasons, decideSmsSending, smsBudgetCounters, velocityCounters } from "./sms-spending-rules";

const settings = {
  allowedCountries: null,
  blockedPrefixes: [],
  velocityWindowMinutes: 10,
  velocityMaxPerIp: 20,
  velocityMaxPerPrefix: 200,
  smsBudgetCountryPerHour: 100,
  smsBudgetPrefixPerHour: 10,
  smsBudgetGlobalPerMinute: 50,
} as unknown as PolicySettings;
const snapshot: PolicySnapshot = { settings, heldPrefixes: new Set() };
const phone: NormalizedPhone = { e164: "+33612345678", country: "FR", callingCode: "+33", nationalNumber: "612345678" };
const quiet = { velocity: { ip: 1, prefix: 1 }, budgets: { country: 1, prefix: 1, global: 1 } };

describe("SMS spending rules", () => {
  it("sends within every limit, the limit itself included", () => {
    expect(decideSmsSending(snapshot, phone, "+33612345", quiet)).toEqual({ send: true });
    const atLimits = { velocity: { ip: 20, prefix: 200 }, budgets: { country: 100, prefix: 10, global: 50 } };
    expect(decideSmsSending(snapshot, phone, "+33612345", atLimits)).toEqual({ send: true });
  });

  it("withholds for the number or the traffic before judging budgets", () => {
    const over = { velocity: { ip: 21, prefix: 1 }, budgets: { country: 1, prefix: 11, global: 1 } };
    expect(decideSmsSending(snapshot, phone, "+33612345", over)).toMatchObject({ send: false, kind: "sms_withheld", reasons: ["velocity_ip"] });
    const held = { ...snapshot, heldPrefixes: new Set(["+33612345"]) };
    expect(decideSmsSending(held, phone, "+33612345", null)).toMatchObject({ kind: "sms_withheld", reasons: ["prefix_held"] });
    const closed = { ...snapshot, settings: { ...settings, allowedCountries: ["GB"], blockedPrefixes: ["+336123"] } };
    expect(decideSmsSending(closed, phone, "+33612345", null)).toMatchObject({ reasons: ["country_not_allowed", "blocked_prefix"] });
  });

  it("names every budget that is spent", () => {
    expect(budgetReasons(settings, { country: 101, prefix: 11, global: 51 })).toEqual(["sms_budget_country", "sms_budget_prefix", "sms_budget_global"]);
    expect(decideSmsSending(snapshot, phone, "+33612345", { ...quiet, budgets: { country: 1, prefix: 11, global: 1 } })).toMatchObject({
      kind: "sms_budget",
      reasons: ["sms_budget_prefix"],
    });
  });

  it("sends nothing on a budget Redis could not confirm", () => {
    expect(decideSmsSending(snapshot, phone, "+33612345", { ...quiet, budgets: "unavailable" })).toMatchObject({
      send: false,
      kind: "sms_budget",
      reasons: ["sms_budget_unavailable"],
    });
  });

  it("keys budgets by clock hour and minute, and velocity by its window", () => {
    const at = new Date("2026-11-27T10:59:59.999Z");
    const [country, prefix, global] = smsBudgetCounters("FR", "+33612345", at);
    const next = smsBudgetCounters("FR", "+33612345", new Date("2026-11-27T11:00:00.000Z"));
    expect(country.key).not.toBe(next[0].key);
    expect(prefix).toMatchObject({ name: "sms-prefix", windowSeconds: 3600 });
    expect(global).toMatchObject({ name: "sms-global", windowSeconds: 60 });
    expect(velocityCounters(settings, null, "+33612345")).toEqual([{ name: "velocity-prefix", key: "+33612345", windowSeconds: 600, fallback: "memory" }]);
  });
});
