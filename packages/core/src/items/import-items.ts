import { z } from "zod";
import { requireRole, type Actor } from "../access/actor.ts";
import { assertCampaignAccess } from "../access/campaign-access.ts";
import { AppError, parseInput, type ErrorDetail } from "../errors.ts";
import { writeAudit } from "../audit/write-audit.ts";
import { parseItemStream } from "../import/parse-item-stream.ts";
import { InflatedTooLargeError } from "../import/read-bytes.ts";
import { ITEM_FORMATS, type ParsedItem } from "../import/types.ts";
import { lockCampaign } from "../store/campaigns.ts";
import { findExistingExternalIds, nextItemPosition, writeItemBatch, type NewItem } from "../store/items.ts";
import { inTransaction } from "../store/transaction.ts";
import { enqueueRoutingPass } from "../jobs/routing-pass-queue.ts";

export const ImportQuery = z
  .object({
    format: z.enum([...ITEM_FORMATS, "auto"]).default("auto"),
    /** parquet: the body must be a Parquet file (422 if not); auto (default): Parquet when it starts with PAR1, else text. */
    file: z.enum(["auto", "parquet"]).default("auto"),
    /** error: an id already in the campaign fails the import (409); skip: it is reported and left out. */
    onDuplicate: z.enum(["error", "skip"]).default("error"),
    /** Use the file's labels (native gold, LLMBar label, ImageReward ranking, CSV gold column, chosen/rejected) as gold. Default false. */
    labelsAsGold: z.enum(["true", "false"]).optional(),
    /** The old name of labelsAsGold, kept for scripts that send it; the two may not disagree. */
    preferenceAsGold: z.enum(["true", "false"]).optional(),
    mediaBaseUrl: z.string().max(2000).optional(),
  })
  .strict()
  .refine((q) => q.labelsAsGold === undefined || q.preferenceAsGold === undefined || q.labelsAsGold === q.preferenceAsGold, {
    message: "labelsAsGold and preferenceAsGold (its old name) disagree; send labelsAsGold only",
    path: ["labelsAsGold"],
  })
  .transform(({ labelsAsGold, preferenceAsGold, ...rest }) => ({ ...rest, labelsAsGold: (labelsAsGold ?? preferenceAsGold) === "true" }));

export const MAX_IMPORT_BYTES = 1024 * 1024 * 1024;

/**
 * Streams an items file into a campaign inside one `pg` transaction: any bad line and nothing is
 * imported (422, every bad line listed with its number). The file is never held in memory: it is
 * parsed in batches of 500 items, each written with COPY (store/items.ts `writeItemBatch`).
 * `maxBytes` (1 GiB) caps the upload as sent and, for gzip, again after inflating (413).
 */
export async function importItems(options: {
  actor: Actor | null;
  campaignId: string;
  query: unknown;
  source: AsyncIterable<Uint8Array | string>;
  maxBytes?: number;
  /** The request's Content-Type: `application/vnd.apache.parquet` says the body is Parquet, as `file=parquet` does. */
  contentType?: string | null;
}) {
  const actor = requireRole(options.actor, "admin");
  const query = parseInput(ImportQuery, options.query, "query");
  const campaign = await assertCampaignAccess({ actor, campaignId: options.campaignId, mode: "manage" });
  if (campaign.status === "closed") throw new AppError("conflict", "This campaign is closed; items cannot be added.");
  const maxBytes = options.maxBytes ?? MAX_IMPORT_BYTES;

  return inTransaction(async (tx) => {
    // One import into a campaign at a time: positions and duplicate checks stay exact. Positions
    // only grow: members' search marks (campaign_members.scan_from) assume no new item lands below them.
    await lockCampaign(tx, campaign.id);
    let position = await nextItemPosition(tx, campaign.id);
    const hadItems = position > 0;
    let imported = 0;
    const duplicates: ErrorDetail[] = [];
    // Of the items written: how many are gold, and how many carried a label in the file.
    const gold = { gold: 0, labelled: 0 };
    const stream = parseItemStream({
      source: limitBytes(options.source, maxBytes),
      format: query.format,
      file: query.file === "parquet" || isParquetType(options.contentType) ? "parquet" : "auto",
      labelsAsGold: query.labelsAsGold,
      maxInflatedBytes: maxBytes,
      ...(query.mediaBaseUrl ? { mediaBaseUrl: query.mediaBaseUrl } : {}),
    });

    // The write of one batch (COPY on a PostgreSQL server) runs while the next batch is parsed:
    // the database and the parser work at the same time, and at most two batches are held.
    let writing: Promise<number> = Promise.resolve(0);
    for await (const batch of refuseGzipBombs(stream, maxBytes)) {
      await writing;
      // Ids repeated within the file are the parser's to catch; the database is asked only about
      // ids the campaign had before this import, and not at all when it had none.
      const existing = hadItems
        ? await findExistingExternalIds(
            tx,
            campaign.id,
            batch.map((p) => p.item.externalId),
          )
        : NO_IDS;
      const fresh: NewItem[] = [];
      for (const parsed of batch) {
        if (existing.has(parsed.item.externalId))
          duplicates.push({
            line: parsed.line,
            ...(parsed.element !== undefined ? { element: parsed.element } : {}),
            ...(parsed.row !== undefined ? { row: parsed.row } : {}),
            status: 409,
            kind: "already_in_campaign",
            message: `item id ${parsed.item.externalId} is already in this campaign`,
          });
        else {
          fresh.push(toNewItem(parsed));
          if (parsed.item.gold !== undefined) gold.gold++;
          if (parsed.labelled) gold.labelled++;
        }
      }
      // After the first bad line nothing will be kept, so stop writing but keep reading to list every problem.
      if (stream.errors.length === 0 && (duplicates.length === 0 || query.onDuplicate === "skip")) {
        writing = writeItemBatch(tx, campaign.id, fresh, position);
        // Awaited before the next batch or after the last; this keeps a failed write from being reported as unhandled meanwhile.
        writing.catch(() => undefined);
        position += fresh.length;
        imported += fresh.length;
      }
    }
    await writing;

    if (stream.errors.length > 0) {
      const details: ErrorDetail[] = [...stream.errors.map((e) => ({ ...e })), ...duplicates].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
      // Parquet messages start "row N: " already.
      const first = details[0]?.row !== undefined ? details[0]?.message : `line ${details[0]?.line}: ${details[0]?.message}`;
      throw new AppError("unprocessable", `${describeProblems(details)}; nothing was imported. First: ${first}`, {
        details,
      });
    }
    if (duplicates.length > 0 && query.onDuplicate === "error") {
      throw new AppError(
        "conflict",
        `${duplicates.length} item${duplicates.length > 1 ? "s are" : " is"} already in this campaign; nothing was imported. Send ?onDuplicate=skip to import only the new ones.`,
        { details: duplicates },
      );
    }
    await writeAudit(tx, {
      actorId: actor.userId,
      action: "items.import",
      targetType: "campaign",
      targetId: campaign.id,
      campaignId: campaign.id,
      data: { imported, format: stream.format ?? null, skipped: duplicates.length, gold: gold.gold, labelsAsGold: query.labelsAsGold },
    });
    // The hook, once per import and in its transaction: new items in a running campaign get a routing
    // pass (which decides human or judge for each, and trains nothing until judgments arrive). A
    // draft campaign gets its first pass when it starts.
    if (imported > 0 && campaign.status === "active") await enqueueRoutingPass(tx, { campaignId: campaign.id });
    return {
      imported,
      format: stream.format ?? query.format,
      gold: gold.gold,
      regular: imported - gold.gold,
      labelled: gold.labelled,
      labelsAsGold: query.labelsAsGold,
      ...(duplicates.length > 0 ? { skipped: duplicates } : {}),
    };
  });
}

