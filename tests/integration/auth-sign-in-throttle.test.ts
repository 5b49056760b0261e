// The sign-in throttle counts failures only, per e-mail and per IP, and says how long to wait.
import { describe, expect, it } from "vitest";
import { createSignInThrottle } from "../../app/_server/sign-in-throttle";

describe("sign-in throttle", () => {
  it("blocks an e-mail after its failures, whatever its case, from any IP", async () => {
    const throttle = createSignInThrottle({ perEmail: 3, perIp: 100 });
    for (let i = 0; i < 3; i++) {
      expect(await throttle.blockedFor("admin@gatehouse.local", `10.0.0.${i}`)).toBe(0);
      await throttle.recordFailure("Admin@Gatehouse.local", `10.0.0.${i}`);
    }
    const wait = await throttle.blockedFor("ADMIN@gatehouse.local", "10.9.9.9");
    expect(wait).toBeGreaterThan(14 * 60);
    expect(wait).toBeLessThanOrEqual(15 * 60);
    expect(await throttle.blockedFor("someone-else@gatehouse.local", "10.9.9.9")).toBe(0);
  });

  it("blocks an IP that sprays many e-mails", async () => {
    const throttle = createSignInThrottle({ perEmail: 100, perIp: 5 });
    for (let i = 0; i < 5; i++) await throttle.recordFailure(`user${i}@x.test`, "203.0.113.7");
    expect(await throttle.blockedFor("fresh@x.test", "203.0.113.7")).toBeGreaterThan(0);
    expect(await throttle.blockedFor("fresh@x.test", "203.0.113.8")).toBe(0);
  });

  it("never blocks before the limit (successful sign-ins are not counted at all)", async () => {
    const throttle = createSignInThrottle({ perEmail: 3, perIp: 3 });
    await throttle.recordFailure("a@x.test", "198.51.100.1");
    await throttle.recordFailure("a@x.test", "198.51.100.1");
    expect(await throttle.blockedFor("a@x.test", "198.51.100.1")).toBe(0);
  });
});
