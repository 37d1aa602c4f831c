import Link from "next/link";
import { notFound } from "next/navigation";
import {
  AppError,
  getCampaign,
  getCampaignLeaderboard,
  getCampaignSeries,
  getCampaignStats,
  getHintInfluence,
  getRewardModelInfo,
  type CampaignLeaderboard,
} from "@arbiter/core";
import { AppHeader } from "@/components/app-header";
import { AgreementChart, GoldChart, type AgreementRow } from "@/components/quality/agreement-charts";
import { AnnotatorTable } from "@/components/quality/annotator-table";
import { HintInfluencePanel } from "@/components/quality/hint-influence-panel";
import { fixed, percent } from "@/components/quality/format";
import { LeaderboardChart } from "@/components/quality/leaderboard-chart";
import { ProgressChart, ThroughputChart, type ThroughputRow } from "@/components/quality/progress-charts";
import styles from "@/components/quality/quality.module.css";
import { requirePageRole } from "@/lib/page-guards";

export const dynamic = "force-dynamic";

const methods = [
  { label: "Bradley–Terry", query: "" },
  { label: "Bradley–Terry, style controlled", query: "?styleControl=true" },
  { label: "Online Elo", query: "?method=elo" },
  { label: "Arena (μ − 3σ)", query: "?method=arena" },
];

