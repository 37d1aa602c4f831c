import { judgmentUnits, type JudgmentUnit, type UnitItem, type UnitJudgment } from "./judgment-units.ts";
import { nominalAlphaWithInterval } from "./nominal-alpha.ts";
import type { QualityJudgment } from "./quality-data.ts";

/** unit → annotator → what that annotator said about the unit. */
export type HumanUnits = Map<string, Map<string, JudgmentUnit>>;

/**
 * The human judgments' units (a later judgment by the same annotator on a unit replaces an
 * earlier one; judgments arrive oldest first). Other sources and unknown items are ignored.
 */
export function collectHumanUnits(
  judgments: readonly (UnitJudgment & Pick<QualityJudgment, "itemId" | "source" | "userId">)[],
  items: ReadonlyMap<string, UnitItem>,
  into: HumanUnits = new Map(),
): HumanUnits {
  for (const judgment of judgments) {
    if (judgment.source !== "human" || judgment.userId === null) continue;
    const item = items.get(judgment.itemId);
    if (!item) continue;
    for (const unit of judgmentUnits(judgment, item)) {
      let raters = into.get(unit.unit);
      if (!raters) into.set(unit.unit, (raters = new Map()));
      raters.set(judgment.userId, unit);
    }
  }
  return into;
}

/**
 * The pairable units (≥ 2 human values) as α's reliability data, clustered by item (a ranked
 * item's pairs are resampled together by the bootstrap). Values are the shared categories of
 * `JudgmentUnit.positional`. Appends to `clusters` so callers reading in pages keep only this.
 */
export function alphaClusters(units: HumanUnits, clusters: string[][][] = []): string[][][] {
  const byItem = new Map<string, string[][]>();
  for (const raters of units.values()) {
    if (raters.size < 2) continue;
    const values = [...raters.values()];
    const itemId = values[0]!.itemId;
    let rows = byItem.get(itemId);
    if (!rows) byItem.set(itemId, (rows = []));
    rows.push(values.map((v) => v.positional));
  }
  clusters.push(...byItem.values());
  return clusters;
}

export interface HumanAlpha {
  /** Nominal α over the shared categories (first, second, …, tie, both_bad); null when undefined. */
  alpha: number | null;
  /** 95 % percentile bootstrap over items (seeded); null when α is. */
  ci: [number, number] | null;
  /** Units with at least two human values: the ones α is measured on. */
  units: number;
}

/**
 * Krippendorff's α of human verdicts — the one function behind the stats API, the quality
 * dashboard, its CSV and the dataset card, so they all show the same number.
 */
export function humanAlpha(clusters: readonly (readonly (readonly string[])[])[], options: { seed?: number; bootstrapRounds?: number } = {}): HumanAlpha {
  const units = clusters.reduce((sum, cluster) => sum + cluster.length, 0);
  const rounds = options.bootstrapRounds ?? Math.max(200, Math.min(1000, Math.floor(20_000_000 / Math.max(1, units))));
  // The bootstrap draws clusters by index: put them in one canonical order first, so every caller
  // (the stats API reading items in one order, the dataset card paging by position) gets the same interval.
  const canonical = clusters
    .map((cluster) => ({ cluster, key: JSON.stringify(cluster) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map(({ cluster }) => cluster);
  const { alpha, ci } = nominalAlphaWithInterval({ clusters: canonical, rounds, seed: options.seed ?? 1 });
  return { alpha, ci, units };
}
