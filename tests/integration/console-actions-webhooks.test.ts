// The Webhooks page's server actions run as every role, server-side (as a forged request would
// arrive): admins create, disable, enable and delete endpoints and send deliveries again (each
// audited in the same transaction); every other role is refused before any change.
import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { webhookDeliveries, webhookEndpoints, type StaffRole } from "../../db/schema";
import { runStaffAction, type StaffActionSpec } from "../../app/_server/action-spec";
import {
  createWebhookEndpointSpec,
  deleteWebhookEndpointSpec,
  sendWebhookAgainSpec,
  setWebhookEndpointEnabledSpec,
} from "../../app/(console)/webhooks/action-specs";
import type { Actor } from "../../lib/auth/roles";
import { recordWebhookEvent } from "../../lib/webhooks/record-webhook-event";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { insertStaff } from "../helpers/factories";

let t: TestDatabase;
const actors = {} as Record<StaffRole, Actor>;

beforeAll(async () => {
  t = await createTestDatabase();
  for (const role of ["admin", "growth", "support", "product"] as const) actors[role] = await insertStaff(t.db, role);
});
afterAll(async () => {
  await t.drop();
});

function run<S extends z.ZodType, T>(spec: StaffActionSpec<S, T>, role: StaffRole, rawInput: unknown) {
  return runStaffAction({ db: t.db, staffId: actors[role].staffId, permission: spec.permission, schema: spec.schema, fn: spec.run, rawInput });
}

function form(fields: [string, string][]): FormData {
  const data = new FormData();
  for (const [k, v] of fields) data.append(k, v);
  return data;
}

const auditCount = async () => (await t.db.execute<{ n: number }>(sql`select count(*)::int as n from audit_events`))[0]!.n;

describe("webhooks console actions", () => {
  it("creates an endpoint from the form (event checkboxes, includePhone) and answers the secret once", async () => {
    const result = await run(
      createWebhookEndpointSpec,
      "admin",
      form([
        ["url", "https://app.example.com/hooks"],
        ["events", "member.admitted"],
        ["events", "invitation.sent"],
        ["includePhone", "on"],
      ]),
    );
    expect(result).toMatchObject({ ok: true, data: { url: "https://app.example.com/hooks", secret: expect.stringMatching(/^whsec_/) } });
    const [row] = await t.db.select().from(webhookEndpoints);
    expect(row).toMatchObject({ events: ["member.admitted", "invitation.sent"], includePhone: true, status: "enabled" });
  });

  it("answers field errors inline", async () => {
    expect(await run(createWebhookEndpointSpec, "admin", form([["url", "https://app.example.com/x"]]))).toMatchObject({
      ok: false,
      code: "validation",
      fieldErrors: { events: "pick at least one event type" },
    });
    expect(await run(createWebhookEndpointSpec, "admin", form([["url", "mailto:x@example.com"], ["events", "batch.completed"]]))).toMatchObject({
      ok: false,
      fieldErrors: { url: expect.any(String) },
    });
  });

  it("disables with a reason, re-enables, and sends a finished delivery again — admins only, each audited", async () => {
    const [endpoint] = await t.db.select().from(webhookEndpoints);
    await t.db.transaction((tx) => recordWebhookEvent(tx, "member.admitted", { memberId: randomUUID(), registrationId: randomUUID(), phaseSlug: "w" }));
    const [delivery] = await t.db.select().from(webhookDeliveries);
    await t.db.update(webhookDeliveries).set({ status: "failed", attempts: 8, failures: 8 }).where(eq(webhookDeliveries.id, delivery!.id));

    for (const role of ["growth", "support", "product"] as const) {
      const before = await auditCount();
      for (const [spec, input] of [
        [setWebhookEndpointEnabledSpec, { endpointId: endpoint!.id, enabled: "false" }],
        [sendWebhookAgainSpec, { deliveryId: delivery!.id }],
        [deleteWebhookEndpointSpec, { endpointId: endpoint!.id }],
        [createWebhookEndpointSpec, form([["url", "https://x.example.com"], ["events", "batch.completed"]])],
      ] as const) {
        expect(await run(spec as StaffActionSpec<z.ZodType, unknown>, role, input)).toMatchObject({ ok: false, code: "forbidden" });
      }
      expect(await auditCount()).toBe(before);
    }

    expect(await run(setWebhookEndpointEnabledSpec, "admin", form([["endpointId", endpoint!.id], ["enabled", "false"], ["reason", "receiver migrating"]]))).toMatchObject({
      ok: true,
      data: { status: "disabled" },
    });
    expect((await t.db.select().from(webhookEndpoints))[0]).toMatchObject({ disabledReason: "receiver migrating", disabledAutomatically: false });
    expect(await run(setWebhookEndpointEnabledSpec, "admin", { endpointId: endpoint!.id, enabled: "false" })).toMatchObject({ ok: false, code: "invalid_state" });
    expect(await run(sendWebhookAgainSpec, "admin", { deliveryId: delivery!.id })).toMatchObject({ ok: true, data: { status: "pending" } });
    expect(await run(sendWebhookAgainSpec, "admin", { deliveryId: delivery!.id })).toMatchObject({ ok: false, code: "invalid_state" });
    expect(await run(setWebhookEndpointEnabledSpec, "admin", { endpointId: endpoint!.id, enabled: "true" })).toMatchObject({ ok: true, data: { status: "enabled", replayed: 1 } });
    expect(await run(deleteWebhookEndpointSpec, "admin", { endpointId: endpoint!.id })).toMatchObject({ ok: true });
    expect(await t.db.select().from(webhookDeliveries)).toEqual([]);

    const actions = await t.db.execute<{ action: string; actor_id: string }>(sql`select action, actor_id from audit_events where action like 'webhook.%' order by id`);
    expect(actions.map((a) => a.action)).toEqual(["webhook.create", "webhook.disable", "webhook.send_again", "webhook.enable", "webhook.delete"]);
    expect(new Set(actions.map((a) => a.actor_id))).toEqual(new Set([actors.admin.staffId]));
  });
});
