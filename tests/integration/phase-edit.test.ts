// Editing a phase (lib/phases/update-phase.ts): what each status allows, what an edit leaves
// alone, the allow-list edited by number or by the opaque reference product staff get instead of
// a number, and the audit row (what changed, never a phone).
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, phaseAllowedPhones } from "../../db/schema";
import type { Actor } from "../../lib/auth/roles";
import { listAllowedPhoneEntries } from "../../lib/phases/allowed-phone-entries";
import { createPhase } from "../../lib/phases/create-phase";
import { updatePhase } from "../../lib/phases/update-phase";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { insertPhase, insertStaff } from "../helpers/factories";
import { runStaffAction } from "../../app/_server/action-spec";
import { updatePhaseSpec } from "../../app/(console)/phases/action-specs";

let t: TestDatabase;
let product: Actor;
let admin: Actor;
let growth: Actor;
let seq = 0;
const slug = () => `edit-${++seq}`;

beforeAll(async () => {
  t = await createTestDatabase();
  product = await insertStaff(t.db, "product");
  admin = await insertStaff(t.db, "admin");
  growth = await insertStaff(t.db, "growth");
});
afterAll(async () => {
  await t.drop();
});

async function audits(phaseId: string) {
  return t.db
    .select({ before: auditEvents.before, after: auditEvents.after })
    .from(auditEvents)
    .where(and(eq(auditEvents.action, "phase.update"), eq(auditEvents.targetId, phaseId)));
}

async function allowList(phaseId: string) {
  const rows = await t.db.select({ phone: phaseAllowedPhones.phone }).from(phaseAllowedPhones).where(eq(phaseAllowedPhones.phaseId, phaseId));
  return rows.map((r) => r.phone).sort();
}

describe("a draft or scheduled phase", () => {
  it("changes only what the edit gives, and audits just that", async () => {
    const phase = await createPhase(t.db, product, {
      slug: slug(),
      name: "Wave",
      kind: "closed",
      memberInviteQuota: 3,
      invitationTtlHours: 48,
      expiredPlacement: "back",
      autoReactivateExpired: true,
      countries: ["FR"],
    });
    const after = await updatePhase(t.db, product, phase.id, { capacity: 1000 });
    // Settings with defaults at creation are not reset by an edit that leaves them out.
    expect(after).toMatchObject({ capacity: 1000, memberInviteQuota: 3, invitationTtlHours: 48, expiredPlacement: "back", autoReactivateExpired: true, countries: ["FR"] });
    expect(await audits(phase.id)).toEqual([{ before: { capacity: null }, after: { capacity: 1000 } }]);
  });

  it("edits every setting, the slug included", async () => {
    const phase = await insertPhase(t.db, { status: "scheduled", startsAt: new Date("2031-01-01T09:00:00Z") });
    const newSlug = slug();
    const edit = {
      slug: newSlug,
      name: "Renamed",
      kind: "open" as const,
      startsAt: new Date("2031-02-01T09:00:00Z"),
      endsAt: new Date("2031-03-01T09:00:00Z"),
      capacity: 50,
      dailyAdmissionCap: 5,
      memberInviteQuota: 2,
      invitationTtlHours: 24,
      expiredPlacement: "back" as const,
      autoReactivateExpired: true,
      countries: ["de", "AT"],
      platforms: ["ios" as const],
    };
    expect(await updatePhase(t.db, admin, phase.id, edit)).toMatchObject({ ...edit, countries: ["DE", "AT"], status: "scheduled" });
    const [audit] = await audits(phase.id);
    expect(Object.keys(audit!.after as object).sort()).toEqual(Object.keys(edit).sort());
  });

  it("refuses a taken slug on the slug field, a window ending before it starts, and a scheduled phase without a start", async () => {
    const taken = await insertPhase(t.db, { slug: slug() });
    const phase = await insertPhase(t.db, { status: "scheduled", startsAt: new Date("2031-01-01T09:00:00Z") });
    await expect(updatePhase(t.db, product, phase.id, { slug: taken.slug })).rejects.toMatchObject({ code: "conflict", fieldErrors: [{ path: "slug" }] });
    await expect(updatePhase(t.db, product, phase.id, { endsAt: new Date("2030-12-31T09:00:00Z") })).rejects.toMatchObject({
      code: "validation",
      fieldErrors: [{ path: "endsAt" }],
    });
    await expect(updatePhase(t.db, product, phase.id, { startsAt: null })).rejects.toMatchObject({ code: "invalid_state", fieldErrors: [{ path: "startsAt" }] });
    await expect(updatePhase(t.db, product, phase.id, { slug: "Not A Slug" })).rejects.toMatchObject({ code: "validation", fieldErrors: [{ path: "slug" }] });
  });

  it("writes nothing for an edit that changes nothing", async () => {
    const phase = await insertPhase(t.db, { capacity: 10, name: "Same" });
    await updatePhase(t.db, product, phase.id, { capacity: 10, name: "Same" });
    expect(await audits(phase.id)).toEqual([]);
  });

  it("is for product and admin only", async () => {
    const phase = await insertPhase(t.db, {});
    await expect(updatePhase(t.db, growth, phase.id, { capacity: 5 })).rejects.toMatchObject({ code: "forbidden" });
  });
});