const NO_IDS: ReadonlySet<string> = new Set();

const PROBLEM_KINDS: Array<[kind: string, one: string, many: string]> = [
  ["invalid", "invalid record", "invalid records"],
  ["duplicate_in_file", "id repeated in the file", "ids repeated in the file"],
  ["already_in_campaign", "id already in the campaign", "ids already in the campaign"],
];

/**
 * "20 lines refused (4 invalid records, 16 ids already in the campaign)": each detail is one line
 * (a record's problems are joined), so the counts add up to the table below them.
 */
export function describeProblems(details: readonly ErrorDetail[]): string {
  const counts = new Map<string, number>();
  for (const d of details) counts.set(String(d.kind ?? "invalid"), (counts.get(String(d.kind ?? "invalid")) ?? 0) + 1);
  const parts = PROBLEM_KINDS.filter(([kind]) => counts.has(kind)).map(([kind, one, many]) => {
    const n = counts.get(kind)!;
    return `${n} ${n === 1 ? one : many}`;
  });
  const total = details.length;
  const unit = details.some((d) => d.row !== undefined) ? "row" : "line";
  return `${total} ${unit}${total === 1 ? "" : "s"} refused (${parts.join(", ")})`;
}

const isParquetType = (contentType: string | null | undefined) => /^application\/(vnd\.apache\.parquet|x-parquet|parquet)\b/i.test(contentType?.trim() ?? "");

function toNewItem(parsed: ParsedItem): NewItem {
  const { item } = parsed;
  return {
    externalId: item.externalId,
    prompt: item.prompt ?? null,
    messages: item.messages ?? null,
    media: item.media,
    metadata: item.metadata ?? null,
    gold: item.gold ?? null,
    responses: item.responses.map((r) => ({ externalId: r.externalId, content: r.content, model: r.model ?? null, metadata: r.metadata ?? null })),
  };
}

async function* refuseGzipBombs<T>(batches: AsyncIterable<T>, maxBytes: number): AsyncGenerator<T> {
  try {
    yield* batches;
  } catch (error) {
    if (!(error instanceof InflatedTooLargeError)) throw error;
    throw new AppError("payload_too_large", `The gzip file inflates to more than ${Math.round(maxBytes / 1024 / 1024)} MB; split it into several imports.`);
  }
}

async function* limitBytes(source: AsyncIterable<Uint8Array | string>, maxBytes: number): AsyncGenerator<Uint8Array | string> {
  let total = 0;
  for await (const chunk of source) {
    total += typeof chunk === "string" ? Buffer.byteLength(chunk) : chunk.byteLength;
    if (total > maxBytes)
      throw new AppError("payload_too_large", `The upload is larger than ${Math.round(maxBytes / 1024 / 1024)} MB; split it into several imports.`);
    yield chunk;
  }
}
