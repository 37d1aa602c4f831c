import type { Budget } from "../types.ts";

/**
 * Reads a --budget value: "0.25" or "25%" is a fraction of the routed items, a whole number
 * above 1 ("40") a count. Throws with a readable message otherwise.
 */
export function parseBudgetArg(text: string): Budget {
  const trimmed = text.trim();
  const percent = /^(\d+(?:\.\d+)?)%$/.exec(trimmed);
  if (percent) {
    const fraction = Number(percent[1]) / 100;
    if (fraction > 1) throw new Error(`--budget percentage must be at most 100%, got "${text}"`);
    return { fraction };
  }
  const value = Number(trimmed);
  if (trimmed === "" || !Number.isFinite(value) || value < 0) throw new Error(`--budget must be a fraction, a percentage or a count, got "${text}"`);
  if (value <= 1) return { fraction: value };
  if (!Number.isInteger(value)) throw new Error(`--budget above 1 must be a whole number of items, got "${text}"`);
  return { count: value };
}
