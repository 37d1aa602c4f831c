import { z } from "zod";
import type { Actor } from "../access/actor.ts";
import type { CampaignConfig } from "../campaign-config/campaign-config.ts";
import { pseudonymizeAnnotator } from "../export/pseudonymize-annotator.ts";
import { AppError, parseInput } from "../errors.ts";
import { countAnnotatorJudgmentsPerBucket, countCompletedItemsPerBucket, countJudgmentsPerBucket, findJudgmentSpan } from "../store/quality.ts";
import { assertQualityAccess } from "./assert-quality-access.ts";

export const SeriesQuery = z
  .object({
    series: z.enum(["progress", "throughput"]).optional(),
    bucket: z.enum(["auto", "hour", "day", "week"]).default("auto"),
    format: z.enum(["json", "csv"]).default("json"),
  })
  .strict();

export interface ProgressPoint {
  /** Start of the bucket (UTC, ISO 8601). */
  t: string;
  human: number;
  judge: number;
  humanTotal: number;
  judgeTotal: number;
  /** Items that reached their wanted human judgments (or got their judge verdict, if routed to the judge) in this bucket. */
  itemsCompleted: number;
  itemsCompletedTotal: number;
}

export interface ThroughputPoint {
  t: string;
  annotatorId: string;
  judgments: number;
}

export interface CampaignSeries {
  bucket: "hour" | "day" | "week";
  progress: ProgressPoint[];
  throughput: ThroughputPoint[];
}

const stepMs = { hour: 3_600_000, day: 86_400_000, week: 7 * 86_400_000 } as const;
const maxBuckets = 5000;

/**
 * Judgments and completed items over time, and each annotator's judgments per bucket
 * (pseudonymous ids), for the dashboard's plots and their downloads. `auto` picks hours for
 * up to three days of activity, days up to a year, weeks beyond. Empty buckets are filled in.
 */
export async function getCampaignSeries(options: {
  actor: Actor | null;
  campaignId: string;
  query?: unknown;
}): Promise<CampaignSeries & { query: z.infer<typeof SeriesQuery> }> {
  const { campaign } = await assertQualityAccess(options);
  const query = parseInput(SeriesQuery, options.query ?? {}, "query");
  const config = campaign.config as unknown as CampaignConfig;
  const span = await findJudgmentSpan(campaign.id);
  if (!span?.first || !span.last) return { query, bucket: query.bucket === "auto" ? "hour" : query.bucket, progress: [], throughput: [] };
  const spanMs = span.last.getTime() - span.first.getTime();
  const bucket = query.bucket !== "auto" ? query.bucket : spanMs <= 3 * stepMs.day ? "hour" : spanMs <= 365 * stepMs.day ? "day" : "week";
  if (spanMs / stepMs[bucket] > maxBuckets)
    throw new AppError("unprocessable", `Over ${maxBuckets} ${bucket}s of activity; ask for a coarser bucket.`, {
      details: [{ path: "bucket", message: "too many buckets" }],
    });

  const [bySource, completions, perAnnotator] = await Promise.all([
    countJudgmentsPerBucket(campaign.id, bucket),
    countCompletedItemsPerBucket(campaign.id, bucket, config.overlap),
    countAnnotatorJudgmentsPerBucket(campaign.id, bucket),
  ]);

  const starts = bucketStarts(span.first, span.last, bucket);
  const index = new Map(starts.map((t, i) => [t, i]));
  const progress: ProgressPoint[] = starts.map((t) => ({
    t: new Date(t).toISOString(),
    human: 0,
    judge: 0,
    humanTotal: 0,
    judgeTotal: 0,
    itemsCompleted: 0,
    itemsCompletedTotal: 0,
  }));
  for (const row of bySource) {
    const point = progress[index.get(row.t.getTime()) ?? -1];
    if (point && (row.source === "human" || row.source === "judge")) point[row.source] += Number(row.n);
  }
  for (const row of completions) {
    const point = progress[index.get(row.t.getTime()) ?? -1];
    if (point) point.itemsCompleted += Number(row.n);
  }
  let human = 0;
  let judge = 0;
  let completed = 0;
  for (const point of progress) {
    point.humanTotal = human += point.human;
    point.judgeTotal = judge += point.judge;
    point.itemsCompletedTotal = completed += point.itemsCompleted;
  }
  const throughput = perAnnotator.map((row) => ({
    t: row.t.toISOString(),
    annotatorId: pseudonymizeAnnotator(row.userId, campaign.pseudonymSalt),
    judgments: Number(row.n),
  }));
  return { query, bucket, progress, throughput };
}

/** Every bucket start from the first to the last activity, the way Postgres' date_trunc counts them (UTC; weeks start on Monday). */
function bucketStarts(first: Date, last: Date, bucket: "hour" | "day" | "week"): number[] {
  const start = new Date(first);
  start.setUTCMinutes(0, 0, 0);
  if (bucket !== "hour") start.setUTCHours(0);
  if (bucket === "week") start.setUTCDate(start.getUTCDate() - ((start.getUTCDay() + 6) % 7));
  const starts: number[] = [];
  for (let t = start.getTime(); t <= last.getTime(); t += stepMs[bucket]) starts.push(t);
  return starts;
}
