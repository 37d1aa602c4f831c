import { z } from "zod";
import type { JudgmentSource } from "@arbiter/db";
import {
  BradleyTerryFitError,
  computeBradleyTerryLeaderboard,
  computeOnlineElo,
  conservativeSkill,
  createSeededRandom,
  rateKWiseRanking,
  type PairwiseBattle,
  type SkillBelief,
} from "@arbiter/ranking";
import type { Actor } from "../access/actor.ts";
import { verdictToModelRanking } from "../arena/model-ranking.ts";
import type { CampaignConfig } from "../campaign-config/campaign-config.ts";
import { AppError, parseInput } from "../errors.ts";
import { countArenaComparisons, listArenaRatings } from "../store/quality.ts";
import { countBattlesPerModel, findFlaggedBattleItemIds } from "../store/battles.ts";
import { db } from "../store/transaction.ts";
import { assertQualityAccess } from "./assert-quality-access.ts";
import { judgmentBattles } from "./judgment-battles.ts";
import { loadQualityData } from "./load-quality-data.ts";
import type { QualityItem, QualityJudgment } from "./quality-data.ts";

const flag = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");

export const LeaderboardQuery = z
  .object({
    /** `bt`: Bradley–Terry MLE with bootstrap CIs; `elo`: online Elo (K = 4) baseline; `arena`: Bayesian K-wise ratings, μ − 3σ. */
    method: z.enum(["bt", "elo", "arena"]).default("bt"),
    styleControl: flag.default(false),
    /** Bootstrap intervals: `fastchat` (refit per round, percentiles — comparable with Chatbot Arena) or `aligned` (rounds shifted onto the point estimate). */
    ci: z.enum(["fastchat", "aligned"]).default("fastchat"),
    source: z.enum(["human", "judge", "all"]).default("human"),
    rounds: z.coerce.number().int().min(100).max(2000).default(200),
    seed: z.coerce
      .number()
      .int()
      .min(0)
      .max(2 ** 31)
      .default(1),
    /** L2 penalty for the Bradley–Terry fit; by default 0 (the plain MLE), falling back to 1 when that does not exist. */
    l2: z.coerce.number().min(0).max(100).optional(),
    /** Live battles: count votes on battles where an answer gave its model away (left out by default). */
    includeFlagged: flag.default(false),
  })
  .strict();

export interface LeaderboardRow {
  model: string;
  rating: number;
  ciLow: number | null;
  ciHigh: number | null;
  rank: number;
  comparisons: number;
  /** Live campaigns: ready battles the model answered in (voted or not, flagged included). */
  battles?: number;
  /** Arena only: the skill belief behind the conservative rating. */
  mu?: number;
  sigma?: number;
}

export interface CampaignLeaderboard {
  method: "bt" | "elo" | "arena";
  styleControl: boolean;
  /** Which bootstrap intervals `bt` shows (null for other methods). */
  ci: "fastchat" | "aligned" | null;
  /** The L2 penalty the Bradley–Terry fit used (bt only). */
  l2: number | null;
  /** Battles (bt, elo) or K-wise rankings (arena) behind the ratings. */
  comparisons: number;
  entries: LeaderboardRow[];
  /** Live campaigns: battles per model, and how many votes on flagged battles the ratings left out (`includeFlagged` counts them). */
  live?: { battles: Array<{ model: string; battles: number; flagged: number; voted: number }>; flaggedVotesLeftOut: number; includeFlagged: boolean };
}

/** Used when the plain MLE does not exist (a model that never lost, or never won): a N(0, 400²) prior on ratings. */
export const fallbackL2 = 1;

/**
 * The model leaderboard of a campaign whose responses name their model (ALGORITHMS.md §1–2).
 * Empty when no response names a model. Deterministic under `seed`.
 */
export async function getCampaignLeaderboard(options: { actor: Actor | null; campaignId: string; query?: unknown }): Promise<CampaignLeaderboard> {
  const { campaign } = await assertQualityAccess(options);
  const query = parseInput(LeaderboardQuery, options.query ?? {}, "query");
  const config = campaign.config as unknown as CampaignConfig;
  if (!config.live) return computeLeaderboard(campaign.id, config, query, null);
  const leftOut = { items: query.includeFlagged ? new Set<string>() : new Set(await findFlaggedBattleItemIds(db(), campaign.id)), votes: 0 };
  const board = await computeLeaderboard(campaign.id, config, query, leftOut);
  const battles = await countBattlesPerModel(db(), campaign.id);
  const perModel = new Map(battles.map((b) => [b.model, b.battles]));
  return {
    ...board,
    entries: board.entries.map((e) => ({ ...e, battles: perModel.get(e.model) ?? 0 })),
    live: { battles, flaggedVotesLeftOut: leftOut.votes, includeFlagged: query.includeFlagged },
  };
}

