"use client";
import { useId, type ReactNode } from "react";
import { toCsv } from "@arbiter/core/client";
import styles from "./quality.module.css";

export interface Column<Row> {
  key: keyof Row & string;
  label: string;
  format?: (value: Row[keyof Row], row: Row) => string;
}

/**
 * One plot with its title, a short description, CSV / JSON downloads of exactly the numbers it
 * draws, and the same numbers as a table for screen readers and keyboard users.
 */
export function ChartFigure<Row extends object>({
  title,
  description,
  rows,
  columns,
  filename,
  children,
}: {
  title: string;
  description?: ReactNode;
  rows: Row[];
  columns: Column<Row>[];
  filename: string;
  children: ReactNode;
}) {
  const id = useId();
  const download = (format: "csv" | "json") => {
    const body =
      format === "csv"
        ? toCsv(
            rows as Array<Record<string, unknown>>,
            columns.map((c) => c.key),
          )
        : JSON.stringify(rows, null, 2);
    const url = URL.createObjectURL(new Blob([body], { type: format === "csv" ? "text/csv;charset=utf-8" : "application/json" }));
    const link = document.createElement("a");
    link.href = url;
    link.download = `${filename}.${format}`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  return (
    <figure className={`card ${styles.figure}`} aria-labelledby={`${id}-title`}>
      <div className={styles.figureHead}>
        <h3 id={`${id}-title`} className={styles.figureTitle}>
          {title}
        </h3>
        <div className={styles.downloads} role="group" aria-label={`Download the data of “${title}”`}>
          <button type="button" onClick={() => download("csv")} disabled={rows.length === 0}>
            CSV
          </button>
          <button type="button" onClick={() => download("json")} disabled={rows.length === 0}>
            JSON
          </button>
        </div>
      </div>
      {description && <p className="muted">{description}</p>}
      {rows.length === 0 ? <p className="muted">No data yet.</p> : <div className={styles.plot}>{children}</div>}
      {rows.length > 0 && (
        <details>
          <summary>Data table: {title}</summary>
          <div className={styles.tableWrap}>
            <table>
              <caption className="sr-only">Data of “{title}”</caption>
              <thead>
                <tr>
                  {columns.map((c) => (
                    <th key={c.key} scope="col">
                      {c.label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((row, i) => (
                  <tr key={i}>
                    {columns.map((c) => (
                      <td key={c.key}>{c.format ? c.format(row[c.key], row) : display(row[c.key])}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      )}
    </figure>
  );
}

export function display(value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : value.toFixed(3);
  if (Array.isArray(value)) return value.map(display).join(", ");
  return String(value);
}
