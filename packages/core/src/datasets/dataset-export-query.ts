import { z } from "zod";
import { EXPORT_FORMATS } from "../export/types.ts";

const bool = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");

/**
 * The query string of `GET /api/v1/campaigns/:id/export` (and `/export/card`). `file=zip` is a
 * bundle: the data (`bundle=jsonl|parquet`, default jsonl) under `data/` plus the dataset card
 * `README.md`. `annotatorId` takes an export pseudonym (`ann-…`), or for admins a user id.
 */
export const DatasetExportQuery = z
  .object({
    format: z.enum(EXPORT_FORMATS).default("trl"),
    source: z.enum(["human", "judge", "all"]).default("human"),
    file: z.enum(["jsonl", "parquet", "zip"]).default("jsonl"),
    bundle: z.enum(["jsonl", "parquet"]).default("jsonl"),
    annotatorId: z.string().trim().min(1).max(200).optional(),
    itemId: z.string().min(1).max(500).optional(),
    since: z.coerce.date().optional(),
    until: z.coerce.date().optional(),
    aggregate: z.enum(["majority", "all", "unanimous"]).optional(),
    expandRankings: bool.default(false),
    promptStyle: z.enum(["auto", "text", "messages"]).default("auto"),
    /** An SPDX id or Hugging Face license tag for the dataset card; else the campaign's `license`, else "unknown". */
    license: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .regex(/^[A-Za-z0-9.+_-]+$/, "use a license id such as cc-by-4.0")
      .optional(),
  })
  .strict()
  .refine((q) => !q.since || !q.until || q.since < q.until, { message: "since must be before until", path: ["since"] });

export type DatasetExportQuery = z.infer<typeof DatasetExportQuery>;
