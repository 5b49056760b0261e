// Staff sign-in hardening (SPEC §3.8) through Auth.js's own endpoint, POST
// /api/auth/callback/credentials — the side door the form's throttle used to miss — over real
// sockets behind the front server (client addresses from a trusted proxy's X-Forwarded-For),
// with real argon2, PostgreSQL and Redis: the throttle is consumed before the password is
// checked, per (address, account) and per address; the owner is never locked out from
// elsewhere; argon2 checks are bounded; the second factor; sessions that end.
import { eq } from "drizzle-orm";
import { generate } from "otplib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env } from "../../lib/env.js";
import { getRateLimiter } from "../../lib/rate-limit/rate-limiter";
import { staffUsers } from "../../db/schema";
import { auditEvents } from "../../db/schema";
import { openSecret } from "../../lib/secret-box";
import { changeOwnPassword, resetStaffPassword } from "../../lib/staff/change-password";
import { createStaffUser } from "../../lib/staff/create-staff-user";
import { setStaffDisabled } from "../../lib/staff/set-staff-disabled";
import { setStaffRole } from "../../lib/staff/set-staff-role";
import { confirmTwoFactorEnrolment, startTwoFactorEnrolment } from "../../lib/staff/two-factor";
import { createVerificationSlots, DEFAULT_VERIFICATION_SLOTS } from "../../lib/staff/verification-slots";
import { AuthClient, startAuthEndpoint, type AuthEndpoint } from "../helpers/auth-endpoint";
import { insertStaff } from "../helpers/factories";
import { usePublicApiTestServices } from "../helpers/public-api";

const services = usePublicApiTestServices();
const password = "correct horse battery staple";
let endpoint: AuthEndpoint;
let n = 0;

beforeAll(async () => {
  Object.assign(env, { AUTH_SECRET: "test-auth-secret-0123456789abcdefghijklmnop" });
  endpoint = await startAuthEndpoint();
});
afterAll(async () => {
  await endpoint?.close();
});

async function staffMember(role: "admin" | "growth" | "support" | "product" = "growth") {
  n += 1;
  const { user } = await createStaffUser(services.db, null, { email: `signin-${n}-${Date.now()}@gatehouse.test`, role, password });
  return user;
}

function address(): string {
  n += 1;
  return `203.0.${Math.floor(n / 250)}.${(n % 250) + 1}`;
}

function tally(codes: (string | null)[]): Record<string, number> {
  const result: Record<string, number> = {};
  for (const code of codes) result[code ?? "signed-in"] = (result[code ?? "signed-in"] ?? 0) + 1;
  return result;
}

describe("the credentials endpoint is throttled", () => {
  it("40 wrong passwords from one address, then the right one: refused; the owner signs in from another address", async () => {
    const staff = await staffMember();
    const attacker = new AuthClient(endpoint.base, address());
    const codes: (string | null)[] = [];
    for (let i = 0; i < 40; i++) {
      const answer = await attacker.signIn({ email: staff.email, password: `wrong-${i}` });
      expect(answer.signedIn).toBe(false);
      codes.push(answer.code);
    }
    // Only the (address, account) allowance reached argon2; the rest were refused before it.
    expect(tally(codes)).toEqual({ credentials: 10, throttled: 30 });
    const right = await attacker.signIn({ email: staff.email, password });
    expect(right).toMatchObject({ signedIn: false, code: "throttled" });
    expect(await attacker.sessionStaffId()).toBeNull();

    // Same e-mail in another case does not escape the pair's count.
    expect(await attacker.signIn({ email: staff.email.toUpperCase(), password })).toMatchObject({ signedIn: false, code: "throttled" });

    const owner = new AuthClient(endpoint.base, address());
    expect(await owner.signIn({ email: staff.email, password })).toMatchObject({ signedIn: true });
    expect(await owner.sessionStaffId()).toBe(staff.id);
  });

  it("concurrent guesses cannot pass a look taken before any is counted: exactly the allowance reaches argon2", async () => {
    const staff = await staffMember();
    const roomy = await startAuthEndpoint(() => ({ limiter: getRateLimiter(), slots: createVerificationSlots(64) }));
    try {
      const attacker = new AuthClient(roomy.base, address());
      const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => attacker.copy().signIn({ email: staff.email, password: `wrong-${i}` })));
      expect(tally(answers.map((a) => a.code))).toEqual({ credentials: 10, throttled: 20 });
    } finally {
      await roomy.close();
    }
  });

  it("one address spraying many accounts meets the per-address allowance", async () => {
    const sprayer = new AuthClient(endpoint.base, address());
    const codes: (string | null)[] = [];
    for (let i = 0; i < 52; i++) codes.push((await sprayer.signIn({ email: `nobody-${i}@gatehouse.test`, password: "guess" })).code);
    expect(tally(codes)).toEqual({ credentials: 50, throttled: 2 });
  });

  it("a right password gives the pair's allowance back", async () => {
    const staff = await staffMember();
    const client = new AuthClient(endpoint.base, address());
    for (let i = 0; i < 9; i++) expect((await client.signIn({ email: staff.email, password: "typo" })).code).toBe("credentials");
    expect(await client.signIn({ email: staff.email, password })).toMatchObject({ signedIn: true });
    const codes: (string | null)[] = [];
    for (let i = 0; i < 10; i++) codes.push((await client.copy().signIn({ email: staff.email, password: "typo" })).code);
    expect(tally(codes)).toEqual({ credentials: 10 });
  });

  it("at most a few argon2 checks run at once; beyond them the answer is 'busy' at once and costs no allowance", async () => {
    const staff = await staffMember();
    expect(DEFAULT_VERIFICATION_SLOTS).toBe(4);
    const slots = createVerificationSlots(2);
    const bounded = await startAuthEndpoint(() => ({ limiter: getRateLimiter(), slots }));
    try {
      const clients = Array.from({ length: 16 }, () => new AuthClient(bounded.base, address()));
      // Each client fetches its CSRF token first, so the sixteen callbacks arrive together.
      const answers = await Promise.all(clients.map((client) => client.signIn({ email: staff.email, password: "wrong" })));
      const counts = tally(answers.map((a) => a.code));
      expect(slots.highWater).toBe(2);
      expect(slots.active).toBe(0);
      expect(counts.busy).toBeGreaterThan(0);
      expect((counts.credentials ?? 0) + (counts.busy ?? 0)).toBe(16);
      // A client answered "busy" was not counted: its right password signs in.
      const busyClient = clients[answers.findIndex((a) => a.code === "busy")]!;
      expect(await busyClient.signIn({ email: staff.email, password })).toMatchObject({ signedIn: true });
    } finally {
      await bounded.close();
    }
  });
});

