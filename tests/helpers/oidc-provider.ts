// A real OpenID Connect provider for the single sign-on browser test: oidc-provider on a free
// port, with one client (Gatehouse) and a directory of people whose claims the test chooses.
// Its development login page takes any login (the directory key) and any password, then asks for
// consent, as a company provider would on the first sign-in to an app.
import { randomBytes } from "node:crypto";
import type { Server } from "node:http";
import Provider from "oidc-provider";
import { freePort } from "../../scripts/lib/services";

export interface OidcPerson {
  email: string;
  email_verified: boolean;
  name?: string;
}

export interface TestOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  close(): Promise<void>;
}

export async function startOidcProvider(options: {
  /** Gatehouse's redirect URI, as registered at a real provider. */
  redirectUri: string;
  /** Who can sign in at the provider, by login. */
  people: Record<string, OidcPerson>;
}): Promise<TestOidcProvider> {
  const port = await freePort();
  // Another host name than the app's (localhost): the provider's cookies and the app's are apart,
  // and the return to the app is a cross-site navigation, as in production.
  const issuer = `http://127.0.0.1:${port}`;
  const clientId = "gatehouse";
  const clientSecret = randomBytes(24).toString("base64url");
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [options.redirectUri],
        grant_types: ["authorization_code"],
        response_types: ["code"],
      },
    ],
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    cookies: { keys: [randomBytes(24).toString("base64url")] },
    features: { devInteractions: { enabled: true } },
    findAccount(_ctx, id) {
      const person = options.people[id];
      if (!person) return undefined;
      return { accountId: id, claims: () => ({ sub: id, ...person }) };
    },
  });
  // The provider answers a failed exchange with a bare "invalid_grant": its reason goes to the test's log.
  for (const event of ["grant.error", "authorization.error", "userinfo.error", "server_error"]) {
    provider.on(event, (_ctx: unknown, error: { message?: string; error_description?: string; error_detail?: string }) =>
      console.error(`[oidc provider] ${event}: ${error.error_detail ?? error.error_description ?? error.message}`),
    );
  }
  const server: Server = await new Promise((resolve, reject) => {
    const listening = provider.listen(port, "127.0.0.1");
    listening.once("listening", () => resolve(listening));
    listening.once("error", reject);
  });
  return {
    issuer,
    clientId,
    clientSecret,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
