"use client";
import { useState } from "react";
import { filterParams, type JudgmentFilters } from "./judgment-filters";

const FORMATS = [
  ["trl", "TRL preference pairs (prompt, chosen, rejected)"],
  ["rankings", "Rankings (prompt, responses, ranking)"],
  ["rationales", "Rationales (prompt, chosen, rejected, rationale)"],
  ["raw", "Raw: one row per judgment, every field"],
] as const;

/**
 * Export buttons: format, source, aggregation and prompt style, with the judgment browser's
 * annotator / item / date filters applied. Each button is a plain download link to the
 * streaming export endpoint, so the browser saves the file as it arrives.
 */
export function ExportPanel({ campaignId, filters, defaultLicense }: { campaignId: string; filters: JudgmentFilters; defaultLicense?: string }) {
  const [format, setFormat] = useState<(typeof FORMATS)[number][0]>("trl");
  const [aggregate, setAggregate] = useState("majority");
  const [expandRankings, setExpandRankings] = useState(false);
  const [promptStyle, setPromptStyle] = useState("auto");
  const [license, setLicense] = useState(defaultLicense ?? "");
  const source = filters.source === "all" ? "all" : filters.source;

  const params = (file: string) => {
    const query: Record<string, string> = { ...filterParams(filters), format, source, file };
    if (file === "zip-parquet") Object.assign(query, { file: "zip", bundle: "parquet" });
    if (format === "trl" || format === "rankings") query.aggregate = aggregate;
    if ((format === "trl" || format === "rationales") && expandRankings) query.expandRankings = "true";
    if (format !== "raw") query.promptStyle = promptStyle;
    if (license.trim()) query.license = license.trim();
    return new URLSearchParams(query).toString();
  };
  const href = (file: string) => `/api/v1/campaigns/${campaignId}/export?${params(file)}`;
  const cardHref = `/api/v1/campaigns/${campaignId}/export/card?${params("jsonl")}&inline=1`;

  return (
    <section className="card" aria-label="Export">
      <h2>Export dataset</h2>
      <div className="grid-form">
        <div>
          <label htmlFor="ex-format">Format</label>
          <select
            id="ex-format"
            value={format}
            onChange={(e) => {
              setFormat(e.target.value as typeof format);
              setAggregate(e.target.value === "rankings" ? "all" : "majority");
            }}
          >
            {FORMATS.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        {(format === "trl" || format === "rankings") && (
          <div>
            <label htmlFor="ex-aggregate">Several judgments of one item</label>
            <select id="ex-aggregate" value={aggregate} onChange={(e) => setAggregate(e.target.value)}>
              <option value="majority">{format === "trl" ? "Majority per pair" : "Consensus ranking (Borda)"}</option>
              <option value="all">One row per judgment</option>
              <option value="unanimous">Unanimous only</option>
            </select>
          </div>
        )}
        {(format === "trl" || format === "rationales") && (
          <div>
            <label className="check">
              <input type="checkbox" checked={expandRankings} onChange={(e) => setExpandRankings(e.target.checked)} /> K-wise rankings → all pairs
            </label>
          </div>
        )}
        {format !== "raw" && (
          <div>
            <label htmlFor="ex-prompt">Prompts</label>
            <select id="ex-prompt" value={promptStyle} onChange={(e) => setPromptStyle(e.target.value)}>
              <option value="auto">Text, or messages for conversations</option>
              <option value="text">Always text</option>
              <option value="messages">Always message lists</option>
            </select>
          </div>
        )}
        <div>
          <label htmlFor="ex-license">License (dataset card)</label>
          <input id="ex-license" value={license} placeholder="campaign default" onChange={(e) => setLicense(e.target.value)} />
        </div>
      </div>
      <p className="muted">
        Source: {source}
        {Object.keys(filterParams(filters)).filter((k) => k !== "source").length > 0 ? " · the judgment filters above apply" : ""}. Annotators appear only as
        stable pseudonyms.
      </p>
      <p className="export-buttons">
        <a className="button primary" href={href("jsonl")} download>
          Download JSONL
        </a>{" "}
        <a className="button" href={href("parquet")} download>
          Download Parquet
        </a>{" "}
        <a className="button" href={href("zip")} download>
          ZIP: JSONL + README
        </a>{" "}
        <a className="button" href={href("zip-parquet")} download>
          ZIP: Parquet + README
        </a>{" "}
        <a className="button" href={cardHref} target="_blank" rel="noopener">
          View dataset card
        </a>
      </p>
    </section>
  );
}
