"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatCount } from "@/components/format";

export interface HourPoint {
  /** ISO instant of the hour's start (UTC). */
  hour: string;
  sends: number;
  verifications: number;
}

const hourLabel = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", timeZone: "UTC" });
const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });

/** Codes sent and codes verified per UTC hour: a prefix being pumped shows as sends without verifications. */
export function SmsConversionChart({ points }: { points: HourPoint[] }) {
  const sends = points.reduce((sum, p) => sum + p.sends, 0);
  const verifications = points.reduce((sum, p) => sum + p.verifications, 0);
  return (
    <div data-testid="sms-conversion-chart" data-sends={sends} data-verifications={verifications} className="h-64 w-full">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={points} margin={{ top: 8, right: 8, bottom: 0, left: -8 }} barGap={1}>
          <CartesianGrid vertical={false} stroke="#e2e8f0" />
          <XAxis dataKey="hour" tickFormatter={(h: string) => hourLabel.format(new Date(h))} tick={{ fontSize: 11, fill: "#64748b" }} tickLine={false} axisLine={false} minTickGap={24} />
          <YAxis tickFormatter={(v: number) => compact.format(v)} tick={{ fontSize: 11, fill: "#64748b" }} tickLine={false} axisLine={false} allowDecimals={false} width={48} />
          <Tooltip
            cursor={{ fill: "#f1f5f9" }}
            labelFormatter={(h) => `${hourLabel.format(new Date(String(h)))} UTC`}
            formatter={(value, name) => [formatCount(Number(value)), name]}
            contentStyle={{ borderRadius: 8, borderColor: "#e2e8f0", fontSize: 12 }}
          />
          <Legend iconType="circle" iconSize={8} wrapperStyle={{ fontSize: 12 }} />
          <Bar dataKey="sends" name="Codes sent" fill="#6366f1" radius={[3, 3, 0, 0]} isAnimationActive={false} />
          <Bar dataKey="verifications" name="Verified" fill="#10b981" radius={[3, 3, 0, 0]} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
