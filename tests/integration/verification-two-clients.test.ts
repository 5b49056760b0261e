// SPEC §3.2 rule 8: a stranger cannot keep someone else out. Verification attempts are limited
// per (registration, client address) and per registration; one client's wrong guesses never void
// the code another client received.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { registrations } from "../../db/schema";
import { callApi } from "../helpers/api";
import { freshIp, jsonRequest, usePublicApiTestServices } from "../helpers/public-api";
import { latestCode } from "../helpers/registrations";
import { uniqueMobile } from "../helpers/factories";

const t = usePublicApiTestServices();

async function register(phone: string): Promise<string> {
  const response = await callApi(jsonRequest("/api/v1/registrations", { body: { phone, platform: "android" }, ip: freshIp() }));
  expect(response.status).toBe(202);
  return (await response.json()).registrationId;
}

function verify(registrationId: string, code: string, ip: string) {
  return callApi(jsonRequest(`/api/v1/registrations/${registrationId}/verify`, { body: { code }, ip }));
}

/** A 6-digit code that is not the right one. */
function wrongCode(right: string, i: number): string {
  const guess = String((Number(right) + 1 + i) % 1_000_000).padStart(6, "0");
  return guess === right ? "000000" : guess;
}

describe("verification attempts", () => {
  it("client A guessing until it is limited does not stop client B, who holds the code", async () => {
    const registrationId = await register(uniqueMobile());
    const code = await latestCode(t.db, registrationId);
    const clientA = freshIp();

    const answers: number[] = [];
    for (let i = 0; i < 12; i++) answers.push((await verify(registrationId, wrongCode(code, i), clientA)).status);
    // verificationMaxAttempts (5) wrong codes are answered as such, then A is limited.
    expect(answers.slice(0, 5)).toEqual([400, 400, 400, 400, 400]);
    expect(answers.slice(5)).toEqual(Array(7).fill(429));
    const limited = await verify(registrationId, code, clientA);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);

    // The code A guessed at is intact: B verifies with it.
    const [row] = await t.db.select().from(registrations).where(eq(registrations.id, registrationId));
    expect(row!.verificationCodeHash).not.toBeNull();
    const verified = await verify(registrationId, code, freshIp());
    expect(verified.status).toBe(200);
    expect(await verified.json()).toMatchObject({ registrationId, status: "waiting", position: expect.any(Number) });
  });

  it("bounds guesses per registration across addresses, and a limited client's refused calls never count towards it", async () => {
    const registrationId = await register(uniqueMobile());
    const code = await latestCode(t.db, registrationId);

    // One client hammering long after it is limited adds only its own allowance (5) to the
    // registration's count…
    const hammer = freshIp();
    for (let i = 0; i < 40; i++) await verify(registrationId, wrongCode(code, i), hammer);
    // …so it takes verifyPerRegistration / verificationMaxAttempts = 30 / 5 = 6 addresses in all
    // to reach the registration-wide bound: five more, five guesses each.
    const statuses: number[] = [];
    for (let client = 0; client < 5; client++) {
      const ip = freshIp();
      for (let i = 0; i < 5; i++) statuses.push((await verify(registrationId, wrongCode(code, 100 + client * 5 + i), ip)).status);
    }
    expect(statuses.every((s) => s === 400)).toBe(true);
    // 30 guesses reached the code in this window: the 31st, from anyone, is refused.
    const bounded = await verify(registrationId, code, freshIp());
    expect(bounded.status).toBe(429);
    // Still nothing voided: once the window passes, the code verifies (it lives until its expiry).
    const [row] = await t.db.select().from(registrations).where(eq(registrations.id, registrationId));
    expect(row!.verificationCodeHash).not.toBeNull();
  });
});
