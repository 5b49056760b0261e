// The Members pages' server action as a plain spec (tests run it as every role); actions.ts
// exposes it with "use server". grantQuota authorizes, ledgers and audits in one transaction.
import { z } from "zod";
import { zfd } from "zod-form-data";
import { defineStaffAction } from "@/app/_server/action-spec";
import { grantQuota } from "@/lib/members/grant-quota";
import { uuid, wholeNumber } from "@/lib/validation/fields";

export const grantQuotaSpec = defineStaffAction({
  permission: "manage_batches",
  schema: z.object({
    memberId: uuid("unknown member"),
    amount: zfd.numeric(wholeNumber(1, 1000)),
  }),
  run: async (input, actor, db) => grantQuota(db, actor, input),
});
