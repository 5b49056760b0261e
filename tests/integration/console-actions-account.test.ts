// The Account page's and the admin's staff-security server actions, run server-side as a forged
// request would arrive: an admin's password reset (shown once, must be changed) and the
// "require a second factor" setting put an account in a step it owes, and until it pays it every
// other action is refused; only admins reset or require; every change is audited. And the API
// token actions (the Account page's, also behind the Staff page's token table): every member
// creates and revokes their own token; revoking another member's is an admin's (not_found to
// anyone else).
import { and, eq } from "drizzle-orm";
import { generate } from "otplib";
import { beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { apiTokens, auditEvents, staffUsers, type StaffRole } from "../../db/schema";
import { runStaffAction, type StaffActionSpec } from "../../app/_server/action-spec";
import { actorForStaffId, sessionActorForStaffId } from "../../app/_server/staff-actor";
import {
  changeOwnPasswordSpec,
  confirmTwoFactorSpec,
  createApiTokenSpec,
  disableTwoFactorSpec,
  regenerateRecoveryCodesSpec,
  revokeApiTokenSpec,
  startTwoFactorSpec,
} from "../../app/(console)/account/action-specs";
import { resetStaffPasswordSpec, resetStaffTwoFactorSpec, setRequireTwoFactorSpec } from "../../app/(console)/staff/action-specs";
import { authenticateApiToken } from "../../lib/staff/api-tokens";
import { createStaffUser } from "../../lib/staff/create-staff-user";
import { verifyStaffCredentials } from "../../lib/staff/find-staff";
import { getAccountSecurity } from "../../lib/staff/account";
import { insertStaff } from "../helpers/factories";
import { usePublicApiTestServices } from "../helpers/public-api";

const services = usePublicApiTestServices();
const roles = ["admin", "growth", "support", "product"] as const;
const staffIds = {} as Record<StaffRole, string>;
let n = 0;

beforeAll(async () => {
  for (const role of roles) staffIds[role] = (await insertStaff(services.db, role)).staffId;
});

function run<S extends z.ZodType, T>(spec: StaffActionSpec<S, T>, staffId: string, rawInput: unknown) {
  return runStaffAction({
    db: services.db,
    staffId,
    permission: spec.permission,
    schema: spec.schema,
    fn: spec.run,
    rawInput,
    allowPendingStep: spec.allowPendingStep,
  });
}

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.append(k, v);
  return data;
}

async function member(password = "the original passphrase") {
  n += 1;
  const { user } = await createStaffUser(services.db, null, { email: `account-${n}@test.local`, role: "support", password });
  return user;
}

async function audits(action: string, targetId?: string) {
  return services.db
    .select()
    .from(auditEvents)
    .where(targetId ? and(eq(auditEvents.action, action), eq(auditEvents.targetId, targetId)) : eq(auditEvents.action, action));
}

describe("an admin's password reset", () => {
  it("only admins reset; the new password is returned once, must be changed first, and nothing else runs until then", async () => {
    const target = await member();
    for (const role of ["growth", "support", "product"] as const) {
      expect(await run(resetStaffPasswordSpec, staffIds[role], form({ staffId: target.id })), role).toMatchObject({ ok: false, code: "forbidden" });
    }
    const reset = await run(resetStaffPasswordSpec, staffIds.admin, form({ staffId: target.id }));
    expect(reset).toMatchObject({ ok: true, data: { email: target.email } });
    const issued = reset.ok ? reset.data.password : "";
    expect(issued).toHaveLength(20);
    expect(await verifyStaffCredentials(services.db, target.email, "the original passphrase")).toBeNull();
    expect(await verifyStaffCredentials(services.db, target.email, issued)).not.toBeNull();
    expect(await audits("staff.password_reset", target.id)).toHaveLength(1);

    // Owing the change: the session is known, but acts nowhere else.
    expect(await sessionActorForStaffId(services.db, target.id)).toMatchObject({ pending: "password_change" });
    expect(await actorForStaffId(services.db, target.id)).toBeNull();
    expect(await run(startTwoFactorSpec, target.id, {})).toMatchObject({ ok: true });
    expect(await run(regenerateRecoveryCodesSpec, target.id, {})).toMatchObject({ ok: false, code: "forbidden", error: expect.stringContaining("new password") });

    const change = changeOwnPasswordSpec("192.0.2.10");
    expect(await run(change, target.id, form({ currentPassword: issued, newPassword: "short", confirmPassword: "short" }))).toMatchObject({
      ok: false,
      code: "validation",
      fieldErrors: { newPassword: expect.any(String) },
    });
    expect(
      await run(change, target.id, form({ currentPassword: "not it", newPassword: "my own passphrase now", confirmPassword: "my own passphrase now" })),
    ).toMatchObject({ ok: false, fieldErrors: { currentPassword: "wrong password" } });
    expect(
      await run(change, target.id, form({ currentPassword: issued, newPassword: "my own passphrase now", confirmPassword: "my own passphrase now" })),
    ).toMatchObject({ ok: true });
    expect(await sessionActorForStaffId(services.db, target.id)).toMatchObject({ pending: null });
    expect(await verifyStaffCredentials(services.db, target.email, "my own passphrase now")).not.toBeNull();
    expect(await audits("staff.password_change", target.id)).toHaveLength(1);
    // No password in the audit trail.
    const trail = JSON.stringify(await services.db.select().from(auditEvents).where(eq(auditEvents.targetId, target.id)));
    expect(trail).not.toContain(issued);
    expect(trail).not.toContain("my own passphrase now");
  });

  it("guessing the current password on the change form meets the sign-in throttle", async () => {
    const target = await member();
    const change = changeOwnPasswordSpec("192.0.2.77");
    const codes: string[] = [];
    for (let i = 0; i < 11; i++) {
      const result = await run(change, target.id, form({ currentPassword: `guess ${i}`, newPassword: "whatever passphrase", confirmPassword: "whatever passphrase" }));
      codes.push(result.ok ? "ok" : result.code);
    }
    expect(codes.slice(0, 10).every((c) => c === "validation")).toBe(true);
    expect(codes[10]).toBe("rate_limited");
  });
});

