import { z } from "zod";
import { batchKind, batchStatus } from "@/db/schema";

/** `{id}` of every admin API path that names one row. */
export const idParams = z.object({ id: z.uuid() });

export const listBatchesQuery = z.object({
  status: z.enum(batchStatus.enumValues).optional(),
  kind: z.enum(batchKind.enumValues).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export function encodeBatchCursor(c: { createdAt: Date; id: string }): string {
  return Buffer.from(`${c.createdAt.toISOString()}|${c.id}`).toString("base64url");
}

export function decodeBatchCursor(cursor: string): { createdAt: Date; id: string } | null {
  const [at, id] = Buffer.from(cursor, "base64url").toString().split("|");
  const createdAt = new Date(at ?? "");
  if (!id || !z.uuid().safeParse(id).success || Number.isNaN(createdAt.getTime())) return null;
  return { createdAt, id };
}
