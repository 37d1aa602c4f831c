export const pct = (value: number | null | undefined, digits = 1) =>
  value === null || value === undefined || Number.isNaN(value) ? "—" : `${(100 * value).toFixed(digits)} %`;
export const num = (value: number | null | undefined, digits = 3) =>
  value === null || value === undefined || Number.isNaN(value) ? "—" : value.toFixed(digits);
export const money = (value: number | null | undefined, currency: string | null | undefined) =>
  value === null || value === undefined ? "—" : `${value.toFixed(value < 0.01 ? 6 : 4)} ${currency ?? "USD"}`;
