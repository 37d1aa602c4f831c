import { binomialTestPValue } from "./binomial-test.ts";

/** Which displayed slot the annotator picked in a pairwise comparison. */
export type DisplayPositionChoice = "first" | "second" | "tie";

export interface PositionBias {
  firstCount: number;
  secondCount: number;
  tieCount: number;
  /** Share of decisive choices that went to the first (left) slot; `null` with no decisive choice. */
  firstShare: number | null;
  /**
   * Two-sided exact binomial p-value against 50 %. Valid as a bias test only when the display
   * order was randomised, as it is for every task the platform serves.
   */
  pValue: number | null;
}

/** Position bias of one annotator or judge: how often the first-shown response wins. */
export function measurePositionBias(options: { choices: readonly DisplayPositionChoice[] }): PositionBias {
  let firstCount = 0;
  let secondCount = 0;
  let tieCount = 0;
  for (const choice of options.choices) {
    if (choice === "first") firstCount += 1;
    else if (choice === "second") secondCount += 1;
    else tieCount += 1;
  }
  const decisive = firstCount + secondCount;
  return {
    firstCount,
    secondCount,
    tieCount,
    firstShare: decisive === 0 ? null : firstCount / decisive,
    pValue: decisive === 0 ? null : binomialTestPValue({ successes: firstCount, trials: decisive }),
  };
}
