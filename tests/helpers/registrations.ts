// Shared by the registration/policy/position test files: read what the outbox would have sent.
import { and, desc, eq } from "drizzle-orm";
import type { Database } from "../../db/client";
import { notifications } from "../../db/schema";
import { openNotificationCode } from "../../lib/notifications/code-secret";

/** The latest verification code put in the outbox for a registration (what the SMS carries). */
export async function latestCode(db: Database, registrationId: string): Promise<string> {
  const [row] = await db
    .select({ secret: notifications.secret })
    .from(notifications)
    .where(and(eq(notifications.registrationId, registrationId), eq(notifications.kind, "verification_code")))
    .orderBy(desc(notifications.createdAt))
    .limit(1);
  if (!row?.secret) throw new Error(`no verification code was sent for ${registrationId}`);
  return openNotificationCode(row.secret)!;
}

export async function codesSent(db: Database, registrationId: string): Promise<number> {
  const rows = await db
    .select({ id: notifications.id })
    .from(notifications)
    .where(and(eq(notifications.registrationId, registrationId), eq(notifications.kind, "verification_code")));
  return rows.length;
}
