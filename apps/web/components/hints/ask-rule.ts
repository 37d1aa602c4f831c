/** The model "strongly" disagrees when it gives another response at least this probability of being better; it never asks below it. */
export const STRONG_DISAGREEMENT = 0.8;

export type AskRef = { gate: "auto" | "off"; ask: { threshold: number; heldOutPairs: number; precision: number; precisionCi: [number, number] } | null };

/**
 * When "Keep your choice?" may fire: at the version's validated threshold (never below 0.8), saying
 * how often the model was right on held-out pairs that confident; with the gate off and no
 * evidence, at 0.8 and saying it is not validated; otherwise never (null).
 */
export function askRule(ref: AskRef | undefined): { threshold: number; basis: string; validated: boolean } | null {
  if (!ref) return null;
  if (ref.ask) {
    const { threshold, heldOutPairs, precision, precisionCi } = ref.ask;
    const pct = (x: number) => Math.round(x * 100);
    return {
      threshold: Math.max(STRONG_DISAGREEMENT, threshold),
      basis: `At this confidence it was right on ${pct(precision)} % of ${heldOutPairs} held-out pairs (95 % interval ${pct(precisionCi[0])}–${pct(precisionCi[1])} %)`,
      validated: true,
    };
  }
  if (ref.gate === "off") {
    return {
      threshold: STRONG_DISAGREEMENT,
      basis: "Not validated: its held-out votes do not show how often it is right when this sure (the hint gate is off)",
      validated: false,
    };
  }
  return null;
}
