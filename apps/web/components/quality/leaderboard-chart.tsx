"use client";
import { CartesianGrid, ErrorBar, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from "recharts";
import type { LeaderboardRow } from "@arbiter/core/client";
import { ChartFigure } from "./chart-figure";
import { fixed } from "./format";

/** Ratings as points with their interval as whiskers, best on top. */
export function LeaderboardChart({ rows, method }: { rows: LeaderboardRow[]; method: string }) {
  const plotted = rows.map((r) => ({ ...r, error: [r.ciLow === null ? 0 : r.rating - r.ciLow, r.ciHigh === null ? 0 : r.ciHigh - r.rating] }));
  const low = Math.min(...rows.map((r) => r.ciLow ?? r.rating));
  const high = Math.max(...rows.map((r) => r.ciHigh ?? r.rating));
  const pad = Math.max(1, (high - low) * 0.08);
  const columns = [
    { key: "rank" as const, label: "Rank" },
    { key: "model" as const, label: "Model" },
    { key: "rating" as const, label: "Rating", format: (v: unknown) => fixed(v as number, 1) },
    { key: "ciLow" as const, label: "95 % low", format: (v: unknown) => fixed(v as number | null, 1) },
    { key: "ciHigh" as const, label: "95 % high", format: (v: unknown) => fixed(v as number | null, 1) },
    { key: "comparisons" as const, label: "Comparisons" },
  ];
  return (
    <ChartFigure
      title="Leaderboard"
      description={
        method === "arena" ? "Conservative skill μ − 3σ (dot) with μ ± 1.96σ (whisker)." : "Rating (dot) with its 95 % bootstrap interval (whisker)."
      }
      rows={rows}
      filename={`leaderboard-${method}`}
      columns={
        method === "arena"
          ? [
              ...columns,
              { key: "mu" as const, label: "μ", format: (v: unknown) => fixed(v as number, 2) },
              { key: "sigma" as const, label: "σ", format: (v: unknown) => fixed(v as number, 2) },
            ]
          : columns
      }
    >
      <ScatterChart
        responsive
        style={{ width: "100%", height: Math.max(160, 40 * rows.length + 60) }}
        title="Leaderboard"
        margin={{ top: 8, right: 24, bottom: 8, left: 8 }}
      >
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis type="number" dataKey="rating" name="Rating" domain={[Math.floor(low - pad), Math.ceil(high + pad)]} />
        <YAxis type="category" dataKey="model" name="Model" width={130} tick={{ fontSize: 12 }} allowDuplicatedCategory={false} reversed />
        <Tooltip formatter={(v) => (typeof v === "number" ? fixed(v, 1) : String(v))} />
        <Scatter data={plotted} fill="#2f5bd3" isAnimationActive={false}>
          <ErrorBar dataKey="error" direction="x" width={6} stroke="#1d1d1f" isAnimationActive={false} />
        </Scatter>
      </ScatterChart>
    </ChartFigure>
  );
}
