import { z } from "zod";
import { env } from "@/lib/env.js";
import type { Locale, NotificationChannel, NotificationKind } from "@/db/schema";
import { catalogs, genericPhase } from "./catalog";
import { formatDateTime, formatTime } from "./format";

export { smsSize, type SmsSize } from "./sms-segments";

/**
 * What producers put in `notifications.params` (never the code: that goes in `secret`).
 * Unknown keys are ignored; missing ones render generic words.
 */
export const notificationParamsSchema = z.object({
  phaseName: z.string().min(1).optional(),
  /** When the code or invitation stops working (ISO 8601). */
  expiresAt: z.iso.datetime({ offset: true }).optional(),
  /** Deep link override; by default one is built from the code. */
  link: z.string().min(1).optional(),
});
export type NotificationParams = z.infer<typeof notificationParamsSchema>;

export interface RenderInput {
  kind: NotificationKind;
  channel: NotificationChannel;
  locale: Locale;
  params: unknown;
  /** The plain one-time code (notifications.secret). */
  code: string | null;
  /** Default: APP_LINK_BASE. */
  linkBase?: string;
}

export interface RenderedMessage {
  body: string;
  /** E-mail only. */
  subject?: string;
  /** The parsed expiry, for providers that want it apart (webhook `expiresAt`). */
  expiresAt?: string;
}

/** Invitation codes are stored as 16 Crockford characters; people read them in groups of 4. */
function displayCode(code: string): string {
  const compact = code.replaceAll("-", "");
  return compact.length === 16 ? compact.match(/.{4}/g)!.join("-") : code;
}

function deepLink(kind: NotificationKind, code: string | null, base: string): string {
  switch (kind) {
    case "verification_code":
      return `${base}verify`;
    case "invitation_reminder":
      return `${base}redeem`;
    case "invitation":
    case "reactivation":
      return code ? `${base}redeem/${code.replaceAll("-", "")}` : `${base}redeem`;
  }
}

export function renderNotification(input: RenderInput): RenderedMessage {
  const parsed = notificationParamsSchema.safeParse(input.params ?? {});
  const params: NotificationParams = parsed.success ? parsed.data : {};
  const expiresAt = params.expiresAt ? new Date(params.expiresAt) : null;
  const template = catalogs[input.locale][input.kind];
  const values = {
    phase: params.phaseName ?? genericPhase[input.locale],
    code: input.code ? displayCode(input.code) : "",
    expires: expiresAt
      ? input.kind === "verification_code"
        ? formatTime(expiresAt, input.locale)
        : formatDateTime(expiresAt, input.locale)
      : "—",
    link: params.link ?? deepLink(input.kind, input.code, input.linkBase ?? env.APP_LINK_BASE),
  };
  const rendered: RenderedMessage =
    input.channel === "email"
      ? { body: template.email(values), subject: template.subject(values) }
      : { body: template.sms(values) };
  if (expiresAt) rendered.expiresAt = expiresAt.toISOString();
  return rendered;
}
