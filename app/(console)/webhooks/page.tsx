import type { Metadata } from "next";
import { TriangleAlert } from "lucide-react";
import { getDb } from "@/db/client";
import { requireStaff } from "@/app/_server/require-staff";
import { CreateEndpointDialog } from "@/app/(console)/webhooks/_components/create-endpoint-dialog";
import { EndpointsTable, type EndpointRow } from "@/app/(console)/webhooks/_components/endpoints-table";
import { PageHeader } from "@/components/ui/page-header";
import { listWebhookEndpoints } from "@/lib/webhooks/list-webhook-endpoints";

export const metadata: Metadata = { title: "Webhooks" };

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export default async function WebhooksPage() {
  const actor = await requireStaff("manage_webhooks");
  const endpoints = await listWebhookEndpoints(getDb(), actor);
  const rows: EndpointRow[] = endpoints.map((e) => ({
    id: e.id,
    url: e.url,
    description: e.description,
    events: e.events,
    includePhone: e.includePhone,
    status: e.status,
    disabledAutomatically: e.disabledAutomatically,
    undelivered: e.undelivered,
    failed: e.failed,
    lastSuccessAt: iso(e.lastSuccessAt),
    lastFailureAt: iso(e.lastFailureAt),
  }));
  const failing = endpoints.filter((e) => e.status === "disabled" && e.disabledAutomatically);

  return (
    <>
      <PageHeader
        title="Webhooks"
        description="The app's own back end hears who got in without polling: Gatehouse POSTs each event to the endpoints subscribed to its type, signed per Standard Webhooks, retried for a day, never lost."
        actions={<CreateEndpointDialog />}
      />
      {failing.length > 0 ? (
        <div role="alert" className="mb-6 flex gap-3 rounded-xl border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800">
          <TriangleAlert className="mt-0.5 size-4 shrink-0" aria-hidden />
          <div>
            <p className="font-medium">
              {failing.length === 1 ? "An endpoint was disabled" : `${failing.length} endpoints were disabled`} because every delivery failed for a day.
            </p>
            <p className="mt-0.5">Their events wait undelivered; enable an endpoint on its page once it answers again, and they are replayed.</p>
          </div>
        </div>
      ) : null}
      <EndpointsTable rows={rows} />
    </>
  );
}
