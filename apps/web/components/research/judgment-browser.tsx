"use client";
import { useCallback, useEffect, useMemo, useState, type FormEvent } from "react";
import { useSearchParams } from "next/navigation";
import { describeSeenVerdict, seenLetters } from "@arbiter/core/client";
import { callApi } from "@/lib/api-client";
import { emptyFilters, filterParams, filtersFromSearch, filtersToSearch, type JudgmentFilters } from "./judgment-filters";

interface JudgmentRow {
  id: string;
  itemId: string;
  source: string;
  /** The campaign's pseudonym (`ann-…`); admins also get the user id and e-mail behind it. */
  annotatorId: string | null;
  annotatorEmail?: string;
  judgeModel: string | null;
  verdict: string;
  winner: string | null;
  ranking: string[][] | null;
  strength: number | null;
  /** Imported response ids in the order this annotator saw them (A, B, …). */
  presentedOrder: string[];
  rationale: string | null;
  timeMs: number | null;
  isGold: boolean;
  goldCorrect: boolean | null;
  createdAt: string;
}

/**
 * Judgments of a campaign, newest first, filtered by source, annotator, item and date, paged
 * with the API's cursor. The filters are shared with the export panel through `onFilters`.
 */
export function JudgmentBrowser({ campaignId, onFilters }: { campaignId: string; onFilters?: (filters: JudgmentFilters) => void }) {
  const searchParams = useSearchParams();
  const search = searchParams.toString();
  // The URL is the source of truth: applying filters writes them there, and Back brings the previous ones.
  const filters = useMemo(() => filtersFromSearch(new URLSearchParams(search)), [search]);
  const [draft, setDraft] = useState<JudgmentFilters>(filters);
  const [rows, setRows] = useState<JudgmentRow[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(
    async (active: JudgmentFilters, after: string | null) => {
      setLoading(true);
      setError(null);
      try {
        const params = new URLSearchParams({ ...filterParams(active), limit: "50", ...(after ? { cursor: after } : {}) });
        const page = await callApi<{ judgments: JudgmentRow[]; nextCursor: string | null }>(`/api/v1/campaigns/${campaignId}/judgments?${params}`);
        setRows((previous) => (after ? [...previous, ...page.judgments] : page.judgments));
        setCursor(page.nextCursor);
      } catch (e) {
        setError((e as Error).message);
      } finally {
        setLoading(false);
      }
    },
    [campaignId],
  );

  useEffect(() => {
    setDraft(filters);
    onFilters?.(filters);
    void load(filters, null);
  }, [filters, load, onFilters]);

  /** Applies filters by writing them into the URL (a new history entry: Back returns to the previous list). */
  function setFilters(next: JudgmentFilters) {
    const query = filtersToSearch(next);
    if (query === filtersToSearch(filters)) return void load(next, null);
    window.history.pushState(null, "", `${window.location.pathname}${query}#judgments`);
  }

  function apply(event: FormEvent) {
    event.preventDefault();
    setFilters(draft);
  }

  const annotators = [...new Set(rows.map((r) => r.annotatorId).filter((id): id is string => Boolean(id)))];
  return (
    <section className="card" aria-label="Judgments" id="judgments">
      <h2>Judgments</h2>
      <form className="grid-form filters" onSubmit={apply} aria-label="Judgment filters">
        <div>
          <label htmlFor="jf-source">Source</label>
          <select id="jf-source" value={draft.source} onChange={(e) => setDraft({ ...draft, source: e.target.value as JudgmentFilters["source"] })}>
            <option value="all">All</option>
            <option value="human">Human</option>
            <option value="judge">LLM judge</option>
          </select>
        </div>
        <div>
          <label htmlFor="jf-annotator">Annotator id</label>
          <input
            id="jf-annotator"
            list="jf-annotators"
            value={draft.annotatorId}
            onChange={(e) => setDraft({ ...draft, annotatorId: e.target.value })}
            placeholder="ann-… pseudonym"
          />
          <datalist id="jf-annotators">
            {annotators.map((id) => (
              <option key={id} value={id} />
            ))}
          </datalist>
        </div>
        <div>
          <label htmlFor="jf-item">Item id</label>
          <input id="jf-item" value={draft.itemId} onChange={(e) => setDraft({ ...draft, itemId: e.target.value })} />
        </div>
        <div>
          <label htmlFor="jf-since">From (day)</label>
          <input id="jf-since" type="date" value={draft.since} onChange={(e) => setDraft({ ...draft, since: e.target.value })} />
        </div>
        <div>
          <label htmlFor="jf-until">To (day, inclusive)</label>
          <input id="jf-until" type="date" value={draft.until} onChange={(e) => setDraft({ ...draft, until: e.target.value })} />
        </div>
        <div>
          <button type="submit" className="primary">
            Apply filters
          </button>{" "}
          <button
            type="button"
            onClick={() => {
              setDraft(emptyFilters);
              setFilters(emptyFilters);
            }}
          >
            Reset
          </button>
        </div>
      </form>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <div className="table-scroll">
        <table aria-label="Judgment list">
          <thead>
            <tr>
              <th>When</th>
              <th>Item</th>
              <th>Source</th>
              <th>Annotator / model</th>
              <th>Saw</th>
              <th>Verdict (as seen)</th>
              <th>Rationale</th>
              <th>Time</th>
              <th>Gold</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((j) => {
              const letters = seenLetters(j.presentedOrder);
              return (
                <tr key={j.id}>
                  <td>{j.createdAt.replace("T", " ").slice(0, 19)}</td>
                  <td>
                    <a
                      href={`/campaigns/${campaignId}/items/${encodeURIComponent(j.itemId)}${filtersToSearch(filters)}`}
                      title="Open this item: prompt, responses, every judgment"
                    >
                      {j.itemId}
                    </a>{" "}
                    <button
                      type="button"
                      className="link-button muted"
                      title="Show only this item's judgments"
                      aria-label={`Filter by item ${j.itemId}`}
                      onClick={() => {
                        const next = { ...draft, itemId: j.itemId };
                        setDraft(next);
                        setFilters(next);
                      }}
                    >
                      (filter)
                    </button>
                  </td>
                  <td>{j.source}</td>
                  <td>
                    {j.source === "human" ? (
                      <>
                        {j.annotatorId}
                        {j.annotatorEmail && <div className="muted">{j.annotatorEmail}</div>}
                      </>
                    ) : (
                      j.judgeModel
                    )}
                  </td>
                  <td className="seen-cell">
                    {[...letters].map(([id, letter]) => (
                      <div key={id}>
                        {letter} = <code>{id}</code>
                      </div>
                    ))}
                  </td>
                  <td>{describeSeenVerdict(j, letters)}</td>
                  <td className="rationale-cell">{j.rationale ?? ""}</td>
                  <td>{j.timeMs !== null ? `${(j.timeMs / 1000).toFixed(1)} s` : ""}</td>
                  <td>{j.isGold ? (j.goldCorrect ? "correct" : j.goldCorrect === false ? "wrong" : "gold") : ""}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {!loading && rows.length === 0 && <p className="muted">No judgments match.</p>}
      <p>
        {cursor && (
          <button type="button" disabled={loading} onClick={() => void load(filters, cursor)}>
            Load more
          </button>
        )}
        {loading && (
          <span className="muted" role="status">
            {" "}
            Loading…
          </span>
        )}
      </p>
    </section>
  );
}
