import type { RouteDecision } from "@arbiter/db";
import { TIE, type ItemFeatures, type RoutingItem } from "@arbiter/router";

/** A verdict reduced to the router's label: a response id, or "tie" (ties, "both bad", tied tops). */
export function preferenceLabel(judgment: { verdict: string; winnerId: string | null; ranking: unknown }): string {
  if (judgment.verdict === "winner" && judgment.winnerId) return judgment.winnerId;
  if (judgment.verdict === "ranking" && Array.isArray(judgment.ranking)) {
    const top = judgment.ranking[0];
    if (Array.isArray(top) && top.length === 1 && typeof top[0] === "string") return top[0];
  }
  return TIE;
}

export interface RoutingRow {
  id: string;
  /** The imported id: what the router sees, so decisions depend on the seed and the data, not on database ids. */
  key: string;
  routing: RouteDecision;
  humanCount: number;
  /** An annotator holds an unexpired lease on it. */
  leased: boolean;
  /** routing_features has been written by an earlier pass. */
  processed: boolean;
  item: RoutingItem;
  features: ItemFeatures;
  /** The judge's label under the current settings, if it has judged the item; `winner: null` = it answered without a verdict. */
  judge: { winner: string | null; confidence: number; consistent?: boolean } | null;
  /** The judge job for the current settings failed for good. */
  judgeFailed: boolean;
  /** Human labels (response id or "tie"), one per human judgment. */
  human: string[];
}

/** Counts against the human budget whatever its route: someone labelled it or is labelling it. */
export function isLocked(row: Pick<RoutingRow, "humanCount" | "leased">): boolean {
  return row.humanCount > 0 || row.leased;
}
