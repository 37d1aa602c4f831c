/** Bucket starts are UTC; formatting them the same on the server and in the browser avoids hydration mismatches. */
export function formatBucket(iso: string, bucket: "hour" | "day" | "week"): string {
  return bucket === "hour" ? `${iso.slice(0, 10)} ${iso.slice(11, 13)}:00` : iso.slice(0, 10);
}

export function percent(value: number | null | undefined): string {
  return value === null || value === undefined ? "—" : `${(100 * value).toFixed(0)} %`;
}

export function fixed(value: number | null | undefined, digits = 3): string {
  return value === null || value === undefined ? "—" : value.toFixed(digits);
}
