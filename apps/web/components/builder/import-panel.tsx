"use client";
import { useRef, useState, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { uploadFile, type ApiCallError } from "@/lib/api-client";

const FORMATS = [
  ["auto", "Detect from the file"],
  ["native", "Native JSONL"],
  ["trl", "TRL (prompt / chosen / rejected)"],
  ["hh-rlhf", "hh-rlhf transcripts"],
  ["csv", "CSV (prompt + response columns)"],
  ["llmbar", "LLMBar"],
  ["imagereward", "ImageReward rankings"],
  ["rankings", "Rankings (prompt / responses / ranking)"],
] as const;

interface Detail {
  line?: number;
  element?: number;
  /** Parquet files: the row (from 1; `line` holds it too). */
  row?: number;
  status?: number;
  /** Absent: an invalid record. */
  kind?: "duplicate_in_file" | "already_in_campaign";
  message: string;
}

const KIND_LABELS: Record<string, [one: string, many: string]> = {
  invalid: ["invalid record", "invalid records"],
  duplicate_in_file: ["id repeated in the file", "ids repeated in the file"],
  already_in_campaign: ["id already in the campaign", "ids already in the campaign"],
};

/** "4 invalid records · 16 ids already in the campaign": one count per kind, adding up to the rows of the table. */
function problemCounts(details: readonly Detail[]): string {
  const counts = new Map<string, number>();
  for (const d of details) counts.set(d.kind ?? "invalid", (counts.get(d.kind ?? "invalid") ?? 0) + 1);
  return Object.entries(KIND_LABELS)
    .filter(([kind]) => counts.has(kind))
    .map(([kind, [one, many]]) => `${counts.get(kind)!.toLocaleString()} ${counts.get(kind) === 1 ? one : many}`)
    .join(" · ");
}
interface Imported {
  imported?: number;
  format?: string;
  gold?: number;
  regular?: number;
  labelled?: number;
  labelsAsGold?: boolean;
  skipped?: Detail[];
}
type Outcome =
  | { kind: "done"; imported: number; format: string; gold: number; regular: number; labelled: number; labelsAsGold: boolean; skipped: Detail[] }
  | { kind: "failed"; status: number; message: string; details: Detail[] };

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString()} ${n === 1 ? one : many}`;

/** What an import did, gold and regular apart, and the file's labels that were (or were not) used. */
function importedSummary(o: Extract<Outcome, { kind: "done" }>): string {
  const parts = [`Imported ${plural(o.imported, "item")} (format ${o.format}): ${o.gold.toLocaleString()} gold / ${o.regular.toLocaleString()} regular`];
  if (!o.labelsAsGold && o.labelled > 0)
    parts.push(`${plural(o.labelled, "item")} carried a label in the file, imported as regular items (labels not used as gold)`);
  if (o.skipped.length > 0) parts.push(`skipped ${o.skipped.length.toLocaleString()} already in the campaign`);
  return `${parts.join("; ")}.`;
}

/** The body type the import API reads: gzip is detected from the bytes, so only the text kinds matter. */
function contentTypeFor(file: File): string {
  if (/\.csv$/i.test(file.name)) return "text/csv";
  if (/\.json$/i.test(file.name)) return "application/json";
  if (/\.gz$/i.test(file.name)) return "application/gzip";
  if (/\.parquet$/i.test(file.name)) return "application/vnd.apache.parquet";
  return "application/x-ndjson";
}

/**
 * Upload an items file with a progress bar (XHR upload events), the format detected unless
 * chosen, and every bad line of a refused file (422) or every id already imported (409) in a table.
 */
export function ImportPanel({ campaignId, disabled }: { campaignId: string; disabled?: boolean }) {
  const router = useRouter();
  const fileInput = useRef<HTMLInputElement>(null);
  const [format, setFormat] = useState("auto");
  const [onDuplicate, setOnDuplicate] = useState<"error" | "skip">("error");
  const [labelsAsGold, setLabelsAsGold] = useState(false);
  const [progress, setProgress] = useState<{ sent: number; total: number; phase: "uploading" | "processing" } | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  function upload(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const file = fileInput.current?.files?.[0];
    if (!file) return;
    setOutcome(null);
    setProgress({ sent: 0, total: file.size, phase: "uploading" });
    const params = new URLSearchParams({ format, onDuplicate, labelsAsGold: String(labelsAsGold) });
    uploadFile<Imported>(`/api/v1/campaigns/${campaignId}/items?${params}`, {
      file,
      contentType: contentTypeFor(file),
      onProgress: (sent, total) => setProgress({ sent, total, phase: sent >= total ? "processing" : "uploading" }),
      onUploaded: () => setProgress({ sent: file.size, total: file.size, phase: "processing" }),
      fallbackMessage: (status) => `The import failed (${status}).`,
    }).then(
      (body) => {
        setProgress(null);
        const imported = body.imported ?? 0;
        setOutcome({
          kind: "done",
          imported,
          format: body.format ?? format,
          gold: body.gold ?? 0,
          regular: body.regular ?? imported - (body.gold ?? 0),
          labelled: body.labelled ?? 0,
          labelsAsGold: body.labelsAsGold ?? labelsAsGold,
          skipped: body.skipped ?? [],
        });
        router.refresh();
      },
      (error: ApiCallError) => {
        setProgress(null);
        if (error.unreachable) setOutcome({ kind: "failed", status: 0, message: "The upload failed (network error). Nothing was imported.", details: [] });
        else setOutcome({ kind: "failed", status: error.status, message: error.message, details: error.details as unknown as Detail[] });
      },
    );
  }

  const percent = progress && progress.total > 0 ? Math.min(100, Math.round((100 * progress.sent) / progress.total)) : 0;
  const problems = (outcome?.kind === "failed" ? outcome.details : outcome?.kind === "done" ? outcome.skipped : []) ?? [];
  // JSON-array files number their elements; for JSONL and CSV the column would only ever be empty.
  const withElements = problems.some((d) => d.element !== undefined);
  // Parquet files number their rows (kept in `line` too).
  const unit = problems.some((d) => d.row !== undefined) ? "row" : "line";
  return (
    <section className="card" aria-label="Import items">
      <h2>Import items</h2>
      <p className="muted">
        JSONL, JSON arrays, CSV or gzip of them, or Parquet (a Hugging Face dataset file); up to 1 GiB, read as a stream (Parquet by row group). All or nothing:
        a file with any bad line (or row) is refused whole, with every bad line listed.
      </p>
      <form className="grid-form" onSubmit={upload}>
        <div>
          <label htmlFor="import-file">Items file</label>
          <input
            id="import-file"
            ref={fileInput}
            type="file"
            required
            disabled={disabled}
            accept=".jsonl,.ndjson,.json,.csv,.gz,.parquet,application/json,text/csv,application/gzip,application/vnd.apache.parquet"
          />
        </div>
        <div>
          <label htmlFor="import-format">Format</label>
          <select id="import-format" value={format} onChange={(e) => setFormat(e.target.value)}>
            {FORMATS.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="import-duplicates">Ids already in the campaign</label>
          <select id="import-duplicates" value={onDuplicate} onChange={(e) => setOnDuplicate(e.target.value as "error" | "skip")}>
            <option value="error">Refuse the file</option>
            <option value="skip">Skip them, import the rest</option>
          </select>
        </div>
        <fieldset className="gold-choice">
          <legend>Use the file’s labels as gold?</legend>
          <p className="muted">
            Gold items are checks with a known answer (LLMBar label, ImageReward ranking, chosen/rejected, a gold column). Annotators are scored on them, and
            they are not regular work: a campaign of gold items alone has nothing to annotate.
          </p>
          <label className="check">
            <input type="radio" name="import-gold" value="false" checked={!labelsAsGold} onChange={() => setLabelsAsGold(false)} /> No: import every item as a
            regular item
          </label>
          <label className="check">
            <input type="radio" name="import-gold" value="true" checked={labelsAsGold} onChange={() => setLabelsAsGold(true)} /> Yes: items with a label become
            gold checks
          </label>
        </fieldset>
        <div>
          <button type="submit" className="primary" disabled={disabled || progress !== null}>
            Upload and import
          </button>
        </div>
      </form>
      {disabled && <p className="muted">This campaign is closed; items cannot be added.</p>}
      {progress && (
        <div className="upload-progress">
          <progress aria-label="Upload progress" max={100} value={percent}>
            {percent}%
          </progress>
          <span role="status">
            {progress.phase === "uploading"
              ? `Uploading… ${percent}% (${(progress.sent / 1048576).toFixed(1)} of ${(progress.total / 1048576).toFixed(1)} MiB)`
              : "Uploaded; checking and importing…"}
          </span>
        </div>
      )}
      {outcome?.kind === "done" && (
        <p role="status" className="notice">
          {importedSummary(outcome)}
        </p>
      )}
      {outcome?.kind === "failed" && (
        <p role="alert" className="error">
          {outcome.message}
        </p>
      )}
      {problems.length > 0 && (
        <p className="muted" data-testid="problem-counts">
          {problems.length.toLocaleString()} {unit}
          {problems.length === 1 ? "" : "s"}: {problemCounts(problems)}
        </p>
      )}
      {problems.length > 0 && (
        <table aria-label={outcome?.kind === "done" ? "Skipped items" : "Import problems"} className="problems">
          <thead>
            <tr>
              <th>{unit === "row" ? "Row" : "Line"}</th>
              {withElements && <th>Array element</th>}
              <th>Problem</th>
            </tr>
          </thead>
          <tbody>
            {problems.slice(0, 500).map((d, i) => (
              <tr key={i}>
                <td>{d.line ?? ""}</td>
                {withElements && <td>{d.element ?? ""}</td>}
                <td>{d.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {problems.length > 500 && <p className="muted">… and {problems.length - 500} more.</p>}
    </section>
  );
}
