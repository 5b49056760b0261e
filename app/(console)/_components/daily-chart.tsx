"use client";

import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatCount } from "@/components/format";

export interface DailyChartPoint {
  day: string;
  value: number;
  exact: boolean;
}

const dayLabel = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });

function label(day: string): string {
  return dayLabel.format(new Date(`${day}T00:00:00Z`));
}

/**
 * One bar per UTC day. Days whose figure is a planner estimate (large tables, older days) are
 * drawn lighter and say "≈" in the tooltip.
 */
export function DailyChart({ points, color, name, testId }: { points: DailyChartPoint[]; color: string; name: string; testId?: string }) {
  const total = points.reduce((sum, p) => sum + p.value, 0);
  return (
    <div data-testid={testId} data-total={total}>
      <div className="h-56 w-full">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={points} margin={{ top: 8, right: 8, bottom: 0, left: -8 }}>
            <CartesianGrid vertical={false} stroke="#e2e8f0" />
            <XAxis dataKey="day" tickFormatter={label} tick={{ fontSize: 11, fill: "#64748b" }} tickLine={false} axisLine={false} minTickGap={24} />
            <YAxis tickFormatter={(v: number) => compact.format(v)} tick={{ fontSize: 11, fill: "#64748b" }} tickLine={false} axisLine={false} allowDecimals={false} width={48} />
            <Tooltip
              cursor={{ fill: "#f1f5f9" }}
              labelFormatter={(day) => label(String(day))}
              formatter={(value, _n, item) => [`${(item.payload as DailyChartPoint).exact ? "" : "≈ "}${formatCount(Number(value))}`, name]}
              contentStyle={{ borderRadius: 8, borderColor: "#e2e8f0", fontSize: 12 }}
            />
            <Bar dataKey="value" name={name} radius={[3, 3, 0, 0]} isAnimationActive={false}>
              {points.map((p) => (
                <Cell key={p.day} fill={color} fillOpacity={p.exact ? 1 : 0.45} />
              ))}
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      </div>
    </div>
  );
}
