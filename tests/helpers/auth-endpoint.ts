// The console's Auth.js endpoints (/api/auth/*) over real sockets, as production serves them:
// the front server establishes the client address (here TRUST_PROXY=1: the test plays the proxy
// and names the client in X-Forwarded-For) and hands the request to next-auth's handlers, built
// from the app's own configuration (app/_server/auth-config.ts). A small client walks the
// Auth.js protocol: CSRF token, credentials callback, session, sign-out.
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import NextAuth from "next-auth";
import { NextRequest } from "next/server";
import { authConfig } from "../../app/_server/auth-config";
import { createFrontServer } from "../../app/_server/front/front-server";
import { routeRegistry } from "../../app/_server/routes/registry";
import { createRouter } from "../../app/_server/routes/router";
import type { PasswordGuard } from "../../lib/staff/sign-in";

async function bodyOf(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export interface AuthEndpoint {
  base: string;
  close(): Promise<void>;
}

/** next-auth's handlers behind a front server on a free loopback port. */
export async function startAuthEndpoint(guard?: () => PasswordGuard): Promise<AuthEndpoint> {
  const { handlers } = NextAuth(authConfig(guard));
  const next = async (request: IncomingMessage, response: ServerResponse) => {
    const headers = new Headers();
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
    }
    const method = request.method ?? "GET";
    const body = method === "GET" || method === "HEAD" ? undefined : await bodyOf(request);
    const url = `http://${request.headers.host}${request.url}`;
    const handler = method === "POST" ? handlers.POST : handlers.GET;
    const answer = await handler(new NextRequest(url, { method, headers, body: body ? new Uint8Array(body) : undefined }));
    const outHeaders: Record<string, string | string[]> = {};
    answer.headers.forEach((value, name) => {
      if (name !== "set-cookie") outHeaders[name] = value;
    });
    const cookies = answer.headers.getSetCookie();
    if (cookies.length > 0) outHeaders["set-cookie"] = cookies;
    response.writeHead(answer.status, outHeaders);
    response.end(Buffer.from(await answer.arrayBuffer()));
  };
  const server: Server = createFrontServer({ router: createRouter(routeRegistry), trustProxy: { kind: "hops", hops: 1 }, next });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** name=value of each Set-Cookie, merged into a jar (an emptied cookie is dropped). */
function mergeCookies(jar: Map<string, string>, response: Response): void {
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(";");
    const index = pair!.indexOf("=");
    const name = pair!.slice(0, index);
    const value = pair!.slice(index + 1);
    if (value === "" || /max-age=0/i.test(line) || /expires=thu, 01 jan 1970/i.test(line)) jar.delete(name);
    else jar.set(name, value);
  }
}

export const SESSION_COOKIE = "authjs.session-token";

/** One browser's worth of Auth.js: a client address and a cookie jar. */
export class AuthClient {
  readonly jar = new Map<string, string>();
  constructor(
    private readonly base: string,
    readonly address: string,
  ) {}

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return { "x-forwarded-for": this.address, cookie: [...this.jar].map(([k, v]) => `${k}=${v}`).join("; "), ...extra };
  }

  async csrfToken(): Promise<string> {
    const response = await fetch(`${this.base}/api/auth/csrf`, { headers: this.headers() });
    mergeCookies(this.jar, response);
    return ((await response.json()) as { csrfToken: string }).csrfToken;
  }

  /**
   * POST /api/auth/callback/credentials, as any client may (no form, no server action). Answers
   * whether a session cookie came back and, when not, the refusal `code` Auth.js redirected with.
   */
  async signIn(credentials: { email: string; password: string; secondFactor?: string }): Promise<{ signedIn: boolean; code: string | null; status: number }> {
    const csrfToken = await this.csrfToken();
    const response = await fetch(`${this.base}/api/auth/callback/credentials`, {
      method: "POST",
      redirect: "manual",
      headers: this.headers({ "content-type": "application/x-www-form-urlencoded" }),
      body: new URLSearchParams({ csrfToken, ...credentials }),
    });
    mergeCookies(this.jar, response);
    const location = response.headers.get("location");
    const code = location ? new URL(location).searchParams.get("code") : null;
    return { signedIn: response.headers.getSetCookie().some((c) => c.startsWith(`${SESSION_COOKIE}=`) && !/max-age=0/i.test(c)), code, status: response.status };
  }

  /** GET /api/auth/session: the signed-in staff id, or null. */
  async sessionStaffId(): Promise<string | null> {
    const response = await fetch(`${this.base}/api/auth/session`, { headers: this.headers() });
    mergeCookies(this.jar, response);
    const session = (await response.json()) as { user?: { id?: string } } | null;
    return session?.user?.id ?? null;
  }

  async signOut(): Promise<void> {
    const csrfToken = await this.csrfToken();
    const response = await fetch(`${this.base}/api/auth/signout`, {
      method: "POST",
      redirect: "manual",
      headers: this.headers({ "content-type": "application/x-www-form-urlencoded" }),
      body: new URLSearchParams({ csrfToken }),
    });
    mergeCookies(this.jar, response);
  }

  /** Another client holding a copy of this one's cookies (a stolen or second-tab session). */
  copy(address = this.address): AuthClient {
    const other = new AuthClient(this.base, address);
    for (const [k, v] of this.jar) other.jar.set(k, v);
    return other;
  }
}
