// Security headers (SPEC §3.8), set by the front server on every answer: console pages get a
// nonce-based Content-Security-Policy (a fresh nonce per request, which Next puts on its own inline
// and bootstrap scripts), and nobody may frame the console (its confirm dialogs cannot be
// clickjacked); API answers get the subset that fits JSON. HSTS when the public URL is https.
import { randomBytes } from "node:crypto";

export interface SecurityHeaderOptions {
  /** AUTH_URL: HSTS (and upgrade-insecure-requests) only when it is https. */
  authUrl?: string | undefined;
  /** `next dev` evaluates code (React Refresh): it needs 'unsafe-eval'; production never does. */
  dev?: boolean;
  /** AUTH_OIDC_ISSUER: a sign-in form may lead there. */
  oidcIssuer?: string | undefined;
}

export interface SecurityHeaders {
  /** Headers of every API answer (JSON, problem+json, OpenAPI documents). */
  api: Record<string, string>;
  /** Headers of a console answer with this request's nonce. */
  page(nonce: string): Record<string, string>;
}

/** A fresh nonce: 128 random bits, base64 (what Next's nonce parser accepts). */
export function newNonce(): string {
  return randomBytes(16).toString("base64");
}

const ONE_YEAR = 31_536_000;

export function securityHeaders(options: SecurityHeaderOptions): SecurityHeaders {
  const https = options.authUrl?.startsWith("https:") ?? false;
  const hsts: Record<string, string> = https ? { "strict-transport-security": `max-age=${ONE_YEAR}; includeSubDomains` } : {};
  const formTargets = ["'self'", ...(options.oidcIssuer ? [new URL(options.oidcIssuer).origin] : [])].join(" ");
  const common = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    ...hsts,
  };
  return {
    api: {
      ...common,
      // Nothing in a JSON answer may load or run, and it is never framed.
      "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
      "referrer-policy": "no-referrer",
    },
    page(nonce) {
      const directives = [
        "default-src 'self'",
        // 'strict-dynamic': the nonce'd bootstrap may load Next's chunks; no other script runs.
        `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.dev ? " 'unsafe-eval'" : ""}`,
        // Style attributes (charts, toasts) cannot carry a nonce; styles cannot run code.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        `form-action ${formTargets}`,
        "frame-ancestors 'none'",
        ...(https ? ["upgrade-insecure-requests"] : []),
      ];
      return {
        ...common,
        "content-security-policy": directives.join("; "),
        // Console URLs carry searches (phone numbers) and ids: they never leave the origin.
        "referrer-policy": "same-origin",
        "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
        "cross-origin-opener-policy": "same-origin",
      };
    },
  };
}
