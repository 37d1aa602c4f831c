import Link from "next/link";
import { notFound } from "next/navigation";
import { AppError, getCampaign, getItemJudgments, type Actor, type ItemJudgmentView } from "@arbiter/core";
import { formatTime } from "@/components/account/format-time";
import { AppHeader } from "@/components/app-header";
import { Conversation, Markdown, MediaList, MediaPolicyProvider, ResponseText } from "@/components/annotate/content";
import { filtersFromSearch, filtersToSearch } from "@/components/research/judgment-filters";
import { requirePageRole } from "@/lib/page-guards";

export const dynamic = "force-dynamic";

function seconds(ms: number | null): string {
  return ms === null ? "—" : `${(ms / 1000).toFixed(1)} s`;
}

function HintLine({ j }: { j: ItemJudgmentView }) {
  if (j.source !== "human") return null;
  const arm = j.hintCondition && j.hintCondition !== "none" ? ` (experiment arm: ${j.hintCondition})` : "";
  if (!j.hint) return <p className="muted">Hint: none reported{arm}</p>;
  if (!j.hint.shown) return <p>Hint: not shown{arm}</p>;
  const judge = j.hint.source === "judge" || j.hintSource === "judge";
  const what = judge ? "the judge" : "the model";
  const details = [
    judge ? "the LLM judge's verdict" : null,
    j.hint.changedMind === undefined ? null : j.hint.changedMind ? "changed their mind after it" : "did not change their mind",
    j.hint.agreed === undefined ? null : j.hint.agreed ? `the choice agrees with ${what}` : `the choice disagrees with ${what}`,
    j.hint.modelVersion === undefined ? null : `model v${j.hint.modelVersion}`,
  ].filter(Boolean);
  return (
    <p>
      Hint: <strong>shown</strong>
      {details.length > 0 ? ` · ${details.join(" · ")}` : ""}
      {arm}
    </p>
  );
}

