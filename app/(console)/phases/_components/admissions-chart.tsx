"use client";

import { Bar, CartesianGrid, ComposedChart, Line, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatCount } from "@/components/format";

export interface AdmissionsChartDay {
  day: string;
  admitted: number;
  total: number;
}

const dayLabel = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });
const label = (day: string) => dayLabel.format(new Date(`${day}T00:00:00Z`));
const countAxis = {
  tickFormatter: (v: number) => compact.format(v),
  tick: { fontSize: 11, fill: "#64748b" },
  tickLine: false,
  axisLine: false,
  allowDecimals: false,
  width: 48,
};

/** A phase's admissions: members admitted per UTC day (bars) and in total (line, right axis), with its capacity. */
export function AdmissionsChart({ days, capacity }: { days: AdmissionsChartDay[]; capacity: number | null }) {
  const total = days.at(-1)?.total ?? 0;
  return (
    <div className="h-64 w-full" data-testid="phase-admissions-chart" data-total={total} data-days={days.length}>
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={days} margin={{ top: 16, right: 0, bottom: 0, left: -8 }}>
          <CartesianGrid vertical={false} stroke="#e2e8f0" />
          <XAxis dataKey="day" tickFormatter={label} tick={{ fontSize: 11, fill: "#64748b" }} tickLine={false} axisLine={false} minTickGap={24} />
          <YAxis yAxisId="day" {...countAxis} />
          <YAxis yAxisId="total" orientation="right" domain={[0, Math.max(total, capacity ?? 0)]} {...countAxis} />
          <Tooltip
            cursor={{ fill: "#f1f5f9" }}
            labelFormatter={(day) => label(String(day))}
            formatter={(value, name) => [formatCount(Number(value)), name]}
            contentStyle={{ borderRadius: 8, borderColor: "#e2e8f0", fontSize: 12 }}
          />
          <Bar yAxisId="day" dataKey="admitted" name="Admitted that day" fill="oklch(0.6 0.15 160)" radius={[3, 3, 0, 0]} isAnimationActive={false} />
          <Line yAxisId="total" type="stepAfter" dataKey="total" name="Members in total" stroke="oklch(0.56 0.19 265)" strokeWidth={2} dot={false} isAnimationActive={false} />
          {capacity !== null ? (
            <ReferenceLine
              yAxisId="total"
              y={capacity}
              stroke="#f59e0b"
              strokeDasharray="4 4"
              label={{ value: `capacity ${formatCount(capacity)}`, position: "insideTopRight", fontSize: 11, fill: "#b45309" }}
            />
          ) : null}
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