describe("a required second factor", () => {
  it("only admins require it; members without one must enrol before anything else; it cannot be turned off while required", async () => {
    const target = await member();
    for (const role of ["growth", "support", "product"] as const) {
      expect(await run(setRequireTwoFactorSpec, staffIds[role], form({ requireTwoFactor: "true" })), role).toMatchObject({ ok: false, code: "forbidden" });
    }
    // The admin must have one first.
    expect(await run(setRequireTwoFactorSpec, staffIds.admin, form({ requireTwoFactor: "true" }))).toMatchObject({ ok: false, code: "invalid_state" });
    const own = await run(startTwoFactorSpec, staffIds.admin, {});
    expect(await run(confirmTwoFactorSpec, staffIds.admin, form({ code: await generate({ secret: own.ok ? own.data.secret : "" }) }))).toMatchObject({ ok: true });
    expect(await run(setRequireTwoFactorSpec, staffIds.admin, form({ requireTwoFactor: "true" }))).toMatchObject({ ok: true, data: { requireTwoFactor: true } });
    try {
      expect(await sessionActorForStaffId(services.db, target.id)).toMatchObject({ pending: "two_factor_enrolment" });
      expect(await actorForStaffId(services.db, target.id)).toBeNull();

      const started = await run(startTwoFactorSpec, target.id, {});
      expect(started.ok).toBe(true);
      const secret = started.ok ? started.data.secret : "";
      expect(await run(confirmTwoFactorSpec, target.id, form({ code: "12345" }))).toMatchObject({ ok: false, fieldErrors: { code: expect.any(String) } });
      const wrong = (Number(await generate({ secret })) + 1) % 1_000_000;
      expect(await run(confirmTwoFactorSpec, target.id, form({ code: String(wrong).padStart(6, "0") }))).toMatchObject({ ok: false, code: "validation" });
      const confirmed = await run(confirmTwoFactorSpec, target.id, form({ code: await generate({ secret }) }));
      expect(confirmed).toMatchObject({ ok: true, data: { recoveryCodes: expect.any(Array) } });
      expect(await sessionActorForStaffId(services.db, target.id)).toMatchObject({ pending: null });
      expect(await getAccountSecurity(services.db, { staffId: target.id, email: target.email, role: "support", via: { kind: "session" } })).toMatchObject({
        recoveryCodesLeft: 10,
        twoFactorRequired: true,
      });

      expect(await run(disableTwoFactorSpec, target.id, {})).toMatchObject({ ok: false, code: "invalid_state" });
      const regenerated = await run(regenerateRecoveryCodesSpec, target.id, {});
      expect(regenerated.ok && regenerated.data.recoveryCodes).toHaveLength(10);
      expect(await audits("staff.two_factor_enable", target.id)).toHaveLength(1);
      expect(await audits("staff.recovery_codes_regenerate", target.id)).toHaveLength(1);

      // An admin's reset for a lost phone: gone, and owed again.
      expect(await run(resetStaffTwoFactorSpec, staffIds.growth, form({ staffId: target.id }))).toMatchObject({ ok: false, code: "forbidden" });
      const versionBefore = (await services.db.select().from(staffUsers).where(eq(staffUsers.id, target.id)))[0]!.sessionVersion;
      expect(await run(resetStaffTwoFactorSpec, staffIds.admin, form({ staffId: target.id }))).toMatchObject({ ok: true });
      const [after] = await services.db.select().from(staffUsers).where(eq(staffUsers.id, target.id));
      expect(after).toMatchObject({ totpSecret: null, sessionVersion: versionBefore + 1 });
      expect(await sessionActorForStaffId(services.db, target.id)).toMatchObject({ pending: "two_factor_enrolment" });
      expect(await audits("staff.two_factor_reset", target.id)).toHaveLength(1);
    } finally {
      expect(await run(setRequireTwoFactorSpec, staffIds.admin, form({ requireTwoFactor: "false" }))).toMatchObject({ ok: true });
    }
    expect((await audits("staff.require_two_factor")).map((e) => e.after)).toEqual([{ requireTwoFactor: true }, { requireTwoFactor: false }]);
    expect(await sessionActorForStaffId(services.db, target.id)).toMatchObject({ pending: null });
  });
});

