"use client";

import { Area, AreaChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export interface ThroughputPoint {
  /** Minutes before now (0 = the current minute). */
  minutesAgo: number;
  completed: number;
  failed: number;
}

/** Jobs finished per minute across every queue, completed and failed stacked. */
export function ThroughputChart({ points }: { points: ThroughputPoint[] }) {
  return (
    <div className="h-48 w-full" data-testid="throughput-chart">
      <ResponsiveContainer width="100%" height="100%">
        <AreaChart data={points} margin={{ top: 8, right: 8, bottom: 0, left: -8 }}>
          <CartesianGrid vertical={false} stroke="#e2e8f0" />
          <XAxis
            dataKey="minutesAgo"
            tickFormatter={(m: number) => (m === 0 ? "now" : `−${m} min`)}
            tick={{ fontSize: 11, fill: "#64748b" }}
            tickLine={false}
            axisLine={false}
            minTickGap={20}
          />
          <YAxis tick={{ fontSize: 11, fill: "#64748b" }} tickLine={false} axisLine={false} allowDecimals={false} width={48} />
          <Tooltip
            labelFormatter={(m) => (Number(m) === 0 ? "this minute" : `${m} min ago`)}
            contentStyle={{ borderRadius: 8, borderColor: "#e2e8f0", fontSize: 12 }}
          />
          <Area type="monotone" dataKey="completed" name="Completed" stackId="1" stroke="oklch(0.6 0.15 160)" fill="oklch(0.6 0.15 160)" fillOpacity={0.25} isAnimationActive={false} />
          <Area type="monotone" dataKey="failed" name="Failed" stackId="1" stroke="#dc2626" fill="#dc2626" fillOpacity={0.25} isAnimationActive={false} />
        </AreaChart>
      </ResponsiveContainer>
    </div>
  );
}
