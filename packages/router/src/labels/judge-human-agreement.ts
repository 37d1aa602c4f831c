import { cohenKappa } from "@arbiter/ranking";
import { TIE, type CalibrationItem } from "../types.ts";
import { humanMajority } from "./human-majority.ts";

export interface JudgeHumanAgreement {
  items: number;
  /** Share of items where the judge's label equals the human majority; null without items. */
  agreement: number | null;
  /** Cohen's κ between the judge and the human majority; null when undefined. */
  cohenKappa: number | null;
}

/**
 * How far the judge agrees with the human majority (§4: report it per campaign). Labels are
 * compared by position — "response 0", "response 1", "tie" — because response ids differ from
 * item to item.
 */
export function judgeHumanAgreement(items: readonly CalibrationItem[]): JudgeHumanAgreement {
  // A judge with no verdict is labelled "none": it never agrees with the humans.
  const position = (item: CalibrationItem, label: string | null) =>
    label === null ? "none" : label === TIE ? TIE : String(item.responses.findIndex((r) => r.id === label));
  const judge = items.map((item) => position(item, item.judge.winner));
  const human = items.map((item) => position(item, humanMajority(item.human)));
  const agreed = judge.filter((label, i) => label === human[i]).length;
  return { items: items.length, agreement: items.length === 0 ? null : agreed / items.length, cohenKappa: cohenKappa({ ratingsA: judge, ratingsB: human }) };
}