describe("sessions end", () => {
  async function signedIn(staffEmail: string) {
    const client = new AuthClient(endpoint.base, address());
    expect(await client.signIn({ email: staffEmail, password })).toMatchObject({ signedIn: true });
    return client;
  }

  it("on sign-out, for every copy of the session", async () => {
    const staff = await staffMember();
    const client = await signedIn(staff.email);
    const stolen = client.copy();
    const otherDevice = await signedIn(staff.email);
    expect(await stolen.sessionStaffId()).toBe(staff.id);
    await client.signOut();
    expect(await client.sessionStaffId()).toBeNull();
    expect(await stolen.sessionStaffId()).toBeNull();
    expect(await otherDevice.sessionStaffId()).toBeNull();
    const trail = await services.db.select().from(auditEvents).where(eq(auditEvents.targetId, staff.id));
    expect(trail.filter((e) => e.action === "staff.sign_in").map((e) => e.after)).toEqual([
      { method: "password", clientAddress: client.address },
      { method: "password", clientAddress: otherDevice.address },
    ]);
    expect(trail.filter((e) => e.action === "staff.sign_out")).toHaveLength(1);
  });

  it("on a role change and on disable", async () => {
    const admin = await insertStaff(services.db, "admin");
    const staff = await staffMember();
    const client = await signedIn(staff.email);
    await setStaffRole(services.db, admin, staff.id, "support");
    expect(await client.sessionStaffId()).toBeNull();

    const again = await signedIn(staff.email);
    expect(await again.sessionStaffId()).toBe(staff.id);
    await setStaffDisabled(services.db, admin, { staffId: staff.id, disabled: true });
    expect(await again.sessionStaffId()).toBeNull();
    await setStaffDisabled(services.db, admin, { staffId: staff.id, disabled: false });
    // Enabled again, the old session stays ended.
    expect(await again.copy().sessionStaffId()).toBeNull();
  });

  it("on a password change and an admin's reset (audited)", async () => {
    const admin = await insertStaff(services.db, "admin");
    const staff = await staffMember();
    const client = await signedIn(staff.email);
    const actor = { staffId: staff.id, email: staff.email, role: staff.role, via: { kind: "session" as const } };
    const guard = { limiter: getRateLimiter(), slots: createVerificationSlots(4) };
    await changeOwnPassword(services.db, guard, actor, { currentPassword: password, newPassword: "a brand new passphrase", clientAddress: client.address });
    expect(await client.sessionStaffId()).toBeNull();
    const withNew = new AuthClient(endpoint.base, address());
    expect(await withNew.signIn({ email: staff.email, password: "a brand new passphrase" })).toMatchObject({ signedIn: true });

    const { password: issued } = await resetStaffPassword(services.db, admin, staff.id);
    expect(await withNew.sessionStaffId()).toBeNull();
    const [row] = await services.db.select().from(staffUsers).where(eq(staffUsers.id, staff.id));
    expect(row!.passwordChangeRequired).toBe(true);
    const withIssued = new AuthClient(endpoint.base, address());
    expect(await withIssued.signIn({ email: staff.email, password: issued })).toMatchObject({ signedIn: true });

    const actions = (await services.db.select().from(auditEvents).where(eq(auditEvents.targetId, staff.id))).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["staff.password_change", "staff.password_reset"]));
    expect(JSON.stringify(await services.db.select().from(auditEvents))).not.toContain(issued);
  });
});

