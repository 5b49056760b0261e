import { Server } from "lucide-react";
import { RelativeTime } from "@/components/relative-time";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import type { QueueStats } from "@/jobs/queue-stats";

/** Worker processes from their heartbeats (every 5 s; gone after 30 s of silence). */
export function WorkerList({ workers, redisUp }: { workers: QueueStats["workers"]; redisUp: boolean }) {
  if (workers.length === 0) {
    return (
      <Card className="px-5 py-6 text-sm text-slate-500" data-testid="workers">
        {redisUp ? "No worker has reported in. Start one with `npm run worker` (npm start runs one)." : "Unknown while Redis is unreachable."}
      </Card>
    );
  }
  return (
    <div className="grid gap-3 sm:grid-cols-2 xl:grid-cols-3" data-testid="workers">
      {workers.map((w) => (
        <Card key={w.workerId} className="p-4" data-worker={w.workerId}>
          <div className="flex items-start justify-between gap-2">
            <div className="flex min-w-0 items-center gap-2">
              <Server className="size-4 shrink-0 text-slate-400" aria-hidden />
              <p className="truncate font-mono text-sm text-slate-900" title={w.workerId}>
                {w.host} · pid {w.pid}
              </p>
            </div>
            {w.alive ? <Badge tone="green">alive</Badge> : <Badge tone="red">gone</Badge>}
          </div>
          <p className="mt-2 text-xs text-slate-500">
            Last beat <RelativeTime iso={w.lastSeenAt} /> · started <RelativeTime iso={w.startedAt} />
          </p>
          <p className="mt-1 truncate text-xs text-slate-500" title={w.queues.join(", ")}>
            {w.queues.length} queues: {w.queues.join(", ")}
          </p>
        </Card>
      ))}
    </div>
  );
}
