/** Which arm of the hint experiment a judgment was made in (stored in the judgment's `meta.hintCondition`). */
export type HintCondition = "hint" | "control" | "none";

export const DEFAULT_HINT_CONTROL_SHARE = 0.2;

/** The campaign's no-hint share: `hintControlShare` when valid, else the default (campaigns created before it existed). */
export function hintControlShareOf(value: unknown): number {
  return typeof value === "number" && value >= 0 && value <= 1 ? value : DEFAULT_HINT_CONTROL_SHARE;
}

/**
 * Whether an assignment is in the no-hint (control) arm: a hash of its id (a random UUID) mapped
 * to [0, 1) below `share`. The same answer at hand-out and at submit, and nothing the page can choose.
 */
export function inHintControlArm(assignmentId: string, share: number): boolean {
  if (!(share > 0)) return false;
  if (share >= 1) return true;
  // FNV-1a, 32 bits.
  let h = 0x811c9dc5;
  for (let i = 0; i < assignmentId.length; i++) {
    h ^= assignmentId.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h / 2 ** 32 < share;
}

/**
 * The condition a judgment is recorded under: "none" when hints are off, the item can never carry
 * the hint (`eligible: false` — the judge's verdict on a gold or calibration item) or the task
 * carried no model view (the gate was shut, no version yet), "control" when the assignment is in
 * the no-hint arm, else "hint". Leaving never-eligible items out of both arms keeps the arms
 * comparable.
 */
export function hintConditionFor(options: {
  hintMode: string | undefined;
  assignmentId: string;
  controlShare: unknown;
  taskHadModel: boolean;
  eligible?: boolean;
}): HintCondition {
  if (options.hintMode === "off" || options.eligible === false) return "none";
  if (inHintControlArm(options.assignmentId, hintControlShareOf(options.controlShare))) return "control";
  return options.taskHadModel ? "hint" : "none";
}
