import { getPrisma, type Prisma } from "@arbiter/db";
import type { JudgeSettings } from "@arbiter/judge";
import type { PrismaTx } from "./transaction.ts";

/**
 * The LLM judge's rows: judge judgments, judge jobs as the judge and the routing page read them,
 * and the items a judge call is built from.
 */

/** The queue of judge jobs (one per item and judge settings). */
export const JUDGE_QUEUE = "judge";

/** An item with its responses and campaign, as a judge job builds its task from it; null when it is gone. */
export function findItemForJudging(itemId: string) {
  return getPrisma().item.findUnique({ where: { id: itemId }, include: { responses: true, campaign: true } });
}

/** The items a judge test runs on: the given imported ids, else the first regular items, in campaign order. */
export function findItemsForJudgeTest(options: { campaignId: string; externalIds?: readonly string[]; limit: number }) {
  return getPrisma().item.findMany({
    where: { campaignId: options.campaignId, ...(options.externalIds ? { externalId: { in: [...options.externalIds] } } : { isGold: false }) },
    orderBy: { position: "asc" },
    take: options.limit,
    include: { responses: true },
  });
}

/** A judge judgment row as written (source = judge is set here). */
export type JudgeJudgmentRow = Omit<Prisma.JudgmentCreateManyInput, "source"> & { itemId: string };

/**
 * Writes a judge judgment (source = judge) and counts it on the item — once: the row's dedupe key
 * is unique, so a job that runs again after a crash, or a duplicate job, inserts nothing and
 * counts nothing. Returns whether a row was written.
 */
export async function insertJudgeJudgment(tx: PrismaTx, row: JudgeJudgmentRow): Promise<boolean> {
  const { count } = await tx.judgment.createMany({ data: [{ ...row, source: "judge" }], skipDuplicates: true });
  if (count > 0) await tx.$executeRaw`UPDATE items SET judge_count = judge_count + 1 WHERE id = ${row.itemId}::uuid`;
  return count > 0;
}

/**
 * Puts a campaign's failed judge jobs back in the queue with three more attempts. Attempt counts
 * keep rising, so leases stay fenced. Returns how many were requeued.
 */
export function requeueFailedJudgeJobs(campaignId: string): Promise<number> {
  return getPrisma().$executeRaw`
    UPDATE jobs SET status = 'queued', max_attempts = attempts + 3, run_at = now(), finished_at = NULL
    WHERE queue = ${JUDGE_QUEUE} AND status = 'failed' AND payload->>'campaignId' = ${campaignId}`;
}

/** The payloads of the judge jobs with these dedupe keys that failed for good. */
export function findFailedJudgeJobPayloads(dedupeKeys: readonly string[]): Promise<Array<{ payload: unknown }>> {
  return getPrisma().job.findMany({ where: { dedupeKey: { in: [...dedupeKeys] }, status: "failed" }, select: { payload: true } });
}

/** A campaign's judge jobs by status. */
export function countJudgeJobsByStatus(campaignId: string) {
  return getPrisma().$queryRaw<Array<{ status: "queued" | "running" | "done" | "failed"; n: number }>>`
      SELECT status, count(*)::int AS n FROM jobs WHERE queue = ${JUDGE_QUEUE} AND payload->>'campaignId' = ${campaignId} GROUP BY status`;
}

/** The last five errors of a campaign's judge jobs that failed or wait for a retry, newest first. */
export function listRecentJudgeJobErrors(campaignId: string) {
  return getPrisma().$queryRaw<Array<{ itemId: string | null; lastError: string | null; at: Date }>>`
      SELECT payload->>'itemId' AS "itemId", last_error AS "lastError", coalesce(finished_at, run_at) AS at FROM jobs
      WHERE queue = ${JUDGE_QUEUE} AND payload->>'campaignId' = ${campaignId} AND last_error IS NOT NULL AND status IN ('failed', 'queued')
      ORDER BY coalesce(finished_at, run_at) DESC LIMIT 5`;
}

/** One row of summarizeJudgeUsage. */
export interface JudgeUsageRow {
  model: string | null;
  promptVersion: string | null;
  judgments: number;
  tokens: number | null;
  cost: number | null;
  priced: number;
  latency: number | null;
  inconsistent: number;
}

/** Tokens, cost, latency and order inconsistency of a campaign's judge judgments, per model and prompt version, most recent first. */
export function summarizeJudgeUsage(campaignId: string) {
  return getPrisma().$queryRaw<JudgeUsageRow[]>`
      SELECT judge_model AS model, prompt_version AS "promptVersion", count(*)::int AS judgments,
             sum((meta->'usage'->>'totalTokens')::float8)::float8 AS tokens,
             sum((meta->>'cost')::float8)::float8 AS cost, count(meta->>'cost')::int AS priced,
             avg((meta->>'latencyMs')::float8)::float8 AS latency,
             count(*) FILTER (WHERE meta->>'orderConsistent' = 'false')::int AS inconsistent
      FROM judgments WHERE campaign_id = ${campaignId}::uuid AND source = 'judge'
      GROUP BY judge_model, prompt_version ORDER BY max(created_at) DESC`;
}

/** The judge's labels on a campaign's items under these settings. */
export function listJudgeLabels(campaignId: string, settings: Pick<JudgeSettings, "model" | "promptVersion">) {
  return getPrisma().judgment.findMany({
    where: { campaignId, source: "judge", judgeModel: settings.model, promptVersion: settings.promptVersion },
    select: { itemId: true, verdict: true, winnerId: true, ranking: true, confidence: true },
  });
}

/** The same with each judgment's bookkeeping (`meta`: order consistency), for a routing pass. */
export function listJudgeVerdicts(campaignId: string, settings: Pick<JudgeSettings, "model" | "promptVersion">) {
  return getPrisma().judgment.findMany({
    where: { campaignId, source: "judge", judgeModel: settings.model, promptVersion: settings.promptVersion },
    select: { itemId: true, verdict: true, winnerId: true, ranking: true, confidence: true, meta: true },
  });
}

/**
 * The Prisma client outside any transaction, for the secrets helpers that take one: the judge's
 * key is looked up (and its origin bound) outside the job's transaction, before the HTTP calls.
 */
export function judgeKeyClient(): ReturnType<typeof getPrisma> {
  return getPrisma();
}