describe("an active phase", () => {
  it("tunes what may change while it runs", async () => {
    const phase = await insertPhase(t.db, { status: "active", activatedAt: new Date(), startsAt: new Date(), capacity: 100, kind: "closed", memberInviteQuota: 2 });
    try {
      const after = await updatePhase(t.db, product, phase.id, {
        name: "Running",
        capacity: 500,
        dailyAdmissionCap: 20,
        endsAt: new Date(Date.now() + 86_400_000),
        invitationTtlHours: 12,
        autoReactivateExpired: true,
        countries: ["FR"],
        // Unchanged values of fixed settings are not changes.
        kind: "closed",
        memberInviteQuota: 2,
      });
      expect(after).toMatchObject({ status: "active", name: "Running", capacity: 500, dailyAdmissionCap: 20, invitationTtlHours: 12, autoReactivateExpired: true, countries: ["FR"] });
    } finally {
      await t.sql`update phases set status = 'closed' where id = ${phase.id}`;
    }
  });

  it("keeps its slug, kind, start and invites per member, naming each refused field", async () => {
    const phase = await insertPhase(t.db, { status: "active", activatedAt: new Date(), startsAt: new Date(), kind: "closed" });
    try {
      await expect(
        updatePhase(t.db, product, phase.id, { slug: slug(), kind: "open", startsAt: new Date(Date.now() + 3_600_000), memberInviteQuota: 9, capacity: 5 }),
      ).rejects.toMatchObject({
        code: "invalid_state",
        fieldErrors: [
          { path: "slug", message: "fixed while the phase is active" },
          { path: "kind", message: "fixed while the phase is active" },
          { path: "startsAt", message: "fixed while the phase is active" },
          { path: "memberInviteQuota", message: "fixed while the phase is active" },
        ],
      });
      const [row] = await t.sql<{ capacity: number | null }[]>`select capacity from phases where id = ${phase.id}`;
      expect(row!.capacity).toBeNull();
    } finally {
      await t.sql`update phases set status = 'closed' where id = ${phase.id}`;
    }
  });
});

describe("the allow-list", () => {
  const phones = ["+33612345601", "+33612345602", "+33612345603", "+33612345604"];

  it("adds and removes numbers, and removes entries product staff see masked by their reference", async () => {
    const phase = await createPhase(t.db, product, { slug: slug(), name: "Staff", kind: "internal", allowedPhones: phones.slice(0, 3) });
    const listed = await listAllowedPhoneEntries(t.db, product, phase.id);
    expect(listed.total).toBe(3);
    // Product never sees a number, only a masked form and a reference.
    expect(listed.entries.map((e) => e.phone)).toEqual(["+336••••••01", "+336••••••02", "+336••••••03"]);
    expect(JSON.stringify(listed)).not.toContain("12345");

    await updatePhase(t.db, product, phase.id, {
      addAllowedPhones: [phones[3]!, phones[0]!],
      removeAllowedPhones: [phones[1]!, "+33 6 99 99 99 99"],
      removeAllowedPhoneRefs: [listed.entries[2]!.ref],
    });
    expect(await allowList(phase.id)).toEqual([phones[0], phones[3]]);
    const [audit] = await audits(phase.id);
    expect(audit!.after).toEqual({ allowList: { added: 1, removed: 2, total: 2 } });
    expect(JSON.stringify(audit)).not.toContain("12345");

    // Admin sees numbers in full; a reference from one phase removes nothing in another.
    const full = await listAllowedPhoneEntries(t.db, admin, phase.id);
    expect(full.entries.map((e) => e.phone)).toEqual([phones[0], phones[3]]);
    const other = await createPhase(t.db, admin, { slug: slug(), name: "Other", kind: "internal", allowedPhones: [phones[0]!] });
    await updatePhase(t.db, admin, other.id, { removeAllowedPhoneRefs: [full.entries[0]!.ref] });
    expect(await allowList(other.id)).toEqual([phones[0]]);
  });

  it("is replaced whole by allowedPhones (the admin API)", async () => {
    const phase = await createPhase(t.db, admin, { slug: slug(), name: "Replace", kind: "internal", allowedPhones: phones.slice(0, 2) });
    await updatePhase(t.db, admin, phase.id, { allowedPhones: phones.slice(1, 4) });
    expect(await allowList(phase.id)).toEqual(phones.slice(1, 4));
    const [audit] = await audits(phase.id);
    expect(audit!.after).toEqual({ allowList: { added: 2, removed: 1, total: 3 } });
  });

  it("takes numbers in any format with their country code, stores them as E.164, and names the one it cannot read", async () => {
    const phase = await createPhase(t.db, admin, {
      slug: slug(),
      name: "Any format",
      kind: "internal",
      allowedPhones: ["+44 7911 123456", "0033 6 12 34 56 05", "+33 6 12-34-56-06", "+49 (151) 2345 6789"],
    });
    expect(await allowList(phase.id)).toEqual(["+33612345605", "+33612345606", "+447911123456", "+4915123456789"]);

    // The console's form: one number per line, spaces inside a number kept together.
    const edit = (addAllowedPhones: string) => {
      const form = new FormData();
      form.append("phaseId", phase.id);
      form.append("scope", "running");
      form.append("name", "Any format");
      form.append("addAllowedPhones", addAllowedPhones);
      return runStaffAction({ db: t.db, staffId: admin.staffId, permission: updatePhaseSpec.permission, schema: updatePhaseSpec.schema, rawInput: form, fn: updatePhaseSpec.run });
    };
    expect(await edit("+44 7911 123457\r\n+33 6 12 34 56 07, 0044 7911 123458")).toMatchObject({ ok: true });
    expect(await allowList(phase.id)).toEqual(["+33612345605", "+33612345606", "+33612345607", "+447911123456", "+447911123457", "+447911123458", "+4915123456789"]);

    // A number libphonenumber knows is not a mobile anyone can register with (Ofcom's drama range) is refused by name.
    const refused = await edit("+44 7911 123459\n+44 7700 900123");
    expect(refused).toMatchObject({ ok: false, code: "validation", fieldErrors: { addAllowedPhones: expect.stringContaining("+44 7700 900123") } });
    expect(await allowList(phase.id)).not.toContain("+447911123459");
  });
});
