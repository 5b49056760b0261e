// The front server establishes the client's address (SPEC §2 TRUST_PROXY) over real sockets: a
// client's own X-Forwarded-For never counts, a trusted proxy's entry does, and Next receives the
// address in a header a client cannot forge.
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { desc } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFrontServer } from "../../app/_server/front/front-server";
import { canonicalAddress } from "../../app/_server/front/client-address";
import { routeRegistry } from "../../app/_server/routes/registry";
import { createRouter } from "../../app/_server/routes/router";
import { registrationSignals } from "../../db/schema";
import type { Env } from "../../lib/env.js";
import { CLIENT_ADDRESS_HEADER } from "../../lib/http/request";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { deleteKeysWithPrefix, testRedisUrl, uniqueQueuePrefix } from "../helpers/redis";
import { releaseTestServices, useTestServices } from "../helpers/public-api";
import { uniqueMobile } from "../helpers/factories";

let t: TestDatabase;
const prefix = uniqueQueuePrefix();
const servers: Server[] = [];

beforeAll(async () => {
  t = await createTestDatabase();
  await useTestServices({ databaseUrl: t.url, redisUrl: testRedisUrl(), prefix, rateLimits: { registerPerIp: { points: 5, duration: 60 } } });
});
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  await releaseTestServices();
  await deleteKeysWithPrefix(prefix);
  await t.drop();
});

/** A front server on a free loopback port; `next` stands in for Next and shows what it receives. */
async function start(trustProxy: Env["TRUST_PROXY"]): Promise<string> {
  const server = createFrontServer({
    router: createRouter(routeRegistry),
    trustProxy,
    next: async (request, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ clientAddress: request.headers[CLIENT_ADDRESS_HEADER], forwardedFor: request.headers["x-forwarded-for"] ?? null }));
    },
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function register(base: string, forwardedFor?: string): Promise<Response> {
  return fetch(`${base}/api/v1/registrations`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(forwardedFor ? { "x-forwarded-for": forwardedFor } : {}) },
    body: JSON.stringify({ phone: uniqueMobile(), platform: "ios" }),
  });
}

/** The address the registration path recorded for the newest registration attempt. */
async function recordedAddress(): Promise<string | null> {
  const [row] = await t.db.select({ ip: registrationSignals.ip }).from(registrationSignals).orderBy(desc(registrationSignals.id)).limit(1);
  return row?.ip ?? null;
}

describe("TRUST_PROXY=0 (the default): the TCP peer is the client", () => {
  it("meets the per-address limit however the client varies X-Forwarded-For", async () => {
    const base = await start({ kind: "hops", hops: 0 });
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await register(base, `203.0.113.${i + 1}`)).status);
    expect(statuses).toEqual([202, 202, 202, 202, 202, 429, 429]);
    expect(await recordedAddress()).toBe("127.0.0.1");
  });

  it("hands Next the peer's address and drops the client's forwarding headers", async () => {
    const base = await start({ kind: "hops", hops: 0 });
    const response = await fetch(`${base}/waitlist`, { headers: { "x-forwarded-for": "6.6.6.6", [CLIENT_ADDRESS_HEADER]: "6.6.6.6" } });
    expect(await response.json()).toEqual({ clientAddress: "127.0.0.1", forwardedFor: null });
  });
});

describe("TRUST_PROXY=1: one proxy in front", () => {
  it("takes the entry the proxy appended, not the ones the client sent", async () => {
    const base = await start({ kind: "hops", hops: 1 });
    expect((await register(base, "198.51.100.7")).status).toBe(202);
    expect(await recordedAddress()).toBe("198.51.100.7");
    // The client forged "6.6.6.6"; the proxy appended the address it saw.
    expect((await register(base, "6.6.6.6, 198.51.100.8")).status).toBe(202);
    expect(await recordedAddress()).toBe("198.51.100.8");
  });

  it("keeps the forwarding headers of a trusted proxy for Next", async () => {
    const base = await start({ kind: "hops", hops: 1 });
    const response = await fetch(`${base}/waitlist`, { headers: { "x-forwarded-for": "198.51.100.9" } });
    expect(await response.json()).toEqual({ clientAddress: "198.51.100.9", forwardedFor: "198.51.100.9" });
  });
});

describe("TRUST_PROXY as a CIDR list", () => {
  it("takes the right-most address that is not a trusted proxy", async () => {
    const base = await start({ kind: "cidrs", cidrs: ["127.0.0.1/32", "10.0.0.0/8"] });
    expect((await register(base, "6.6.6.6, 203.0.113.50, 10.1.2.3")).status).toBe(202);
    expect(await recordedAddress()).toBe("203.0.113.50");
  });
});

describe("canonicalAddress", () => {
  it("reads an IPv4-mapped IPv6 address as the IPv4 client it is", () => {
    expect(canonicalAddress("::ffff:192.0.2.1")).toBe("192.0.2.1");
    expect(canonicalAddress("2001:DB8::1")).toBe("2001:db8::1");
  });
});
