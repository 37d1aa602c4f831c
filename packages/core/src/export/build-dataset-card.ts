import { hfFeatureYaml } from "./column-types.ts";
import { exportColumns, type ExportColumn } from "./export-columns.ts";
import type { ExportAggregate, ExportFormat, ResolvedPromptStyle } from "./types.ts";

/** Where the data goes in a dataset ZIP: Hugging Face's layout for one split of one shard. */
export const datasetDataFile = (file: "jsonl" | "parquet") => `data/train-00000-of-00001.${file}`;

export interface DatasetCardOptions {
  title: string;
  description?: string;
  format: ExportFormat;
  file: "jsonl" | "parquet";
  source: "human" | "judge" | "all";
  /** An SPDX id or the Hugging Face license tag, e.g. "cc-by-4.0", "apache-2.0". */
  license: string;
  generatedAt: Date;
  counts: { items: number; judgments: number; rows: number; humanJudgments?: number; judgeJudgments?: number; annotators?: number };
  /** Agreement among human judgments, computed elsewhere: e.g. `{krippendorffAlpha: 0.61, cohenKappa: 0.58}`. */
  agreement?: Record<string, number | null | undefined>;
  /** Krippendorff's α's 95 % interval and the units it is measured on, shown under the agreement table. */
  agreementDetail?: { alphaCi: [number, number] | null; units: number; items: number };
  aggregate?: ExportAggregate;
  expandRankings?: boolean;
  /** The style the export resolved to (default "text"). */
  promptStyle?: ResolvedPromptStyle;
  /** The columns written; by default `exportColumns(format, {promptStyle})`. */
  columns?: readonly ExportColumn[];
}

const AGGREGATION: Record<ExportFormat, (options: DatasetCardOptions) => string> = {
  trl: ({ aggregate = "majority", expandRankings }) =>
    `One row per item and pair of responses, judgments aggregated by **${aggregate}** ` +
    `(${aggregate === "majority" ? "the outcome given most often, strictly" : aggregate === "unanimous" ? "only pairs every judgment agrees on" : "one row per judgment"}); ` +
    `ties and "both bad" verdicts are left out. K-wise rankings give ${expandRankings ? "every pair they order" : "their best against their worst responses"}.`,
  rankings: ({ aggregate = "all" }) =>
    aggregate === "all"
      ? 'One row per judgment: a pairwise winner ranks first over the rest, a tie is one tier, "both bad" is left out.'
      : `One row per item: ${aggregate === "majority" ? "a Borda consensus of its judgments" : "the ranking, where every judgment gave the same one"}.`,
  rationales: ({ expandRankings }) =>
    `One row per judgment with a written rationale and a preference${expandRankings ? " (K-wise rankings give every pair they order)" : ""}; rationales are never aggregated.`,
  raw: () => "One row per judgment with every recorded field. Annotators appear only as pseudonymous ids; no names or e-mail addresses.",
};

function sizeCategory(rows: number): string {
  if (rows < 1_000) return "n<1K";
  if (rows < 10_000) return "1K<n<10K";
  if (rows < 100_000) return "10K<n<100K";
  if (rows < 1_000_000) return "100K<n<1M";
  return "1M<n<10M";
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ");
const formatNumber = (value: number) => value.toLocaleString("en-US");

/**
 * A Hugging Face dataset card (`README.md`) for an export: YAML front matter with `configs`
 * (the one `train` split at `datasetDataFile(file)`) and `dataset_info.features` (each column's
 * one type, as the file holds it), so the unzipped folder loads with `load_dataset(folder)`;
 * then what the file holds and how it was made.
 */
export function buildDatasetCard(options: DatasetCardOptions): string {
  const { title, format, file, counts, generatedAt } = options;
  const promptStyle = options.promptStyle ?? "text";
  const columns = options.columns ?? exportColumns(format, { promptStyle });
  const oneLineTitle = title.replace(/\s+/g, " ").trim();
  const lines = [
    "---",
    `license: ${JSON.stringify(options.license)}`,
    `pretty_name: ${JSON.stringify(oneLineTitle)}`,
    `size_categories:\n- ${sizeCategory(counts.rows)}`,
    "tags:\n- preference\n- human-feedback\n- arbiter",
    "configs:",
    "- config_name: default",
    "  data_files:",
    "  - split: train",
    `    path: ${datasetDataFile(file)}`,
    "dataset_info:",
    "  features:",
    ...columns.flatMap((column) => hfFeatureYaml(column.name, column.type, file, "  ")),
    "---",
    "",
    `# ${oneLineTitle}`,
    "",
  ];
  if (options.description?.trim()) lines.push(options.description.trim(), "");
  lines.push(
    `Exported from Arbiter on ${generatedAt.toISOString()} as \`${format}\` (${file === "jsonl" ? "JSON Lines" : "Parquet"}), from ${options.source === "all" ? "human and LLM-judge" : options.source === "human" ? "human" : "LLM-judge"} judgments.`,
    "",
    AGGREGATION[format](options),
    "",
    ...(format === "raw"
      ? []
      : [
          promptStyle === "messages"
            ? 'Prompts are message lists `[{role, content}]` and answers `[{role: "assistant", content}]` (TRL\'s conversational form) in every row.'
            : "Prompts and answers are text in every row (a conversation is rendered as text).",
          "",
        ]),
    "## Load it",
    "",
    "```python",
    "from datasets import load_dataset",
    "",
    'ds = load_dataset("path/to/this/folder", split="train")',
    "```",
    "",
    "## Counts",
    "",
    "| | |",
    "|---|---|",
    `| rows | ${formatNumber(counts.rows)} |`,
    `| items | ${formatNumber(counts.items)} |`,
    `| judgments | ${formatNumber(counts.judgments)} |`,
  );
  if (counts.humanJudgments !== undefined) lines.push(`| human judgments | ${formatNumber(counts.humanJudgments)} |`);
  if (counts.judgeJudgments !== undefined) lines.push(`| LLM-judge judgments | ${formatNumber(counts.judgeJudgments)} |`);
  if (counts.annotators !== undefined) lines.push(`| annotators | ${formatNumber(counts.annotators)} |`);

  const agreement = Object.entries(options.agreement ?? {}).filter((entry): entry is [string, number | null] => entry[1] !== undefined);
  if (agreement.length > 0) {
    lines.push("", "## Agreement", "", "Among human judgments of the same item.", "", "| coefficient | value |", "|---|---|");
    for (const [name, value] of agreement) lines.push(`| ${cell(name)} | ${value === null ? "n/a" : value.toFixed(3)} |`);
    const detail = options.agreementDetail;
    if (detail) {
      lines.push(
        "",
        `Nominal α over ${formatNumber(detail.units)} units (${formatNumber(detail.items)} items) with at least two human judgments; ` +
          "categories: the chosen response's place in the item as imported (first, second, …), tie, both bad" +
          (detail.alphaCi ? `; 95 % bootstrap interval over items ${detail.alphaCi[0].toFixed(3)} – ${detail.alphaCi[1].toFixed(3)}.` : "."),
      );
    }
  }

  lines.push("", "## Schema", "", "| column | type | description |", "|---|---|---|");
  for (const column of columns) lines.push(`| \`${column.name}\` | ${column.kind} | ${cell(column.description)} |`);
  lines.push("", "## License", "", `${options.license}`, "");
  return lines.join("\n");
}
