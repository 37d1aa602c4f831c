/**
 * What an annotator saw: responses are shown as "Response A", "Response B", … in the order of the
 * judgment's `presentedOrder` (shuffled per assignment). Researchers read verdicts in those letters
 * ("A wins"), with the imported id beside them, so the judgment browser and the item page describe
 * what was on screen, not the order of the import. Pure; browser-safe.
 */

/** A, B, C… for the 0-based place a response was shown in. */
export function seenLetter(index: number): string {
  return index < 26 ? String.fromCharCode(65 + index) : `#${index + 1}`;
}

/** Response id → the letter it was shown under; responses not in `presentedOrder` follow `fallbackOrder` (the import's order, for judgments that record none). */
export function seenLetters(presentedOrder: readonly string[], fallbackOrder: readonly string[] = []): Map<string, string> {
  const order = presentedOrder.length > 0 ? presentedOrder : fallbackOrder;
  return new Map(order.map((id, index) => [id, seenLetter(index)]));
}

export interface SeenVerdict {
  verdict: string;
  winner: string | null;
  ranking: string[][] | null;
  strength: number | null;
}

/** "A wins (strength 2)", "B > A = C", "tie", "both bad" — in the letters of `letters`. */
export function describeSeenVerdict(judgment: SeenVerdict, letters: ReadonlyMap<string, string>): string {
  const name = (id: string) => letters.get(id) ?? id;
  if (judgment.verdict === "winner")
    return `${judgment.winner === null ? "?" : name(judgment.winner)} wins${judgment.strength ? ` (strength ${judgment.strength})` : ""}`;
  if (judgment.verdict === "ranking") return (judgment.ranking ?? []).map((tier) => tier.map(name).join(" = ")).join(" > ");
  return judgment.verdict === "both_bad" ? "both bad" : judgment.verdict;
}
