// The Members pages' server action as a plain spec (tests run it as every role); actions.ts
// exposes it with "use server". grantQuota authorizes, ledgers and audits in one transaction.
import { z } from "zod";
import { defineStaffAction } from "@/app/_server/action-spec";
import { grantQuota } from "@/lib/members/grant-quota";

export const grantQuotaSpec = defineStaffAction({
  permission: "manage_batches",
  schema: z.object({
    memberId: z.uuid("unknown member"),
    amount: z.coerce.number({ error: "a whole number" }).int("a whole number").min(1, "at least 1").max(1000, "at most 1000"),
  }),
  run: async (input, actor, db) => grantQuota(db, actor, input),
});
