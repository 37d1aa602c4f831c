"use client";
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import type { CampaignSeries } from "@arbiter/core/client";
import { ChartFigure } from "./chart-figure";
import { fixed, formatBucket } from "./format";

const size = { width: "100%", height: 280 } as const;

export function ProgressChart({ series, campaignId }: { series: CampaignSeries; campaignId: string }) {
  const rows = series.progress.map((p) => ({ ...p, label: formatBucket(p.t, series.bucket) }));
  return (
    <ChartFigure
      title="Progress over time"
      description={
        <>
          Cumulative human and judge judgments and completed items, per {series.bucket} (UTC). Also from the API:{" "}
          <a href={`/api/v1/campaigns/${campaignId}/stats/series?series=progress&format=csv`}>progress CSV</a>.
        </>
      }
      rows={rows}
      filename="progress"
      columns={[
        { key: "t", label: "Bucket start (UTC)" },
        { key: "human", label: "Human" },
        { key: "judge", label: "Judge" },
        { key: "humanTotal", label: "Human, cumulative" },
        { key: "judgeTotal", label: "Judge, cumulative" },
        { key: "itemsCompleted", label: "Items completed" },
        { key: "itemsCompletedTotal", label: "Items completed, cumulative" },
      ]}
    >
      <LineChart responsive style={size} data={rows} title="Progress over time" margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="label" minTickGap={24} />
        <YAxis allowDecimals={false} />
        <Tooltip />
        <Legend />
        <Line type="monotone" dataKey="humanTotal" name="Human judgments" stroke="#2f5bd3" dot={rows.length <= 24} isAnimationActive={false} />
        <Line type="monotone" dataKey="judgeTotal" name="Judge judgments" stroke="#8a5a00" dot={rows.length <= 24} isAnimationActive={false} />
        <Line type="monotone" dataKey="itemsCompletedTotal" name="Items complete" stroke="#1d7a46" dot={rows.length <= 24} isAnimationActive={false} />
      </LineChart>
    </ChartFigure>
  );
}

export interface ThroughputRow {
  annotatorId: string;
  label: string;
  judgments: number;
  medianTimeMs: number | null;
  perHour: number | null;
  activeBuckets: number;
}

export function ThroughputChart({ rows, bucket, campaignId }: { rows: ThroughputRow[]; bucket: string; campaignId: string }) {
  return (
    <ChartFigure
      title="Throughput per annotator"
      description={
        <>
          Judgments per annotator, and judgments per hour of median time on task. Per-{bucket} counts:{" "}
          <a href={`/api/v1/campaigns/${campaignId}/stats/series?series=throughput&format=csv`}>throughput CSV</a>.
        </>
      }
      rows={rows}
      filename="throughput"
      columns={[
        { key: "annotatorId", label: "Annotator" },
        { key: "label", label: "Name" },
        { key: "judgments", label: "Judgments" },
        { key: "activeBuckets", label: `Active ${bucket}s` },
        { key: "medianTimeMs", label: "Median time (s)", format: (v) => (typeof v === "number" ? (v / 1000).toFixed(1) : "—") },
        { key: "perHour", label: "Judgments per hour on task", format: (v) => fixed(v as number | null, 1) },
      ]}
    >
      <BarChart responsive style={size} data={rows} title="Throughput per annotator" margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="label" interval={0} tick={{ fontSize: 11 }} />
        <YAxis allowDecimals={false} />
        <Tooltip />
        <Bar dataKey="judgments" name="Judgments" fill="#2f5bd3" isAnimationActive={false} />
      </BarChart>
    </ChartFigure>
  );
}
