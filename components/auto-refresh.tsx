"use client";

import { useEffect, useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { Pause, Play, RefreshCw } from "lucide-react";
import { Button } from "@/components/ui/button";

/**
 * Re-renders the server page every `intervalMs` without a reload (router.refresh keeps client
 * state such as open dialogs), and not while the tab is hidden. Shows when it last refreshed.
 */
export function AutoRefresh({ intervalMs = 5000, generatedAt }: { intervalMs?: number; generatedAt: string }) {
  const router = useRouter();
  const [paused, setPaused] = useState(false);
  const [pending, startTransition] = useTransition();
  const [, setTick] = useState(0);

  useEffect(() => {
    if (paused) return;
    const timer = setInterval(() => {
      if (document.visibilityState === "visible") startTransition(() => router.refresh());
    }, intervalMs);
    return () => clearInterval(timer);
  }, [paused, intervalMs, router]);

  // Keep "updated N s ago" moving between refreshes.
  useEffect(() => {
    const timer = setInterval(() => setTick((t) => t + 1), 1000);
    return () => clearInterval(timer);
  }, []);

  const age = Math.max(0, Math.round((Date.now() - Date.parse(generatedAt)) / 1000));
  return (
    <div className="flex items-center gap-3 text-sm text-slate-500">
      <span className="flex items-center gap-2" data-testid="live-status">
        <span className={`size-2 rounded-full ${paused ? "bg-slate-300" : "animate-pulse bg-emerald-500"}`} aria-hidden />
        {paused ? "Paused" : "Live"} · updated <span suppressHydrationWarning>{age} s</span> ago
      </span>
      <Button type="button" variant="secondary" size="sm" onClick={() => startTransition(() => router.refresh())} aria-label="Refresh now">
        <RefreshCw className={`size-4 ${pending ? "animate-spin" : ""}`} aria-hidden />
      </Button>
      <Button type="button" variant="secondary" size="sm" onClick={() => setPaused((p) => !p)}>
        {paused ? <Play className="size-4" aria-hidden /> : <Pause className="size-4" aria-hidden />}
        {paused ? "Resume" : "Pause"}
      </Button>
    </div>
  );
}
