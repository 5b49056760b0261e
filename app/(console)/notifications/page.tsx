import type { Metadata } from "next";
import { AlertTriangle, Clock, Cpu, Inbox } from "lucide-react";
import { getDb } from "@/db/client";
import { requireStaff } from "@/app/_server/require-staff";
import { getConsoleQueueStats } from "@/jobs/queue-stats";
import { AttentionTable, type AttentionRow } from "@/app/(console)/notifications/_components/attention-table";
import { AutoRefresh } from "@/components/auto-refresh";
import { QueuesTable, type QueueRow } from "@/app/(console)/notifications/_components/queues-table";
import { ThroughputChart } from "@/app/(console)/notifications/_components/throughput-chart";
import { WorkerList } from "@/app/(console)/notifications/_components/worker-list";
import { formatDuration } from "@/components/duration";
import { KpiCard } from "@/components/kpi-card";
import { StatusBreakdown } from "@/components/status-breakdown";
import { formatCount } from "@/components/format";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { can } from "@/lib/auth/roles";
import { listNotificationsNeedingAttention, type AttentionNotification } from "@/lib/notifications/list-notifications";

export const metadata: Metadata = { title: "Notifications & queues" };

const MINUTES = 15;

function toRow(n: AttentionNotification): AttentionRow {
  return { ...n, status: n.status as AttentionRow["status"], createdAt: n.createdAt.toISOString(), updatedAt: n.updatedAt.toISOString() };
}

