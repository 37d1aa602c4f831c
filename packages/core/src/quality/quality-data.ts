import type { JudgmentSource, Verdict } from "@arbiter/db";

/** A candidate response as the quality code needs it. `position` is the import order within the item. */
export interface QualityResponse {
  id: string;
  position: number;
  model: string | null;
  content: string;
}

export interface QualityItem {
  id: string;
  externalId: string;
  isGold: boolean;
  responses: QualityResponse[];
}

/** One judgment, with the fields agreement, reliability and leaderboards read. */
export interface QualityJudgment {
  id: string;
  itemId: string;
  source: JudgmentSource;
  userId: string | null;
  judgeModel: string | null;
  verdict: Verdict;
  winnerId: string | null;
  ranking: string[][] | null;
  strength: number | null;
  attributes: Record<string, Record<string, number>> | null;
  presentedOrder: string[];
  timeMs: number | null;
  isGold: boolean;
  goldCorrect: boolean | null;
  createdAt: Date;
}
