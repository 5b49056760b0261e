import { describe, expect, it } from "vitest";
import { createBatchInput, parseTargetsText } from "./batches.schema";
import { canonicalJson } from "./create-batch";
import { resolveTargets } from "./targets";

describe("canonicalJson", () => {
  it("ignores key order and undefined members, keeps array order", () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: undefined } })).toBe(canonicalJson({ a: { d: [2, 1] }, b: 1 }));
    expect(canonicalJson({ a: [1, 2] })).not.toBe(canonicalJson({ a: [2, 1] }));
    expect(canonicalJson({ at: new Date("2026-01-01T00:00:00Z") })).toBe('{"at":"2026-01-01T00:00:00.000Z"}');
  });
});

describe("createBatchInput", () => {
  it("requires the field each kind needs", () => {
    expect(createBatchInput.safeParse({ kind: "admit_next" }).success).toBe(false);
    expect(createBatchInput.safeParse({ kind: "member_quota" }).success).toBe(false);
    expect(createBatchInput.safeParse({ kind: "reactivate" }).success).toBe(true);
    expect(createBatchInput.safeParse({ kind: "admit_next", size: 0 }).success).toBe(false);
  });

  it("normalizes filters so equal requests hash equal", () => {
    const a = createBatchInput.parse({ kind: "admit_next", size: 5, filters: { country: "fr" } });
    const b = createBatchInput.parse({ kind: "admit_next", size: 5, filters: { country: ["FR"] } });
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(createBatchInput.safeParse({ kind: "admit_next", size: 5, filters: { unknown: 1 } }).success).toBe(false);
  });
});

describe("targets", () => {
  it("splits pasted CSV text and drops a header", () => {
    expect(parseTargetsText('phone\n"+33612345678"\r\n+33 6 12 34 56 79; 0c3f4a52-8f3e-4c1a-9a59-0a4b4f3c2d11\n\n')).toEqual([
      "+33612345678",
      "+33 6 12 34 56 79",
      "0c3f4a52-8f3e-4c1a-9a59-0a4b4f3c2d11",
    ]);
  });

  it("resolves ids and international phones, reports the rest, drops duplicates", () => {
    const { targets, invalid } = resolveTargets(["+33 6 12 34 56 78", "0033612345678", "0C3F4A52-8F3E-4C1A-9A59-0A4B4F3C2D11", "06 12 34 56 78", "hello"]);
    expect(targets).toEqual([
      { input: "+33 6 12 34 56 78", phone: "+33612345678" },
      { input: "0C3F4A52-8F3E-4C1A-9A59-0A4B4F3C2D11", registrationId: "0c3f4a52-8f3e-4c1a-9a59-0a4b4f3c2d11" },
    ]);
    expect(invalid.map((i) => i.input)).toEqual(["06 12 34 56 78", "hello"]);
  });
});