function JudgmentCard({ j, index, attributeNames }: { j: ItemJudgmentView; index: number; attributeNames: string[] }) {
  const letterOf = new Map(j.seenOrder.map((s) => [s.responseId, s.letter]));
  const who = j.source === "human" ? (j.annotatorId ?? "deleted user") : `${j.judgeModel ?? "judge"}${j.promptVersion ? ` · prompt ${j.promptVersion}` : ""}`;
  const ratedResponses = j.seenOrder.filter((s) => j.attributes?.[s.responseId]);
  return (
    <article className="card judgment-card" aria-label={`Judgment ${index + 1} by ${who}`}>
      <header className="judgment-head">
        <strong className="judge-name">{who}</strong>
        <span className="badge">{j.source === "human" ? "human" : j.source === "judge" ? "LLM judge" : j.source}</span>
        {j.annotatorEmail && <span className="muted">{j.annotatorEmail}</span>}
        <span className="muted">
          {formatTime(j.createdAt)} · {seconds(j.timeMs)}
        </span>
      </header>
      <p className="seen-order">
        Saw:{" "}
        {j.seenOrder.map((s, i) => (
          <span key={s.responseId}>
            {i > 0 && " · "}
            <strong>{s.letter}</strong> = <code>{s.responseId}</code>
          </span>
        ))}
      </p>
      <p className="verdict">
        Verdict: <strong>{j.verdictAsSeen}</strong>
        {j.winner !== null && (
          <span className="muted">
            {" "}
            (winner <code>{j.winner}</code>)
          </span>
        )}
        {j.confidence !== null && <span className="muted"> · confidence {j.confidence.toFixed(2)}</span>}
        {j.isGold && <span className="badge">{j.goldCorrect ? "gold: correct" : j.goldCorrect === false ? "gold: wrong" : "gold"}</span>}
      </p>
      {j.judgeMeta && (
        <p className="muted">
          {j.judgeMeta.orderConsistent === null ? "" : j.judgeMeta.orderConsistent ? "Same verdict in both orders" : "Verdict changed with the order"}
          {j.judgeMeta.latencyMs !== null ? ` · ${seconds(j.judgeMeta.latencyMs)}` : ""}
        </p>
      )}
      <HintLine j={j} />
      {j.rationale && (
        <blockquote className="rationale-text" aria-label="Rationale">
          {j.rationale}
        </blockquote>
      )}
      {ratedResponses.length > 0 && (
        <div className="table-scroll">
          <table aria-label="Attribute ratings" className="compact">
            <thead>
              <tr>
                <th scope="col">Attribute</th>
                {ratedResponses.map((s) => (
                  <th scope="col" key={s.responseId}>
                    {s.letter}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {attributeNames
                .filter((name) => ratedResponses.some((s) => j.attributes?.[s.responseId]?.[name] !== undefined))
                .map((name) => (
                  <tr key={name}>
                    <th scope="row">{name}</th>
                    {ratedResponses.map((s) => (
                      <td key={s.responseId}>{j.attributes?.[s.responseId]?.[name] ?? "—"}</td>
                    ))}
                  </tr>
                ))}
            </tbody>
          </table>
        </div>
      )}
      {j.spans.length > 0 && (
        <ul className="span-list" aria-label="Tagged spans">
          {j.spans.map((s, i) => (
            <li key={i}>
              <span className="badge">{s.label}</span> in <strong>{s.letter ?? letterOf.get(s.responseId) ?? s.responseId}</strong>:{" "}
              <q className="span-text">{s.text}</q>
              {s.note && <span className="muted"> — {s.note}</span>}
            </li>
          ))}
        </ul>
      )}
    </article>
  );
}

/** The item by the segment as Next.js hands it over; an id with `%` in it may arrive still encoded. */
async function loadItem(actor: Actor, campaignId: string, segment: string) {
  try {
    return await getItemJudgments({ actor, campaignId, itemId: segment });
  } catch (error) {
    let decoded = segment;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      // not an encoded segment
    }
    if (!(error instanceof AppError) || error.code !== "not_found" || decoded === segment) throw error;
    return getItemJudgments({ actor, campaignId, itemId: decoded });
  }
}

/**
 * A researcher's drill-down into one item (admins and researchers of the campaign): the prompt, the
 * responses, and every judgment with what that annotator saw — the order and letters, the verdict
 * in those letters, rationale, attributes, spans, the hint — and the judge's verdicts. Annotators
 * appear as the campaign's pseudonyms, as in the judgment list, stats and exports.
 */
export default async function ItemPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string; itemId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const actor = await requirePageRole("admin", "researcher");
  const { id, itemId } = await params;
  const search = await searchParams;
  const orNotFound = (e: unknown): never => {
    if (e instanceof AppError && (e.code === "not_found" || e.code === "unprocessable")) notFound();
    throw e;
  };
  const campaign = await getCampaign({ actor, campaignId: id }).catch(orNotFound);
  const view = await loadItem(actor, id, itemId).catch(orNotFound);
  const attributeNames = campaign.config.attributes.map((a) => a.name);
  const extraNames = new Set<string>();
  for (const j of view.judgments) for (const ratings of Object.values(j.attributes ?? {})) for (const name of Object.keys(ratings)) extraNames.add(name);
  const names = [...attributeNames, ...[...extraNames].filter((n) => !attributeNames.includes(n))];
  const human = view.judgments.filter((j) => j.source === "human");
  const machine = view.judgments.filter((j) => j.source !== "human");
  const metadata = (view.item.metadata ?? {}) as { source?: unknown; flagged?: unknown };
  // The judgment browser's filters came along in the link: the way back shows the list as it was left.
  const back = `/campaigns/${id}${filtersToSearch(filtersFromSearch(search))}#judgments`;

  return (
    <>
      <AppHeader actor={actor} />
      <main className="item-page">
        <p>
          <Link href={back}>← Judgments of {campaign.name}</Link>
        </p>
        <h1>
          Item <code>{view.item.id}</code>
        </h1>
        <p className="item-facts">
          <span className="badge">{view.item.isGold ? "gold" : "regular"}</span>{" "}
          {metadata.source === "live_battle" && <span className="badge">{metadata.flagged ? "live battle · flagged" : "live battle"}</span>} {human.length}{" "}
          human judgment{human.length === 1 ? "" : "s"} of {view.item.humanTarget ?? campaign.config.overlap} wanted · {machine.length} from judges ·{" "}
          {view.skips.length} skip{view.skips.length === 1 ? "" : "s"} · routing {view.item.routing}
        </p>
        {view.item.isGold && view.item.gold !== null && (
          <p>
            Gold answer: <code>{JSON.stringify(view.item.gold)}</code>
          </p>
        )}
        <MediaPolicyProvider allowedHosts={campaign.config.mediaHosts ?? []}>
          <section className="card" aria-labelledby="prompt-heading">
            <h2 id="prompt-heading">Prompt</h2>
            {view.item.messages && view.item.messages.length > 0 ? (
              <Conversation messages={view.item.messages} />
            ) : view.item.prompt ? (
              <Markdown text={view.item.prompt} />
            ) : (
              <p className="muted">(no prompt)</p>
            )}
            <MediaList media={view.item.media} />
          </section>
          <section aria-labelledby="responses-heading">
            <h2 id="responses-heading">Responses, as imported</h2>
            <p className="muted">Each annotator saw them shuffled, as Response A, B, …; each judgment below says which letter was which.</p>
            <div className="item-responses">
              {view.responses.map((r) => (
                <section key={r.id} className="card item-response" aria-label={`Response ${r.id}`}>
                  <h3>
                    <code>{r.id}</code>
                    {r.model && <span className="muted"> · {r.model}</span>}
                  </h3>
                  <ResponseText content={r.content} />
                </section>
              ))}
            </div>
          </section>
        </MediaPolicyProvider>
        <section aria-labelledby="judgments-heading">
          <h2 id="judgments-heading">Judgments ({view.judgments.length})</h2>
          {view.truncated && <p className="muted">Only the first 500 are shown.</p>}
          {view.judgments.length === 0 && <p className="muted">No judgments yet.</p>}
          {view.judgments.map((j, i) => (
            <JudgmentCard key={j.id} j={j} index={i} attributeNames={names} />
          ))}
        </section>
        {view.skips.length > 0 && (
          <section aria-labelledby="skips-heading">
            <h2 id="skips-heading">Skips ({view.skips.length})</h2>
            <ul>
              {view.skips.map((s, i) => (
                <li key={i}>
                  <strong>{s.annotatorId}</strong>: {s.reason ?? "no reason"} <span className="muted">{s.at ? formatTime(s.at) : ""}</span>
                </li>
              ))}
            </ul>
          </section>
        )}
      </main>
    </>
  );
}