export default async function NotificationsPage() {
  const actor = await requireStaff("view");
  const db = getDb();
  const [stats, failed, unknown] = await Promise.all([
    getConsoleQueueStats({ minutes: MINUTES }),
    listNotificationsNeedingAttention(db, actor, { status: "failed", limit: 50 }),
    listNotificationsNeedingAttention(db, actor, { status: "unknown", limit: 50 }),
  ]);
  const canAct = can(actor.role, "manage_registration");
  const redisUp = stats.redis === "up";

  const queueRows: QueueRow[] = stats.queues.map((q) => ({
    name: q.name,
    ...q.counts,
    perMinute: q.completedPerMinute.slice(-5).reduce((a, b) => a + b, 0) / 5,
  }));
  const points = Array.from({ length: MINUTES }, (_, i) => ({
    minutesAgo: MINUTES - 1 - i,
    completed: stats.queues.reduce((sum, q) => sum + (q.completedPerMinute[i] ?? 0), 0),
    failed: stats.queues.reduce((sum, q) => sum + (q.failedPerMinute[i] ?? 0), 0),
  }));
  const finishedLastMinute = (points.at(-1)?.completed ?? 0) + (points.at(-2)?.completed ?? 0);
  const finishedInWindow = points.reduce((sum, p) => sum + p.completed, 0);
  const byStatus = stats.notifications.byStatus;
  const backlog = byStatus.pending + byStatus.queued + byStatus.sending;
  const aliveWorkers = stats.workers.filter((w) => w.alive).length;
  const pendingAge = stats.notifications.oldestPendingAgeSeconds;

  return (
    <>
      <PageHeader
        title="Notifications & queues"
        description="Outgoing SMS and e-mail from the outbox to the provider, the job queues behind them, and the messages that need a person."
        actions={<AutoRefresh generatedAt={stats.generatedAt} />}
      />

      {redisUp ? null : (
        <div role="alert" className="mb-6 flex items-start gap-3 rounded-lg bg-amber-50 px-4 py-3 text-sm text-amber-900 ring-1 ring-inset ring-amber-200">
          <AlertTriangle className="mt-0.5 size-4 shrink-0" aria-hidden />
          <p>
            <strong>Redis is unreachable.</strong> Queue counts and workers cannot be shown. Notifications keep waiting in the outbox (PostgreSQL) and are queued as soon as Redis is back.
          </p>
        </div>
      )}

      <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
        <KpiCard testId="kpi-backlog" label="In flight" value={formatCount(backlog)} icon={Inbox} hint={`${formatCount(byStatus.pending)} pending · ${formatCount(byStatus.queued)} queued · ${formatCount(byStatus.sending)} sending`} />
        <KpiCard
          testId="kpi-oldest-pending"
          label="Oldest pending"
          value={pendingAge === null ? "—" : formatDuration(pendingAge)}
          icon={Clock}
          hint={
            stats.notifications.oldestQueuedAgeSeconds === null
              ? "Nothing waiting in a queue"
              : `Oldest queued: ${formatDuration(stats.notifications.oldestQueuedAgeSeconds)}`
          }
        />
        <KpiCard
          testId="kpi-throughput"
          label="Jobs finished, last 2 min"
          value={redisUp ? formatCount(finishedLastMinute) : "—"}
          icon={Cpu}
          hint={redisUp ? `${formatCount(finishedInWindow)} in the last ${MINUTES} minutes` : "Redis unreachable"}
        />
        <KpiCard
          testId="kpi-attention"
          label="Need attention"
          value={formatCount(byStatus.failed + byStatus.unknown)}
          icon={AlertTriangle}
          hint={`${formatCount(byStatus.failed)} failed · ${formatCount(byStatus.unknown)} unknown`}
        />
      </div>

      <div className="mt-6 grid gap-6 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <CardHeader title="Throughput" description={`Jobs finished per minute over the last ${MINUTES} minutes, every queue`} />
          <CardBody>{redisUp ? <ThroughputChart points={points} /> : <p className="py-16 text-center text-sm text-slate-500">Redis is unreachable.</p>}</CardBody>
        </Card>
        <Card>
          <CardHeader title="Notifications by status" description="Every row of the outbox" />
          <CardBody>
            <StatusBreakdown
              testId="notifications-by-status"
              counts={byStatus}
              estimated={stats.notifications.sentEstimated}
              exactKeys={Object.keys(byStatus).filter((s) => s !== "sent")}
            />
          </CardBody>
        </Card>
      </div>

      <section className="mt-8 space-y-3" aria-labelledby="queues-heading">
        <h2 id="queues-heading" className="text-base font-semibold text-slate-900">
          Queues
        </h2>
        <QueuesTable rows={queueRows} redisUp={redisUp} />
      </section>

      <section className="mt-8 space-y-3" aria-labelledby="workers-heading">
        <h2 id="workers-heading" className="flex items-center gap-2 text-base font-semibold text-slate-900">
          Workers
          <Badge tone={aliveWorkers > 0 ? "green" : "amber"}>
            {aliveWorkers} alive
          </Badge>
        </h2>
        <WorkerList workers={stats.workers} redisUp={redisUp} />
      </section>

      <section className="mt-8 space-y-3" aria-labelledby="failed-heading">
        <div>
          <h2 id="failed-heading" className="text-base font-semibold text-slate-900">
            Failed notifications
          </h2>
          <p className="text-sm text-slate-500">Gave up after every retry, or refused by the provider. {canAct ? "Retry sends them once more." : "Support, growth and admin can retry them."}</p>
        </div>
        <div data-testid="failed-notifications">
          <AttentionTable rows={failed.rows.map(toRow)} total={failed.total} status="failed" canAct={canAct} />
        </div>
      </section>

      <section className="mt-8 space-y-3" aria-labelledby="unknown-heading">
        <div>
          <h2 id="unknown-heading" className="text-base font-semibold text-slate-900">
            Unknown deliveries
          </h2>
          <p className="text-sm text-slate-500">A worker stopped mid-send: check with the provider, then record the outcome.</p>
        </div>
        <div data-testid="unknown-notifications">
          <AttentionTable rows={unknown.rows.map(toRow)} total={unknown.total} status="unknown" canAct={canAct} />
        </div>
      </section>
    </>
  );
}
