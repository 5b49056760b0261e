// A saturated process sheds: beyond its in-flight limit the front server answers 503
// problem+json with Retry-After at once, without touching the handler; what it accepted completes.
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { afterAll, describe, expect, it } from "vitest";
import { createFrontServer } from "../../app/_server/front/front-server";
import { createOverloadGuard } from "../../app/_server/front/overload-guard";
import { publicRoute, reply } from "../../app/_server/routes/define-route";
import { createRouter } from "../../app/_server/routes/router";

const servers: Server[] = [];
afterAll(async () => {
  for (const server of servers) server.closeAllConnections();
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
});

describe("overload shedding", () => {
  it("answers 503 with Retry-After within milliseconds once the in-flight limit is reached", async () => {
    // The admitted requests hold until the test lets them go, so how fast the others arrive
    // (a loaded machine opens connections slowly) cannot change which ones are admitted.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let handled = 0;
    const slow = publicRoute({ id: "slow", method: "GET", path: "/api/v1/slow", summary: "Holds until released", tags: ["test"], responses: {} }, async () => {
      await released;
      handled += 1;
      return reply(200, { ok: true });
    });
    const guard = createOverloadGuard({ minInFlight: 4, maxInFlight: 4 });
    const server = createFrontServer({ router: createRouter([slow]), trustProxy: { kind: "hops", hops: 0 }, overload: guard });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const timed = async () => {
      const started = performance.now();
      const response = await fetch(`${base}/api/v1/slow`);
      return { response, ms: performance.now() - started, body: await response.json() };
    };
    const calls = Array.from({ length: 20 }, timed);
    // Every refusal arrives while the four admitted requests are still held.
    let answered = 0;
    for (const call of calls) void call.then(() => (answered += 1));
    await expect.poll(() => answered, { timeout: 10_000, interval: 20 }).toBe(16);
    release();
    const results = await Promise.all(calls);
    const accepted = results.filter((r) => r.response.status === 200);
    const shed = results.filter((r) => r.response.status === 503);
    expect(accepted.length).toBe(4);
    expect(shed.length).toBe(16);
    expect(handled).toBe(4);
    for (const r of shed) {
      expect(r.response.headers.get("content-type")).toBe("application/problem+json");
      expect(Number(r.response.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect(r.body).toMatchObject({ status: 503, type: "https://gatehouse.dev/problems/service-unavailable" });
    }
    // Once the work in flight is done, the process admits again.
    expect((await timed()).response.status).toBe(200);
  });

  it("sizes the limit by the completion rate (Little's law), never below its floor", async () => {
    // A loaded test machine's event loop lags and is busy: keep those rules out of this test of the rate rule.
    const guard = createOverloadGuard({ targetLatencyMs: 100, minInFlight: 8, maxInFlight: 1000, loopDelayLimitMs: 60_000, busyLimit: 2 });
    try {
      for (let i = 0; i < 8; i++) expect(guard.tryEnter()).toBe(true);
      expect(guard.tryEnter()).toBe(false);
      for (let i = 0; i < 8; i++) guard.leave();
      // About 600 completions a second: at 100 ms a request, about 60 may be in flight.
      const started = performance.now();
      let completed = 0;
      const pace = setInterval(() => {
        const due = Math.floor(((performance.now() - started) / 1000) * 600);
        for (; completed < due; completed++) {
          guard.tryEnter();
          guard.leave();
        }
      }, 5);
      try {
        await expect.poll(() => guard.state().limit, { timeout: 5_000, interval: 50 }).toBeGreaterThanOrEqual(50);
        expect(guard.state().limit).toBeLessThanOrEqual(75);
      } finally {
        clearInterval(pace);
      }
      // Once nothing completes, the limit falls back to the floor.
      await expect.poll(() => guard.state().limit, { timeout: 15_000, interval: 100 }).toBe(8);
    } finally {
      guard.close();
    }
  });

  /** Keeps the event loop busy (utilization ≈ 0.95) for `ms`, yielding briefly every 95 ms; `eachTurn` runs between. */
  async function busyLoop(ms: number, eachTurn: () => void = () => {}) {
    const until = performance.now() + ms;
    while (performance.now() < until) {
      const spinUntil = performance.now() + 95;
      while (performance.now() < spinUntil) {
        // spin: the loop is busy, as a process at capacity is
      }
      eachTurn();
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  it("keeps its floor on a busy loop while nothing is refused: a client fleet within the floor is never shed", async () => {
    const guard = createOverloadGuard({ minInFlight: 64, loopDelayLimitMs: 60_000 });
    try {
      for (let i = 0; i < 50; i++) expect(guard.tryEnter()).toBe(true);
      await busyLoop(1_500);
      expect(guard.state().limit).toBe(64);
      for (let i = 0; i < 50; i++) guard.leave();
    } finally {
      guard.close();
    }
  });

  it("lowers its floor while a busy loop is refusing (a flood), and restores it once the flood is gone", async () => {
    const guard = createOverloadGuard({ minInFlight: 64, loopDelayLimitMs: 60_000 });
    try {
      let admitted = 0;
      for (; guard.tryEnter(); admitted++);
      expect(admitted).toBe(64);
      // Demand beyond the limit on a busy loop: the floor steps down (to a quarter at most).
      await busyLoop(2_000, () => expect(guard.tryEnter()).toBe(false));
      const lowered = guard.state().limit;
      expect(lowered).toBeLessThan(40);
      expect(lowered).toBeGreaterThanOrEqual(16);
      for (let i = 0; i < admitted; i++) guard.leave();
      await expect.poll(() => guard.state().limit, { timeout: 10_000, interval: 100 }).toBe(64);
    } finally {
      guard.close();
    }
  });

  it("during a flood, refuses at once beyond a few requests in flight while the loop has not turned for 50 ms; outside one, a pause refuses nobody", async () => {
    const guard = createOverloadGuard({ minInFlight: 8, maxInFlight: 8, loopDelayLimitMs: 60_000, busyLimit: 2 });
    const stall = (ms: number) => {
      const until = performance.now() + ms;
      while (performance.now() < until) {
        // spin: one turn of the loop that lasts `ms`
      }
    };
    try {
      for (let i = 0; i < 4; i++) expect(guard.tryEnter()).toBe(true);
      await new Promise((r) => setTimeout(r, 150));
      // No flood: an 80 ms pause (a GC, say) refuses nobody.
      stall(80);
      expect(guard.tryEnter()).toBe(true);
      guard.leave();
      // A flood: demand beyond the limit of 8, seen by the next window.
      for (let i = 0; i < 4; i++) expect(guard.tryEnter()).toBe(true);
      expect(guard.tryEnter()).toBe(false);
      for (let i = 0; i < 4; i++) guard.leave();
      await new Promise((r) => setTimeout(r, 150));
      stall(80);
      expect(guard.tryEnter()).toBe(false);
      // The loop turns again: admitted.
      await new Promise((r) => setTimeout(r, 30));
      expect(guard.tryEnter()).toBe(true);
    } finally {
      guard.close();
    }
  });
});