describe("the second factor", () => {
  it("code guesses count against the (address, account) allowance; asking for the code again does not reset it", async () => {
    const staff = await staffMember();
    const actor = { staffId: staff.id, email: staff.email, role: staff.role, via: { kind: "session" as const } };
    const enrolment = await startTwoFactorEnrolment(services.db, actor);
    await confirmTwoFactorEnrolment(services.db, actor, { code: await generate({ secret: enrolment.secret }) });
    // Wrong for sure: none of the codes valid around now.
    const now = Math.floor(Date.now() / 1000);
    const valid = new Set(await Promise.all([-60, -30, 0, 30, 60].map((d) => generate({ secret: enrolment.secret, epoch: now + d }))));
    const wrong = Array.from({ length: 40 }, (_, i) => String(100000 + i * 7919)).filter((c) => !valid.has(c));
    const guesser = new AuthClient(endpoint.base, address());
    const codes: (string | null)[] = [];
    for (let i = 0; i < 12; i++) {
      if (i % 3 === 0) await guesser.signIn({ email: staff.email, password });
      codes.push((await guesser.signIn({ email: staff.email, password, secondFactor: wrong[i]! })).code);
    }
    expect(tally(codes)).toEqual({ second_factor_invalid: 10, throttled: 2 });
  });

  it("asks for a code after the right password, accepts a current one once, and a recovery code once", async () => {
    const staff = await staffMember();
    const actor = { staffId: staff.id, email: staff.email, role: staff.role, via: { kind: "session" as const } };
    const enrolment = await startTwoFactorEnrolment(services.db, actor);
    expect(enrolment.uri).toMatch(/^otpauth:\/\/totp\/Gatehouse:/);
    expect(enrolment.qrDataUrl).toMatch(/^data:image\/png;base64,/);
    const { recoveryCodes } = await confirmTwoFactorEnrolment(services.db, actor, { code: await generate({ secret: enrolment.secret }) });
    expect(recoveryCodes).toHaveLength(10);

    // At rest: the secret sealed, the recovery codes hashed.
    const [row] = await services.db.select().from(staffUsers).where(eq(staffUsers.id, staff.id));
    expect(row!.totpSecret).not.toContain(enrolment.secret);
    expect(openSecret(row!.totpSecret!, "staff-totp")).toBe(enrolment.secret);
    const dump = JSON.stringify(await services.db.execute("select * from staff_recovery_codes"));
    for (const code of recoveryCodes) {
      expect(dump).not.toContain(code);
      expect(dump).not.toContain(code.replace("-", ""));
    }

    const client = new AuthClient(endpoint.base, address());
    // The right password without a code is no guess: it costs no allowance, however often.
    for (let i = 0; i < 12; i++) {
      expect(await client.signIn({ email: staff.email, password })).toMatchObject({ signedIn: false, code: "second_factor_required" });
    }
    expect(await client.signIn({ email: staff.email, password, secondFactor: "000000" })).toMatchObject({ signedIn: false, code: "second_factor_invalid" });
    expect(await client.signIn({ email: staff.email, password: "wrong", secondFactor: "000000" })).toMatchObject({ signedIn: false, code: "credentials" });

    // The enrolment used the current step; the next step's code is within the tolerance.
    const next = await generate({ secret: enrolment.secret, epoch: Math.floor(Date.now() / 1000) + 30 });
    expect(await client.signIn({ email: staff.email, password, secondFactor: next })).toMatchObject({ signedIn: true });
    expect(await client.sessionStaffId()).toBe(staff.id);
    const replay = new AuthClient(endpoint.base, address());
    expect(await replay.signIn({ email: staff.email, password, secondFactor: next })).toMatchObject({ signedIn: false, code: "second_factor_invalid" });

    const withRecovery = new AuthClient(endpoint.base, address());
    expect(await withRecovery.signIn({ email: staff.email, password, secondFactor: recoveryCodes[3]!.toUpperCase() })).toMatchObject({ signedIn: true });
    const again = new AuthClient(endpoint.base, address());
    expect(await again.signIn({ email: staff.email, password, secondFactor: recoveryCodes[3]! })).toMatchObject({ signedIn: false, code: "second_factor_invalid" });
    const actions = (await services.db.select().from(auditEvents).where(eq(auditEvents.targetId, staff.id))).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["staff.two_factor_enable", "staff.recovery_code_use"]));
    const methods = (await services.db.select().from(auditEvents).where(eq(auditEvents.targetId, staff.id)))
      .filter((e) => e.action === "staff.sign_in")
      .map((e) => (e.after as { method: string }).method);
    expect(methods).toEqual(["password+totp", "password+recovery_code"]);
  });
});