export default async function QualityPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const actor = await requirePageRole("admin", "researcher");
  const { id } = await params;
  const search = await searchParams;
  const method = search.method === "elo" || search.method === "arena" ? search.method : "bt";
  const styleControl = method === "bt" && search.styleControl === "true";
  const ci = search.ci === "aligned" ? "aligned" : "fastchat";
  const currentQuery = method === "bt" ? (styleControl ? "?styleControl=true" : "") : `?method=${method}`;
  const includeFlagged = search.includeFlagged === "true";
  /** A method link keeps the flagged-battles choice; the toggle keeps the method. */
  const withFlagged = (query: string, include: boolean) => (include ? `${query}${query ? "&" : "?"}includeFlagged=true` : query);

  const campaign = await getCampaign({ actor, campaignId: id }).catch((e) => {
    if (e instanceof AppError && e.code === "not_found") notFound();
    throw e;
  });
  const [stats, series, hintInfluence, rewardModel] = await Promise.all([
    getCampaignStats({ actor, campaignId: id }),
    getCampaignSeries({ actor, campaignId: id }),
    getHintInfluence({ actor, campaignId: id }),
    getRewardModelInfo({ actor, campaignId: id }).catch(() => null),
  ]);
  let board: CampaignLeaderboard | null = null;
  let boardError: string | null = null;
  try {
    board = await getCampaignLeaderboard({
      actor,
      campaignId: id,
      query: { method, styleControl: String(styleControl), ci, includeFlagged: String(includeFlagged) },
    });
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    boardError = e.message;
  }

  const label = (a: (typeof stats.annotators)[number]) => a.email ?? a.annotatorId;
  const activeBuckets = new Map<string, number>();
  for (const point of series.throughput) activeBuckets.set(point.annotatorId, (activeBuckets.get(point.annotatorId) ?? 0) + 1);
  const throughput: ThroughputRow[] = stats.annotators
    .filter((a) => a.judgments > 0)
    .map((a) => ({
      annotatorId: a.annotatorId,
      label: label(a),
      judgments: a.judgments,
      medianTimeMs: a.medianTimeMs,
      perHour: a.medianTimeMs ? 3_600_000 / a.medianTimeMs : null,
      activeBuckets: activeBuckets.get(a.annotatorId) ?? 0,
    }));
  const ag = stats.agreement;
  const units = `${ag.pairableUnits} ${ag.unitKind === "items" ? "items" : "response pairs"} with ≥ 2 human verdicts`;
  const agreementRows: AgreementRow[] = [
    {
      coefficient: "Krippendorff's α",
      value: ag.krippendorffAlpha,
      ciLow: ag.krippendorffAlphaCi?.[0] ?? null,
      ciHigh: ag.krippendorffAlphaCi?.[1] ?? null,
      over: units,
    },
    {
      coefficient: "Cohen's κ (mean of pairs)",
      value: ag.cohenKappaPairwise.mean,
      ciLow: null,
      ciHigh: null,
      over: `${ag.cohenKappaPairwise.pairs.length} annotator pairs`,
    },
    { coefficient: "Fleiss' κ", value: ag.fleissKappa, ciLow: null, ciHigh: null, over: `${ag.fleissUnits} units with exactly ${ag.fleissRaters} verdicts` },
    {
      coefficient: "Human vs judge κ",
      value: ag.humanVsJudgeCohenKappa,
      ciLow: null,
      ciHigh: null,
      over: `${ag.humanVsJudgeUnits} units with a judge verdict and a human majority`,
    },
    ...(ag.strengthKrippendorffAlpha !== null
      ? [{ coefficient: "Strength α (ordinal)", value: ag.strengthKrippendorffAlpha, ciLow: null, ciHigh: null, over: "signed preference strength" }]
      : []),
    ...Object.entries(ag.attributeKrippendorffAlpha).map(([name, value]) => ({
      coefficient: `${name} α (ordinal)`,
      value,
      ciLow: null,
      ciHigh: null,
      over: "(item, response) ratings",
    })),
  ];
  const p = stats.progress;

  return (
    <>
      <AppHeader actor={actor} />
      <main>
        <p>
          <Link href={`/campaigns/${id}`}>← {campaign.name}</Link>
        </p>
        <h1>Quality: {campaign.name}</h1>

        <section aria-labelledby="progress-heading">
          <h2 id="progress-heading">Progress</h2>
          <div className={styles.summary}>
            <div className={styles.stat}>
              Items complete
              <strong>
                {p.itemsComplete} / {p.items}
              </strong>
            </div>
            <div className={styles.stat}>
              Human judgments<strong>{p.judgments.human}</strong>
            </div>
            <div className={styles.stat}>
              Judge judgments<strong>{p.judgments.judge}</strong>
            </div>
            <div className={styles.stat}>
              Annotators active
              <strong>
                {p.activeAnnotators} of {p.members}
              </strong>
            </div>
            <div className={styles.stat}>
              Gold accuracy<strong>{percent(stats.gold.accuracy)}</strong>
              <span className="muted">{stats.gold.judgments} gold judgments</span>
            </div>
            <div className={styles.stat}>
              Krippendorff&apos;s α<strong>{fixed(ag.krippendorffAlpha)}</strong>
              {ag.krippendorffAlphaCi && (
                <span className="muted">
                  95 % CI {fixed(ag.krippendorffAlphaCi[0])} – {fixed(ag.krippendorffAlphaCi[1])}
                </span>
              )}
            </div>
          </div>
          <div className={styles.grid}>
            <ProgressChart series={series} campaignId={id} />
            <ThroughputChart rows={throughput} bucket={series.bucket} campaignId={id} />
          </div>
        </section>

        <section aria-labelledby="agreement-heading">
          <h2 id="agreement-heading">Agreement and gold checks</h2>
          <div className={styles.grid}>
            <AgreementChart rows={agreementRows} />
            <GoldChart
              rows={stats.annotators.map((a) => ({
                annotatorId: a.annotatorId,
                label: label(a),
                goldJudgments: a.goldJudgments,
                goldCorrect: a.goldCorrect,
                goldAccuracy: a.goldAccuracy,
              }))}
              threshold={stats.rules.goldPauseThreshold ?? stats.rules.goldAccuracyBelow}
              overall={stats.gold.accuracy}
            />
          </div>
        </section>

        <section aria-labelledby="annotators-heading">
          <h2 id="annotators-heading">Annotators</h2>
          <p className="muted">
            {stats.rules.goldPauseThreshold !== null
              ? `Annotators are paused automatically when their gold accuracy falls below ${percent(stats.rules.goldPauseThreshold)} after ${stats.rules.goldPauseMinJudgments} gold judgments.`
              : "Automatic pausing is off (set goldPauseThreshold in the campaign config)."}{" "}
            Flags: gold accuracy below the threshold, first-shown response chosen with p &lt; {stats.rules.positionBiasPValueBelow}, median time a robust
            outlier, agreement with others below {percent(stats.rules.leaveOneOutBelow)} or Dawid–Skene accuracy below {percent(stats.rules.dawidSkeneBelow)}{" "}
            over ≥ {stats.rules.minUnits} units.
          </p>
          <AnnotatorTable campaignId={id} annotators={stats.annotators} admin={actor.role === "admin"} />
        </section>

        <HintInfluencePanel influence={hintInfluence} model={rewardModel} />

        <section aria-labelledby="leaderboard-heading">
          <h2 id="leaderboard-heading">Model leaderboard</h2>
          <nav className={styles.methods} aria-label="Rating method">
            {methods.map((m) => (
              <Link
                key={m.label}
                href={`/campaigns/${id}/quality${withFlagged(m.query, includeFlagged)}`}
                aria-current={m.query === currentQuery ? "page" : undefined}
              >
                {m.label}
              </Link>
            ))}
          </nav>
          {boardError && (
            <p role="alert" className="error">
              {boardError}
            </p>
          )}
          {board?.live && (
            <p className={styles.flagToggle} role="group" aria-label="Flagged battles">
              {board.live.includeFlagged
                ? "Votes on flagged battles (an answer gave its model away) are counted."
                : `Votes on flagged battles (an answer gave its model away) are left out: ${board.live.flaggedVotesLeftOut} vote${board.live.flaggedVotesLeftOut === 1 ? "" : "s"}.`}{" "}
              <Link href={`/campaigns/${id}/quality${withFlagged(currentQuery, !board.live.includeFlagged)}#leaderboard-heading`}>
                {board.live.includeFlagged ? "Leave them out" : "Include flagged battles"}
              </Link>
            </p>
          )}
          {board?.live && board.live.battles.length > 0 && (
            <div className={styles.tableWrap}>
              <table aria-label="Battles per model">
                <thead>
                  <tr>
                    <th scope="col">Model</th>
                    <th scope="col">Battles</th>
                    <th scope="col">Flagged</th>
                    <th scope="col">Voted</th>
                  </tr>
                </thead>
                <tbody>
                  {board.live.battles.map((b) => (
                    <tr key={b.model}>
                      <th scope="row">{b.model}</th>
                      <td>{b.battles}</td>
                      <td>{b.flagged}</td>
                      <td>{b.voted}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {board && board.entries.length === 0 && <p className="muted">No leaderboard: no judged comparison between responses that name their model.</p>}
          {board && board.entries.length > 0 && (
            <>
              <p className="muted">
                {board.comparisons} {method === "arena" ? "rankings" : "pairwise comparisons"} from human judgments (K-wise rankings expanded into pairs; ties
                and “both bad” count as half a win each).
                {board.l2 !== null && board.l2 > 0 && " Some model never lost or never won, so the fit uses a weak prior (L2 = " + board.l2 + ")."}
                {board.ci === "fastchat" &&
                  " Intervals: 95 % bootstrap as FastChat computes them (refit on resampled battles, percentiles), comparable with Chatbot Arena's."}
                {board.ci === "aligned" &&
                  " Intervals: 95 % bootstrap with each round aligned to the point estimate (comparison-weighted shift); narrower or wider than FastChat's, not comparable with Chatbot Arena's."}
              </p>
              <div className={styles.tableWrap}>
                <table aria-label="Leaderboard">
                  <thead>
                    <tr>
                      <th scope="col">Rank</th>
                      <th scope="col">Model</th>
                      <th scope="col">Rating</th>
                      <th scope="col">95 % interval</th>
                      <th scope="col">Comparisons</th>
                      {board.live && <th scope="col">Battles</th>}
                    </tr>
                  </thead>
                  <tbody>
                    {board.entries.map((e) => (
                      <tr key={e.model}>
                        <td>{e.rank}</td>
                        <th scope="row">{e.model}</th>
                        <td>{fixed(e.rating, 1)}</td>
                        <td>
                          {fixed(e.ciLow, 1)} – {fixed(e.ciHigh, 1)}
                        </td>
                        <td>{e.comparisons}</td>
                        {board.live && <td>{e.battles ?? 0}</td>}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <LeaderboardChart rows={board.entries} method={method} />
            </>
          )}
        </section>
      </main>
    </>
  );
}