async function createFor(staffId: string, name: string) {
  const result = await run(createApiTokenSpec, staffId, form({ name }));
  if (!result.ok) throw new Error(result.error);
  return result.data;
}

describe("own API tokens (any role; another member's only for an admin)", () => {
  it.each(roles)("a %s member creates their own token (shown once, stored hashed, audited) and revokes it", async (role) => {
    const staffId = staffIds[role];
    const created = await createFor(staffId, `${role}-tool`);
    expect(created.token.startsWith(created.prefix)).toBe(true);
    const [row] = await services.db.select().from(apiTokens).where(eq(apiTokens.id, created.id));
    expect(row).toMatchObject({ staffId, name: `${role}-tool` });
    expect(row!.tokenHash).not.toContain(created.token);
    expect(Math.round((row!.expiresAt.getTime() - row!.createdAt.getTime()) / 86_400_000)).toBe(90);
    expect(await audits("api_token.create", created.id)).toEqual([expect.objectContaining({ actorId: staffId })]);
    expect(await authenticateApiToken(services.db, created.token)).toMatchObject({ staffId, role });

    expect(await run(revokeApiTokenSpec, staffId, form({ tokenId: created.id }))).toEqual({ ok: true, data: { id: created.id } });
    expect(await authenticateApiToken(services.db, created.token)).toBeNull();
    expect(await audits("api_token.revoke", created.id)).toEqual([expect.objectContaining({ actorId: staffId })]);
    expect(await run(revokeApiTokenSpec, staffId, form({ tokenId: created.id }))).toMatchObject({ ok: false, code: "not_found" });
  });

  it("create: inline errors for a missing name and an expiry out of range; a forged owner field still makes the caller's own token", async () => {
    const support = staffIds.support;
    expect(await run(createApiTokenSpec, support, form({ name: " " }))).toMatchObject({
      ok: false,
      code: "validation",
      fieldErrors: { name: "name it after what uses it" },
    });
    expect(await run(createApiTokenSpec, support, form({ name: "x", expiresInDays: "0" }))).toMatchObject({
      ok: false,
      fieldErrors: { expiresInDays: "must be at least 1" },
    });
    expect(await run(createApiTokenSpec, support, form({ name: "x", expiresInDays: "366" }))).toMatchObject({
      ok: false,
      fieldErrors: { expiresInDays: "must be at most 365" },
    });
    const [admin] = await services.db.select().from(staffUsers).where(eq(staffUsers.id, staffIds.admin));
    const forged = await run(createApiTokenSpec, support, form({ email: admin!.email, staffId: staffIds.admin, name: "not-the-admin", expiresInDays: "30" }));
    if (!forged.ok) throw new Error(forged.error);
    const [row] = await services.db.select().from(apiTokens).where(eq(apiTokens.id, forged.data.id));
    expect(row!.staffId).toBe(support);
    expect(row!.expiresAt.getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    expect(row!.expiresAt.getTime()).toBeLessThan(Date.now() + 31 * 86_400_000);
    expect(await authenticateApiToken(services.db, forged.data.token)).toMatchObject({ staffId: support, role: "support" });
  });

  it("revoke: another member's token is refused as not found for growth, support and product; an admin revokes it", async () => {
    const owner = await insertStaff(services.db, "growth");
    const created = await createFor(owner.staffId, "growth-scripts");
    for (const role of ["growth", "support", "product"] as const) {
      expect(await run(revokeApiTokenSpec, staffIds[role], form({ tokenId: created.id })), role).toMatchObject({ ok: false, code: "not_found" });
    }
    expect(await authenticateApiToken(services.db, created.token)).toMatchObject({ staffId: owner.staffId });
    expect(await audits("api_token.revoke", created.id)).toHaveLength(0);

    expect(await run(revokeApiTokenSpec, staffIds.admin, form({ tokenId: created.id }))).toEqual({ ok: true, data: { id: created.id } });
    expect(await authenticateApiToken(services.db, created.token)).toBeNull();
    expect(await audits("api_token.revoke", created.id)).toEqual([expect.objectContaining({ actorId: staffIds.admin })]);
  });

  it("a member who owes a password change creates and revokes nothing until it is changed", async () => {
    const member = await insertStaff(services.db, "support");
    const created = await createFor(member.staffId, "before-reset");
    await services.db.update(staffUsers).set({ passwordChangeRequired: true }).where(eq(staffUsers.id, member.staffId));
    expect(await run(createApiTokenSpec, member.staffId, form({ name: "during-reset" }))).toMatchObject({ ok: false, code: "forbidden" });
    expect(await run(revokeApiTokenSpec, member.staffId, form({ tokenId: created.id }))).toMatchObject({ ok: false, code: "forbidden" });
    expect(await services.db.select().from(apiTokens).where(eq(apiTokens.staffId, member.staffId))).toHaveLength(1);
  });
});
