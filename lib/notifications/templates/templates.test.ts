import { describe, expect, it } from "vitest";
import { locale, notificationKind } from "@/db/schema";
import { parseEnv } from "@/lib/env.js";
import { renderNotification, smsSize } from ".";

const code = "7K3M-Q9TX-2HRW-8NPD";
const expiresAt = "2026-11-28T18:05:00.000Z";

function render(kind: (typeof notificationKind.enumValues)[number], loc: (typeof locale.enumValues)[number], channel: "sms" | "email" = "sms", params: Record<string, unknown> = { phaseName: "Closed beta wave 2", expiresAt }) {
  return renderNotification({ kind, channel, locale: loc, params, code: kind === "invitation_reminder" ? null : kind === "verification_code" ? "482913" : code });
}

describe("notification templates", () => {
  it("render every kind in every locale with phase, code, expiry and deep link", () => {
    for (const loc of locale.enumValues) {
      for (const kind of notificationKind.enumValues) {
        const sms = render(kind, loc).body;
        const email = render(kind, loc, "email");
        expect(email.subject, `${kind}/${loc}`).toBeTruthy();
        for (const body of [sms, email.body]) {
          expect(body).not.toContain("undefined");
          expect(body).toContain(loc === "zh" ? "18:05(UTC)" : "18:05 UTC");
          if (kind === "verification_code") expect(body).toContain("482913");
          if (kind === "invitation" || kind === "reactivation") {
            expect(body).toContain(code);
            expect(body).toContain("gatehouse://redeem/7K3MQ9TX2HRW8NPD");
          }
          if (kind !== "verification_code") expect(body).toContain("Closed beta wave 2");
          if (kind === "invitation_reminder") expect(body).toContain("gatehouse://redeem");
        }
      }
    }
  });

  it("builds deep links on the configured base (APP_LINK_BASE: a scheme or a universal-link URL)", () => {
    const base = parseEnv({ APP_LINK_BASE: "https://join.example.com/app/" }).APP_LINK_BASE;
    const invitation = renderNotification({ kind: "invitation", channel: "sms", locale: "en", params: { expiresAt }, code, linkBase: base });
    expect(invitation.body).toContain("https://join.example.com/app/redeem/7K3MQ9TX2HRW8NPD");
    expect(parseEnv({}).APP_LINK_BASE).toBe("gatehouse://");
    expect(() => parseEnv({ APP_LINK_BASE: "join.example.com" })).toThrow(/APP_LINK_BASE: must be a scheme/);
    expect(() => parseEnv({ APP_LINK_BASE: "https://join.example.com/app" })).toThrow(/APP_LINK_BASE/);
  });

  it("speaks the locale", () => {
    expect(render("invitation", "en").body).toMatch(/^Gatehouse: you're invited to Closed beta wave 2!/);
    expect(render("invitation", "fr").body).toMatch(/^Gatehouse : invitation pour Closed beta wave 2 !/);
    expect(render("invitation", "fr").body).toContain("28/11 18:05 UTC");
    expect(render("invitation", "zh").body).toMatch(/^【Gatehouse】您受邀加入Closed beta wave 2！/);
    expect(render("invitation", "zh").body).toContain("11月28日18:05(UTC)");
    expect(render("verification_code", "fr", "email").subject).toBe("Votre code de validation Gatehouse");
  });

  it("fits English and French SMS in one GSM-7 segment with a 24-character phase name", () => {
    const params = { phaseName: "Closed beta wave 2 — EU".padEnd(24, "x").replace("—", "-"), expiresAt };
    for (const loc of ["en", "fr"] as const) {
      for (const kind of notificationKind.enumValues) {
        const size = smsSize(render(kind, loc, "sms", params).body);
        expect(size, `${kind}/${loc}: ${render(kind, loc, "sms", params).body}`).toMatchObject({ encoding: "gsm7", segments: 1 });
      }
    }
  });

  it("fits Chinese SMS in one UCS-2 segment except invitations, which carry a 19-character code and a link (two)", () => {
    const params = { phaseName: "第二轮内测", expiresAt };
    for (const kind of notificationKind.enumValues) {
      const size = smsSize(render(kind, "zh", "sms", params).body);
      expect(size.encoding).toBe("ucs2");
      expect(size.segments, kind).toBe(kind === "invitation" || kind === "reactivation" ? 2 : 1);
    }
  });

  it("renders generic words when the producer gave no params", () => {
    const body = renderNotification({ kind: "invitation", channel: "sms", locale: "en", params: null, code }).body;
    expect(body).toContain("the Gatehouse beta");
    expect(body).toContain(code);
  });
});

describe("smsSize", () => {
  it("counts GSM-7 septets, extension characters twice, and switches to UCS-2 for anything else", () => {
    expect(smsSize("a".repeat(160))).toEqual({ encoding: "gsm7", units: 160, segments: 1 });
    expect(smsSize("a".repeat(161))).toEqual({ encoding: "gsm7", units: 161, segments: 2 });
    expect(smsSize("€".repeat(80))).toEqual({ encoding: "gsm7", units: 160, segments: 1 });
    expect(smsSize("é à ù")).toMatchObject({ encoding: "gsm7" });
    expect(smsSize("ê")).toMatchObject({ encoding: "ucs2", segments: 1 });
    expect(smsSize("中".repeat(70))).toEqual({ encoding: "ucs2", units: 70, segments: 1 });
    expect(smsSize("中".repeat(71))).toEqual({ encoding: "ucs2", units: 71, segments: 2 });
  });
});
