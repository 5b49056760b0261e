// Security headers (SPEC §3.8) over real sockets through the front server: every API answer
// carries the JSON subset (nosniff, no framing, nothing loads, no referrer; HSTS when AUTH_URL is
// https); everything handed to Next carries the console's nonce-based CSP — a fresh nonce per
// request, also in the request header Next reads it from, whatever the client sent. The console
// pages themselves (production build, Chromium) are in tests/e2e/security-headers.test.ts.
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFrontServer } from "../../app/_server/front/front-server";
import { routeRegistry } from "../../app/_server/routes/registry";
import { createRouter } from "../../app/_server/routes/router";
import { securityHeaders } from "../../lib/http/security-headers";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { releaseTestServices, useTestServices } from "../helpers/public-api";
import { deleteKeysWithPrefix, testRedisUrl, uniqueQueuePrefix } from "../helpers/redis";

let t: TestDatabase;
const prefix = uniqueQueuePrefix();
const servers: Server[] = [];

beforeAll(async () => {
  t = await createTestDatabase();
  await useTestServices({ databaseUrl: t.url, redisUrl: testRedisUrl(), prefix });
});
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  await releaseTestServices();
  await deleteKeysWithPrefix(prefix);
  await t.drop();
});

/** A front server whose stand-in for Next answers with the CSP header it received. */
async function start(authUrl: string): Promise<string> {
  const server = createFrontServer({
    router: createRouter(routeRegistry),
    trustProxy: { kind: "hops", hops: 0 },
    securityHeaders: securityHeaders({ authUrl }),
    next: async (request, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ csp: request.headers["content-security-policy"] ?? null }));
    },
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const nonceOf = (csp: string | null) => /script-src [^;]*'nonce-([A-Za-z0-9+/=]+)'/.exec(csp ?? "")?.[1];

describe("security headers", () => {
  it("an API answer carries the JSON subset, on success and on a problem", async () => {
    const base = await start("http://localhost:3000");
    for (const path of ["/api/health", "/api/v1/openapi.json", "/api/v1/registrations/me"]) {
      const response = await fetch(`${base}${path}`);
      expect([200, 401], path).toContain(response.status);
      expect(response.headers.get("x-content-type-options"), path).toBe("nosniff");
      expect(response.headers.get("content-security-policy"), path).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(response.headers.get("x-frame-options"), path).toBe("DENY");
      expect(response.headers.get("referrer-policy"), path).toBe("no-referrer");
      expect(response.headers.get("strict-transport-security"), path).toBeNull();
      await response.arrayBuffer();
    }
  });

  it("adds HSTS when AUTH_URL is https, to API and console answers", async () => {
    const base = await start("https://console.example.com");
    for (const path of ["/api/health", "/waitlist"]) {
      const response = await fetch(`${base}${path}`);
      expect(response.headers.get("strict-transport-security"), path).toBe("max-age=31536000; includeSubDomains");
      await response.arrayBuffer();
    }
    const page = await fetch(`${base}/`);
    expect(page.headers.get("content-security-policy")).toMatch(/; upgrade-insecure-requests$/);
    await page.arrayBuffer();
  });

  it("a console answer carries a nonce-based CSP, a new nonce each time, which Next receives in the request", async () => {
    const base = await start("http://localhost:3000");
    const seen = new Set<string>();
    for (let i = 0; i < 3; i++) {
      // A client-sent CSP (with a nonce of its choosing) never reaches Next.
      const response = await fetch(`${base}/waitlist`, { headers: { "content-security-policy": "script-src 'nonce-chosenbytheclient'" } });
      const csp = response.headers.get("content-security-policy");
      const received = ((await response.json()) as { csp: string }).csp;
      expect(received).toBe(csp);
      const nonce = nonceOf(csp);
      expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
      seen.add(nonce!);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain("base-uri 'self'");
      expect(csp).toContain(`script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`);
      expect(csp).not.toContain("unsafe-eval");
      expect(response.headers.get("x-frame-options")).toBe("DENY");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("referrer-policy")).toBe("same-origin");
      expect(response.headers.get("strict-transport-security")).toBeNull();
    }
    expect(seen.size).toBe(3);
  });
});
