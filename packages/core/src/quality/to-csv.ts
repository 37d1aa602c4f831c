/**
 * Rows as RFC 4180 CSV with a header from the first row's keys (or `columns`). Values are
 * quoted when needed; cells that a spreadsheet would run as a formula are prefixed with '.
 */
export function toCsv(rows: ReadonlyArray<Record<string, unknown>>, columns?: readonly string[]): string {
  const header = columns ?? Object.keys(rows[0] ?? {});
  const lines = [header.map(cell).join(",")];
  for (const row of rows) lines.push(header.map((key) => cell(row[key])).join(","));
  return lines.join("\r\n") + "\r\n";
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return "";
  let text = typeof value === "object" ? JSON.stringify(value) : String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
