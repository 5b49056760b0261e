import "server-only";
import { notFound } from "next/navigation";
import type { Database } from "@/db/client";
import type { Phase } from "@/db/schema";
import { isAppError } from "@/lib/errors";
import { getPhase } from "@/lib/phases/get-phase";
import { isUuid } from "@/lib/validation/fields";


/** The phase of a `/phases/[id]` URL, or the 404 page (a malformed id included). */
export async function phaseOrNotFound(db: Database, id: string): Promise<Phase> {
  if (!isUuid(id)) notFound();
  const phase = await getPhase(db, id).catch((error) => {
    if (isAppError(error) && error.code === "not_found") return null;
    throw error;
  });
  if (!phase) notFound();
  return phase;
}
