import type { Prisma } from "@arbiter/db";
import type { JudgeResult } from "@arbiter/judge";
import { insertJudgeJudgment } from "../store/judge.ts";

const MAX_REPLY_CHARS = 20_000;

/** The bookkeeping a judge judgment carries in `meta`: orders, consistency, tokens, cost, latency. */
export function judgeMeta(result: JudgeResult, latencyMs: number): Prisma.InputJsonValue {
  return {
    orderConsistent: result.orderConsistent,
    usage: { ...result.usage },
    cost: result.cost,
    currency: result.currency,
    latencyMs,
    rationaleLabels: result.rationaleLabels,
    calls: result.calls.map((call) => ({
      order: call.order,
      verdict: call.verdict as unknown as Prisma.InputJsonValue,
      confidence: call.labelled.confidence,
      attempts: call.attempts,
      parseRetried: call.parseRetried,
      finishReason: call.finishReason,
      usage: { ...call.usage },
      reply: call.reply.length > MAX_REPLY_CHARS ? `${call.reply.slice(0, MAX_REPLY_CHARS)}…` : call.reply,
    })),
  };
}

/**
 * Writes the judge's verdict on an item as a judgment (source = judge) and counts it on the
 * item — once: the row's dedupe key is unique, so a job that runs again after a crash, or a
 * duplicate job, inserts nothing and counts nothing. Returns whether a row was written.
 */
export async function recordJudgeJudgment(
  tx: Prisma.TransactionClient,
  options: { campaignId: string; itemId: string; dedupeKey: string; result: JudgeResult; latencyMs: number },
): Promise<boolean> {
  const { result } = options;
  const verdict =
    "winner" in result.verdict
      ? result.verdict.winner === "tie"
        ? { verdict: "tie" as const, winnerId: null, ranking: undefined }
        : { verdict: "winner" as const, winnerId: result.verdict.winner, ranking: undefined }
      : { verdict: "ranking" as const, winnerId: null, ranking: result.verdict.ranking };
  return insertJudgeJudgment(tx, {
    campaignId: options.campaignId,
    itemId: options.itemId,
    judgeModel: result.model,
    promptVersion: result.promptVersion,
    verdict: verdict.verdict,
    winnerId: verdict.winnerId,
    ranking: verdict.ranking,
    confidence: result.confidence,
    rationale: result.rationale || null,
    attributes: Object.keys(result.attributes).length > 0 ? result.attributes : undefined,
    presentedOrder: result.calls[0]?.order ?? [],
    timeMs: Math.round(options.latencyMs),
    meta: judgeMeta(result, options.latencyMs),
    dedupeKey: options.dedupeKey,
  });
}