async function computeLeaderboard(
  campaignId: string,
  config: CampaignConfig,
  query: z.infer<typeof LeaderboardQuery>,
  /** Items whose votes the ratings leave out (flagged battles); `votes` is set to how many were. */
  leaveOut: { items: Set<string>; votes: number } | null,
): Promise<CampaignLeaderboard> {
  const campaign = { id: campaignId };
  const sources: JudgmentSource[] = query.source === "all" ? ["human", "judge"] : [query.source];
  const base = {
    method: query.method,
    styleControl: query.method === "bt" && query.styleControl,
    ci: query.method === "bt" ? query.ci : null,
    l2: null,
    comparisons: 0,
    entries: [],
  };

  if (query.method === "arena" && config.arena?.enabled && query.source === "human") {
    const rows = await listArenaRatings(campaign.id);
    const total = await countArenaComparisons(campaign.id);
    return {
      ...base,
      comparisons: total,
      entries: arenaEntries(rows.map((r) => ({ model: r.model, belief: { mu: r.mu, sigma: r.sigma }, comparisons: r.comparisons }))),
    };
  }

  const loaded = await loadQualityData({ campaignId: campaign.id, sources, withContent: base.styleControl });
  const { items } = loaded;
  let { judgments } = loaded;
  if (leaveOut && leaveOut.items.size > 0) {
    const kept = judgments.filter((j) => !leaveOut.items.has(j.itemId));
    leaveOut.votes = judgments.length - kept.length;
    judgments = kept;
  }
  if (query.method === "arena") {
    const replay = replayArena(judgments, items);
    return { ...base, comparisons: replay.rankings, entries: arenaEntries(replay.systems) };
  }

  const battles: PairwiseBattle[] = [];
  for (const judgment of judgments) {
    const item = items.get(judgment.itemId);
    if (item) battles.push(...judgmentBattles(judgment, item, { style: base.styleControl }));
  }
  if (battles.length === 0) return base;
  if (query.method === "elo") return { ...base, comparisons: battles.length, entries: onlineEloEntries(battles, query.rounds, query.seed) };

  const fit = (l2: number) =>
    computeBradleyTerryLeaderboard({ battles, styleControl: base.styleControl, bootstrapRounds: query.rounds, seed: query.seed, l2, interval: query.ci });
  let l2 = query.l2 ?? 0;
  let entries;
  try {
    entries = fit(l2);
  } catch (error) {
    if (!(error instanceof BradleyTerryFitError)) throw error;
    if (query.l2 !== undefined) throw new AppError("unprocessable", `The Bradley–Terry fit failed with l2 = ${query.l2}: ${error.message}`);
    l2 = fallbackL2;
    entries = fit(l2);
  }
  return { ...base, l2, comparisons: battles.length, entries: entries.map((e) => ({ ...e, ciLow: finite(e.ciLow), ciHigh: finite(e.ciHigh) })) };
}

function finite(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

/**
 * Online Elo in the order the votes came, with FastChat's bootstrap for its spread: each round
 * replays battles drawn with replacement (so in a random order).
 */
function onlineEloEntries(battles: readonly PairwiseBattle[], rounds: number, seed: number): LeaderboardRow[] {
  const ratings = computeOnlineElo({ battles });
  const random = createSeededRandom(seed);
  const samples = new Map<string, number[]>([...ratings.keys()].map((m) => [m, []]));
  for (let round = 0; round < rounds; round++) {
    const sample = Array.from({ length: battles.length }, () => battles[Math.floor(random() * battles.length)]!);
    for (const [model, rating] of computeOnlineElo({ battles: sample })) samples.get(model)!.push(rating);
  }
  const comparisons = new Map<string, number>();
  for (const b of battles) for (const m of [b.modelA, b.modelB]) comparisons.set(m, (comparisons.get(m) ?? 0) + 1);
  const rows = [...ratings].map(([model, rating]) => {
    const sorted = samples.get(model)!.sort((x, y) => x - y);
    return { model, rating, ciLow: quantile(sorted, 0.025), ciHigh: quantile(sorted, 0.975), rank: 0, comparisons: comparisons.get(model) ?? 0 };
  });
  return ranked(rows);
}

function arenaEntries(systems: Array<{ model: string; belief: SkillBelief; comparisons: number }>): LeaderboardRow[] {
  return ranked(
    systems.map(({ model, belief, comparisons }) => ({
      model,
      rating: conservativeSkill(belief),
      ciLow: belief.mu - 1.96 * belief.sigma,
      ciHigh: belief.mu + 1.96 * belief.sigma,
      rank: 0,
      comparisons,
      mu: belief.mu,
      sigma: belief.sigma,
    })),
  );
}

/** The arena's ratings recomputed from the stored K-wise judgments, oldest first (for campaigns not run as an arena). */
function replayArena(judgments: readonly QualityJudgment[], items: ReadonlyMap<string, QualityItem>) {
  const beliefs = new Map<string, SkillBelief>();
  const comparisons = new Map<string, number>();
  let rankings = 0;
  for (const judgment of judgments) {
    const item = items.get(judgment.itemId);
    if (!item) continue;
    const models = new Map(item.responses.map((r) => [r.id, r.model]));
    const shown = judgment.presentedOrder.length > 0 ? judgment.presentedOrder : item.responses.map((r) => r.id);
    const ranking = verdictToModelRanking({
      verdict: judgment.verdict,
      winnerId: judgment.winnerId,
      ranking: judgment.ranking,
      shown,
      modelOf: (id) => models.get(id),
    });
    if (!ranking) continue;
    rankings += 1;
    for (const [model, belief] of rateKWiseRanking({ beliefs, ranking })) {
      beliefs.set(model, belief);
      comparisons.set(model, (comparisons.get(model) ?? 0) + 1);
    }
  }
  return { rankings, systems: [...beliefs].map(([model, belief]) => ({ model, belief, comparisons: comparisons.get(model) ?? 0 })) };
}

/** Chatbot Arena's rank: 1 + the models whose lower bound is above this one's upper bound. Best first. */
function ranked(rows: LeaderboardRow[]): LeaderboardRow[] {
  for (const row of rows) row.rank = 1 + rows.filter((other) => other.ciLow !== null && row.ciHigh !== null && other.ciLow > row.ciHigh).length;
  return rows.sort((x, y) => y.rating - x.rating || (x.model < y.model ? -1 : 1));
}

function quantile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const position = (sorted.length - 1) * p;
  const low = Math.floor(position);
  const high = Math.min(sorted.length - 1, low + 1);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (position - low);
}
