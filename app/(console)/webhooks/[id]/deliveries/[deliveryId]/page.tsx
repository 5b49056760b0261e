import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ArrowLeft } from "lucide-react";
import { getDb } from "@/db/client";
import { requireStaff } from "@/app/_server/require-staff";
import { AttemptsTable, type AttemptRow } from "@/app/(console)/webhooks/_components/attempts-table";
import { SendAgainButton } from "@/app/(console)/webhooks/_components/send-again-button";
import { DeliveryStatusBadge } from "@/app/(console)/webhooks/_components/webhook-badges";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { isAppError } from "@/lib/errors";
import { getWebhookDelivery } from "@/lib/webhooks/get-webhook-delivery";
import { isUuid } from "@/lib/validation/fields";

export const metadata: Metadata = { title: "Webhook delivery" };

type Params = Promise<{ id: string; deliveryId: string }>;

const utc = (d: Date) => `${d.toISOString().slice(0, 19).replace("T", " ")} UTC`;

export default async function WebhookDeliveryPage({ params }: { params: Params }) {
  const actor = await requireStaff("manage_webhooks");
  const { id, deliveryId } = await params;
  if (!isUuid(deliveryId)) notFound();
  const detail = await getWebhookDelivery(getDb(), actor, deliveryId).catch((error) => {
    if (isAppError(error) && error.code === "not_found") notFound();
    throw error;
  });
  if (detail.endpoint.id !== id) notFound();
  const { delivery, endpoint } = detail;
  const attempts: AttemptRow[] = detail.attempts.map((a) => ({
    id: a.id,
    startedAt: a.startedAt.toISOString(),
    durationMs: a.durationMs,
    statusCode: a.statusCode,
    error: a.error,
    responseExcerpt: a.responseExcerpt,
  }));
  const finished = delivery.status === "delivered" || delivery.status === "failed";

  return (
    <>
      <Link href={`/webhooks/${endpoint.id}`} className="mb-3 inline-flex items-center gap-1 text-sm text-slate-500 hover:text-slate-900">
        <ArrowLeft className="size-4" aria-hidden /> {endpoint.url}
      </Link>
      <PageHeader
        title={delivery.eventType}
        description={`webhook-id ${delivery.id}: every attempt carries it, so the receiver can drop one it already has.`}
        actions={finished ? <SendAgainButton deliveryId={delivery.id} endpointDisabled={endpoint.status === "disabled"} /> : null}
      />
      <div className="mb-6 grid gap-4 md:grid-cols-3">
        <Card>
          <CardHeader title="Delivery" />
          <CardBody className="space-y-1 text-sm text-slate-600">
            <DeliveryStatusBadge status={delivery.status} />
            <p>Event at {utc(delivery.occurredAt)}</p>
            {delivery.deliveredAt ? <p>Delivered {utc(delivery.deliveredAt)}</p> : null}
            {delivery.status === "pending" ? (
              <p className="text-amber-700">
                {endpoint.status === "disabled" ? "Waits until the endpoint is enabled" : `Next attempt ${utc(delivery.nextAttemptAt)}`}
              </p>
            ) : null}
            <p>
              {delivery.attempts} {delivery.attempts === 1 ? "attempt" : "attempts"}
              {delivery.failures > 0 ? `, ${delivery.failures} failed in a row` : ""}
            </p>
          </CardBody>
        </Card>
        <Card className="md:col-span-2">
          <CardHeader title="Body" description={endpoint.includePhone ? "As the next attempt sends it (the phone is read from the registration when sent)" : "As every attempt sends it"} />
          <CardBody>
            <pre data-testid="webhook-body" className="overflow-x-auto rounded-md bg-slate-900 px-3 py-2 font-mono text-xs text-slate-100">
              {JSON.stringify(JSON.parse(detail.body), null, 2)}
            </pre>
          </CardBody>
        </Card>
      </div>
      <h2 className="mb-3 text-base font-semibold text-slate-900">Attempts</h2>
      <AttemptsTable rows={attempts} />
    </>
  );
}
