"use client";
import { Bar, BarChart, CartesianGrid, ErrorBar, ReferenceLine, Tooltip, XAxis, YAxis } from "recharts";
import { ChartFigure } from "./chart-figure";
import { fixed, percent } from "./format";

export interface AgreementRow {
  coefficient: string;
  value: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  /** What it was computed over, e.g. "4 items". */
  over: string;
}

export function AgreementChart({ rows }: { rows: AgreementRow[] }) {
  const plotted = rows
    .filter((r) => r.value !== null)
    .map((r) => ({ ...r, error: r.ciLow !== null && r.ciHigh !== null ? [r.value! - r.ciLow, r.ciHigh - r.value!] : [0, 0] }));
  return (
    <ChartFigure
      title="Agreement"
      description="Krippendorff's α with its 95 % bootstrap interval (whisker), Cohen's κ averaged over annotator pairs (Light's κ), Fleiss' κ and the judge's κ against the human majority. 1 is perfect agreement, 0 is chance."
      rows={rows}
      filename="agreement"
      columns={[
        { key: "coefficient", label: "Coefficient" },
        { key: "value", label: "Value", format: (v) => fixed(v as number | null) },
        { key: "ciLow", label: "95 % CI low", format: (v) => fixed(v as number | null) },
        { key: "ciHigh", label: "95 % CI high", format: (v) => fixed(v as number | null) },
        { key: "over", label: "Computed over" },
      ]}
    >
      <BarChart
        responsive
        style={{ width: "100%", height: Math.max(160, 44 * plotted.length + 40) }}
        data={plotted}
        layout="vertical"
        title="Agreement"
        margin={{ top: 8, right: 24, bottom: 8, left: 8 }}
      >
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis type="number" domain={[-1, 1]} ticks={[-1, -0.5, 0, 0.5, 1]} />
        <YAxis type="category" dataKey="coefficient" width={170} tick={{ fontSize: 12 }} />
        <Tooltip formatter={(v) => fixed(Number(v))} />
        <ReferenceLine x={0} stroke="#62626a" />
        <Bar dataKey="value" name="Value" fill="#2f5bd3" isAnimationActive={false}>
          <ErrorBar dataKey="error" width={6} stroke="#1d1d1f" isAnimationActive={false} />
        </Bar>
      </BarChart>
    </ChartFigure>
  );
}

export interface GoldRow {
  annotatorId: string;
  label: string;
  goldJudgments: number;
  goldCorrect: number;
  goldAccuracy: number | null;
}

export function GoldChart({ rows, threshold, overall }: { rows: GoldRow[]; threshold: number; overall: number | null }) {
  const plotted = rows.filter((r) => r.goldAccuracy !== null);
  return (
    <ChartFigure
      title="Gold accuracy"
      description={`Share of gold checks answered as the gold label says, per annotator (overall ${percent(overall)}). The line marks ${percent(threshold)}, below which an annotator is flagged.`}
      rows={plotted}
      filename="gold-accuracy"
      columns={[
        { key: "annotatorId", label: "Annotator" },
        { key: "label", label: "Name" },
        { key: "goldJudgments", label: "Gold judgments" },
        { key: "goldCorrect", label: "Correct" },
        { key: "goldAccuracy", label: "Accuracy", format: (v) => percent(v as number | null) },
      ]}
    >
      <BarChart responsive style={{ width: "100%", height: 260 }} data={plotted} title="Gold accuracy" margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="label" interval={0} tick={{ fontSize: 11 }} />
        <YAxis domain={[0, 1]} tickFormatter={(v: number) => `${Math.round(100 * v)} %`} />
        <Tooltip formatter={(v) => percent(Number(v))} />
        <ReferenceLine y={threshold} stroke="#b3261e" strokeDasharray="4 4" />
        <Bar dataKey="goldAccuracy" name="Gold accuracy" fill="#1d7a46" isAnimationActive={false} />
      </BarChart>
    </ChartFigure>
  );
}
