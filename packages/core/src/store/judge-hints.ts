import { getPrisma } from "@arbiter/db";
import type { JudgeSettings } from "@arbiter/judge";

/**
 * The judge as a hint source: its verdicts and the annotators' labels on calibration items (what
 * its gate measures), and its stored verdict on one item (what a task shows).
 */

export interface JudgeCalibrationRow {
  itemId: string;
  verdict: string;
  winnerId: string | null;
  ranking: unknown;
  presentedOrder: string[];
  /** Human judgments of the item, less those made while the judge's verdict was shown as the hint. */
  humans: Array<{ verdict: string; winnerId: string | null; ranking: unknown }>;
  /** Characters of each of the item's responses, by id. */
  lengths: Record<string, number>;
}

/**
 * The campaign's regular calibration items the judge (these settings) has labelled, each with its
 * human judgments and response lengths. A human judgment recorded under the judge's hint
 * (`meta.hintSource = judge`, `meta.hintCondition = hint`) is left out: it would measure the hint, not the judge.
 */
export async function listJudgeCalibrationRows(campaignId: string, settings: Pick<JudgeSettings, "model" | "promptVersion">): Promise<JudgeCalibrationRow[]> {
  const rows = await getPrisma().$queryRaw<Array<Omit<JudgeCalibrationRow, "humans" | "lengths"> & { humans: unknown; lengths: unknown }>>`
    SELECT i.id AS "itemId", j.verdict::text AS verdict, j.winner_id AS "winnerId", j.ranking, j.presented_order AS "presentedOrder",
           (SELECT coalesce(json_agg(json_build_object('verdict', h.verdict::text, 'winnerId', h.winner_id, 'ranking', h.ranking)), '[]'::json)
              FROM judgments h
             WHERE h.item_id = i.id AND h.source = 'human'
               AND NOT (coalesce(h.meta ->> 'hintSource', '') = 'judge' AND coalesce(h.meta ->> 'hintCondition', '') = 'hint')) AS humans,
           (SELECT coalesce(json_object_agg(r.id, char_length(r.content)), '{}'::json) FROM responses r WHERE r.item_id = i.id) AS lengths
    FROM items i
    JOIN judgments j ON j.item_id = i.id AND j.source = 'judge' AND j.judge_model = ${settings.model} AND j.prompt_version = ${settings.promptVersion}
    WHERE i.campaign_id = ${campaignId}::uuid AND i.routing = 'calibration' AND NOT i.is_gold`;
  const parse = (value: unknown) => (typeof value === "string" ? JSON.parse(value) : value);
  return rows.map((row) => ({
    ...row,
    humans: (parse(row.humans) as JudgeCalibrationRow["humans"]) ?? [],
    lengths: (parse(row.lengths) as JudgeCalibrationRow["lengths"]) ?? {},
  }));
}

/** One item's route and gold flag, and the judge's stored verdict on it under `dedupeKey` (null fields: no verdict, or no key). */
export async function findJudgeVerdictForItem(itemId: string, dedupeKey: string | null) {
  const [row] = await getPrisma().$queryRaw<
    Array<{ routing: string; isGold: boolean; verdict: string | null; winnerId: string | null; ranking: unknown; confidence: number | null }>
  >`
    SELECT i.routing::text AS routing, i.is_gold AS "isGold", j.verdict::text AS verdict, j.winner_id AS "winnerId", j.ranking, j.confidence
    FROM items i LEFT JOIN judgments j ON j.dedupe_key = ${dedupeKey}::text AND j.item_id = i.id AND j.source = 'judge'
    WHERE i.id = ${itemId}::uuid`;
  return row;
}

/** The campaign's hint settings and judge block (config), for the judge hint source. */
export async function findCampaignHintConfig(campaignId: string) {
  const [row] = await getPrisma().$queryRaw<
    Array<{ hintSource: string | null; hintGate: string | null; hintControlShare: unknown; hintMode: string | null; judge: unknown }>
  >`
    SELECT c.config ->> 'hintSource' AS "hintSource", c.config ->> 'hintGate' AS "hintGate", c.config -> 'hintControlShare' AS "hintControlShare",
           c.config ->> 'hintMode' AS "hintMode", c.config -> 'judge' AS judge
    FROM campaigns c WHERE c.id = ${campaignId}::uuid`;
  return row;
}
