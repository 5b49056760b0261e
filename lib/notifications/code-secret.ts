// The one-time code a notification carries (notifications.secret) is kept only until the message
// is settled, and sealed with AES-256-GCM while it is kept (SPEC §3.8): a database dump holds no
// code in clear. Producers hand the plain code to the outbox, which seals it; the delivery path
// opens it right before rendering.
import { isSealed, openSecret, sealSecret, sealSecrets } from "@/lib/secret-box";

const PURPOSE = "notification-code";

export function sealNotificationCode(code: string): string {
  return sealSecret(code, PURPOSE);
}

/** The same for many codes at once (a batch's invitations). */
export function sealNotificationCodes(codes: string[]): string[] {
  return sealSecrets(codes, PURPOSE);
}

/**
 * The plain code of a stored secret. A value stored before codes were sealed is returned as it
 * is (the secrets sweep seals those it finds); a sealed value that does not open (DATA_KEY
 * changed) throws.
 */
export function openNotificationCode(stored: string | null): string | null {
  if (stored === null) return null;
  return isSealed(stored) ? openSecret(stored, PURPOSE) : stored;
}
