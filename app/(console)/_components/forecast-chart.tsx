"use client";

import { Area, CartesianGrid, ComposedChart, Line, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatCount } from "@/components/format";

export interface ForecastChartPoint {
  day: number;
  at: string;
  remaining: number;
  queueLength: number;
}

export interface ForecastChartMark {
  /** Days from now (fractional). */
  day: number;
  label: string;
}

const dayLabel = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });

/**
 * The queue over the coming weeks, as estimated: the people waiting now still waiting (a line
 * that reaches zero when the last of them is served) and the queue's length with new arrivals
 * (an area). Milestones are vertical markers.
 */
export function ForecastChart({ points, marks }: { points: ForecastChartPoint[]; marks: ForecastChartMark[] }) {
  const start = points[0] ? new Date(points[0].at).getTime() : 0;
  const label = (day: number) => dayLabel.format(new Date(start + day * 86_400_000));
  return (
    <div className="h-64 w-full" data-testid="forecast-chart" data-points={points.length}>
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={points} margin={{ top: 20, right: 12, bottom: 0, left: -8 }}>
          <CartesianGrid vertical={false} stroke="#e2e8f0" />
          <XAxis
            dataKey="day"
            type="number"
            domain={[0, points.at(-1)?.day ?? 0]}
            tickFormatter={(d: number) => (d === 0 ? "today" : label(d))}
            tick={{ fontSize: 11, fill: "#64748b" }}
            tickLine={false}
            axisLine={false}
            minTickGap={28}
          />
          <YAxis tickFormatter={(v: number) => compact.format(v)} tick={{ fontSize: 11, fill: "#64748b" }} tickLine={false} axisLine={false} allowDecimals={false} width={52} />
          <Tooltip
            labelFormatter={(d) => `≈ ${label(Number(d))}`}
            formatter={(value, name) => [`≈ ${formatCount(Number(value))}`, name]}
            contentStyle={{ borderRadius: 8, borderColor: "#e2e8f0", fontSize: 12 }}
          />
          <Area
            type="linear"
            dataKey="queueLength"
            name="Queue with new arrivals"
            stroke="oklch(0.56 0.19 265)"
            strokeDasharray="5 4"
            fill="oklch(0.56 0.19 265)"
            fillOpacity={0.08}
            isAnimationActive={false}
          />
          <Line type="linear" dataKey="remaining" name="Of today's queue, still waiting" stroke="oklch(0.6 0.15 160)" strokeWidth={2} dot={false} isAnimationActive={false} />
          {marks.map((mark) => (
            <ReferenceLine
              key={mark.label}
              x={mark.day}
              stroke="#94a3b8"
              strokeDasharray="2 3"
              label={{ value: mark.label, position: "top", fontSize: 11, fill: "#475569" }}
            />
          ))}
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
