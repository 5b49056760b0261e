import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ArrowLeft, TriangleAlert } from "lucide-react";
import { getDb } from "@/db/client";
import { webhookDeliveryStatus, webhookEventType } from "@/db/schema";
import { requireStaff } from "@/app/_server/require-staff";
import { DeliveriesTable, type DeliveryRow } from "@/app/(console)/webhooks/_components/deliveries-table";
import { EndpointStatusBadge, EventTypeBadges } from "@/app/(console)/webhooks/_components/webhook-badges";
import { EndpointToggle } from "@/app/(console)/webhooks/_components/endpoint-toggle";
import type { DataTableFilter } from "@/components/data-table/features";
import { formatCount, humanize } from "@/components/format";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { isAppError } from "@/lib/errors";
import { getWebhookEndpoint } from "@/lib/webhooks/get-webhook-endpoint";
import { listWebhookDeliveries, webhookDeliveryListInput } from "@/lib/webhooks/list-webhook-deliveries";
import { isUuid } from "@/lib/validation/fields";

export const metadata: Metadata = { title: "Webhook endpoint" };

type Params = Promise<{ id: string }>;
type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const filters: DataTableFilter[] = [
  { id: "status", label: "Status", kind: "select", options: webhookDeliveryStatus.enumValues.map((s) => ({ value: s, label: humanize(s) })) },
  { id: "type", label: "Event type", kind: "select", options: webhookEventType.enumValues.map((t) => ({ value: t, label: t })) },
];


export default async function WebhookEndpointPage({ params, searchParams }: { params: Params; searchParams: SearchParams }) {
  const actor = await requireStaff("manage_webhooks");
  const { id } = await params;
  if (!isUuid(id)) notFound();
  const db = getDb();
  const endpoint = await getWebhookEndpoint(db, actor, id).catch((error) => {
    if (isAppError(error) && error.code === "not_found") notFound();
    throw error;
  });
  const raw = Object.fromEntries(Object.entries(await searchParams).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  // A hand-edited URL with a bad value shows the unfiltered first page rather than an error.
  const parsed = webhookDeliveryListInput.safeParse({ ...raw, endpointId: id, limit: 50 });
  const page = await listWebhookDeliveries(db, actor, parsed.success ? parsed.data : { endpointId: id });
  const rows: DeliveryRow[] = page.rows.map((d) => ({
    id: d.id,
    endpointId: d.endpointId,
    eventType: d.eventType,
    status: d.status,
    attempts: d.attempts,
    lastStatusCode: d.lastStatusCode,
    lastError: d.lastError,
    nextAttemptAt: d.nextAttemptAt.toISOString(),
    deliveredAt: d.deliveredAt?.toISOString() ?? null,
    createdAt: d.createdAt.toISOString(),
  }));
  const capped = (n: number) => (n > 10_000 ? "10,000+" : formatCount(n));

  return (
    <>
      <Link href="/webhooks" className="mb-3 inline-flex items-center gap-1 text-sm text-slate-500 hover:text-slate-900">
        <ArrowLeft className="size-4" aria-hidden /> Webhooks
      </Link>
      <PageHeader
        title={endpoint.url}
        description={endpoint.description ?? "Deliveries to this endpoint, newest first, each with its attempts."}
        actions={<EndpointToggle endpointId={endpoint.id} enabled={endpoint.status === "enabled"} undelivered={endpoint.undelivered} />}
      />
      {endpoint.status === "disabled" ? (
        <div role="alert" className="mb-6 flex gap-3 rounded-xl border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800">
          <TriangleAlert className="mt-0.5 size-4 shrink-0" aria-hidden />
          <div>
            <p className="font-medium">Disabled {endpoint.disabledAt ? `since ${endpoint.disabledAt.toISOString().slice(0, 16).replace("T", " ")} UTC` : ""}</p>
            <p className="mt-0.5">{endpoint.disabledReason}</p>
          </div>
        </div>
      ) : null}
      <div className="mb-6 grid gap-4 md:grid-cols-3">
        <Card>
          <CardHeader title="Status" />
          <CardBody className="space-y-1 text-sm">
            <EndpointStatusBadge status={endpoint.status} automatically={endpoint.disabledAutomatically} />
            <p className="text-slate-600">
              <span className="font-medium tabular-nums">{capped(endpoint.undelivered)}</span> undelivered ·{" "}
              <span className="font-medium tabular-nums">{capped(endpoint.failed)}</span> failed
            </p>
            {endpoint.failingSince ? <p className="text-red-700">Failing since {endpoint.failingSince.toISOString().slice(0, 16).replace("T", " ")} UTC: {endpoint.lastError}</p> : null}
          </CardBody>
        </Card>
        <Card>
          <CardHeader title="Event types" />
          <CardBody className="space-y-2 text-sm">
            <EventTypeBadges events={endpoint.events} />
            <p className="text-slate-500">{endpoint.includePhone ? "Payloads that name a registration carry its phone number." : "No phone numbers in payloads."}</p>
          </CardBody>
        </Card>
        <Card>
          <CardHeader title="Signature" />
          <CardBody className="text-sm text-slate-600">
            Standard Webhooks: verify <code className="font-mono text-xs">webhook-signature</code> over{" "}
            <code className="font-mono text-xs">webhook-id.webhook-timestamp.body</code> with the secret shown at creation, and drop a{" "}
            <code className="font-mono text-xs">webhook-id</code> already processed.
          </CardBody>
        </Card>
      </div>
      <DeliveriesTable rows={rows} filters={filters} cursors={{ next: page.nextCursor, previous: page.previousCursor }} />
    </>
  );
}
