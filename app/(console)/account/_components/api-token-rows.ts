import type { ApiTokenListItem } from "@/lib/staff/list-staff";

/** An API token as a page sends it to the browser (dates as ISO strings); never the token or its hash. */
export interface ApiTokenRow {
  id: string;
  name: string;
  prefix: string;
  ownerEmail: string;
  ownerDisabled: boolean;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string;
  revokedAt: string | null;
  /** active | expired | revoked — decided on the server at render time. */
  state: "active" | "expired" | "revoked";
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The row for one listed token, its state as of `now` (ms): the Account page and the Staff page alike. */
export function toApiTokenRow(token: ApiTokenListItem, now: number): ApiTokenRow {
  return {
    id: token.id,
    name: token.name,
    prefix: token.prefix,
    ownerEmail: token.ownerEmail,
    ownerDisabled: token.ownerDisabled,
    createdAt: token.createdAt.toISOString(),
    lastUsedAt: iso(token.lastUsedAt),
    expiresAt: token.expiresAt.toISOString(),
    revokedAt: iso(token.revokedAt),
    state: token.revokedAt ? "revoked" : token.expiresAt.getTime() <= now ? "expired" : "active",
  };
}
