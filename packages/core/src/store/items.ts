import { randomUUID } from "node:crypto";
import { getPrisma, type Prisma } from "@arbiter/db";
import { ITEM_COMPLETE } from "./fragments.ts";
import type { CopyTx, PrismaTx, Tx } from "./transaction.ts";

/** Items and their responses: imports, copies, and the progress counts campaigns show. */

export interface NewItem {
  externalId: string;
  prompt?: string | null;
  messages?: Array<{ role: string; content: string }> | null;
  media?: unknown;
  metadata?: Record<string, unknown> | null;
  gold?: { winner: string } | { ranking: string[][] } | null;
  /** `items.is_gold`; defaults to whether `gold` is set. */
  isGold?: boolean;
  responses: Array<{ externalId: string; content: string; model?: string | null; metadata?: Record<string, unknown> | null }>;
}

/**
 * Inserts a batch of validated items and their responses inside the caller's transaction.
 * Positions continue after `startPosition`, so import order is the default task order.
 */
export async function insertItemBatch(tx: PrismaTx, campaignId: string, items: NewItem[], startPosition: number): Promise<number> {
  if (items.length === 0) return 0;
  const itemRows: Prisma.ItemCreateManyInput[] = [];
  const responseRows: Prisma.ResponseCreateManyInput[] = [];
  items.forEach((item, index) => {
    const id = randomUUID();
    itemRows.push({
      id,
      campaignId,
      externalId: item.externalId,
      position: startPosition + index,
      prompt: item.prompt ?? null,
      messages: (item.messages ?? undefined) as Prisma.InputJsonValue | undefined,
      media: (item.media ?? undefined) as Prisma.InputJsonValue | undefined,
      metadata: (item.metadata ?? undefined) as Prisma.InputJsonValue | undefined,
      gold: (item.gold ?? undefined) as Prisma.InputJsonValue | undefined,
      isGold: item.isGold ?? Boolean(item.gold),
    });
    item.responses.forEach((response, position) => {
      responseRows.push({
        itemId: id,
        externalId: response.externalId,
        position,
        content: response.content,
        model: response.model ?? null,
        metadata: (response.metadata ?? undefined) as Prisma.InputJsonValue | undefined,
      });
    });
  });
  await tx.item.createMany({ data: itemRows });
  await tx.response.createMany({ data: responseRows });
  return items.length;
}

const ITEM_COPY = "COPY items (id, campaign_id, external_id, position, prompt, messages, media, metadata, gold, is_gold) FROM STDIN";
const RESPONSE_COPY = "COPY responses (item_id, external_id, position, content, model, metadata) FROM STDIN";

/** A value in COPY's text format: `\N` for null; backslash, tab, newline and carriage return escaped. */
export function copyText(value: string | null | undefined): string {
  if (value === null || value === undefined) return "\\N";
  return /[\\\t\n\r]/.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c] ?? c) : value;
}
const COPY_ESCAPES: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };

const json = (value: unknown): string | null => (value === null || value === undefined ? null : JSON.stringify(value));

/**
 * Writes a batch of validated items and their responses inside the caller's `pg` transaction, at
 * positions `startPosition`, `startPosition + 1`, …: two `COPY … FROM STDIN` on a PostgreSQL
 * server, two multi-row `INSERT … SELECT FROM unnest(…)` on the embedded database (whose socket
 * has no COPY-in). The bulk path of imports; `insertItemBatch` stays for small seeds.
 */
export async function writeItemBatch(tx: CopyTx, campaignId: string, items: readonly NewItem[], startPosition: number): Promise<number> {
  if (items.length === 0) return 0;
  const ids = items.map(() => randomUUID());
  if (tx.canCopy) {
    const itemLines: string[] = [];
    const responseLines: string[] = [];
    items.forEach((item, index) => {
      const id = ids[index]!;
      itemLines.push(
        `${id}\t${campaignId}\t${copyText(item.externalId)}\t${startPosition + index}\t${copyText(item.prompt)}\t${copyText(json(item.messages))}\t${copyText(json(item.media))}\t${copyText(json(item.metadata))}\t${copyText(json(item.gold))}\t${(item.isGold ?? Boolean(item.gold)) ? "t" : "f"}\n`,
      );
      item.responses.forEach((response, position) => {
        responseLines.push(
          `${id}\t${copyText(response.externalId)}\t${position}\t${copyText(response.content)}\t${copyText(response.model)}\t${copyText(json(response.metadata))}\n`,
        );
      });
    });
    await tx.copyFrom(ITEM_COPY, [itemLines.join("")]);
    await tx.copyFrom(RESPONSE_COPY, [responseLines.join("")]);
    return items.length;
  }
  const responseItemIds: string[] = [];
  const responseExternalIds: string[] = [];
  const responsePositions: number[] = [];
  const contents: string[] = [];
  const models: Array<string | null> = [];
  const responseMetadata: Array<string | null> = [];
  items.forEach((item, index) =>
    item.responses.forEach((response, position) => {
      responseItemIds.push(ids[index]!);
      responseExternalIds.push(response.externalId);
      responsePositions.push(position);
      contents.push(response.content);
      models.push(response.model ?? null);
      responseMetadata.push(json(response.metadata));
    }),
  );
  await tx.$executeRaw`
    INSERT INTO items (id, campaign_id, external_id, position, prompt, messages, media, metadata, gold, is_gold)
    SELECT u.id, ${campaignId}::uuid, u.external_id, u.position, u.prompt, u.messages, u.media, u.metadata, u.gold, u.is_gold
    FROM unnest(${ids}::uuid[], ${items.map((i) => i.externalId)}::text[], ${items.map((_, index) => startPosition + index)}::int[],
      ${items.map((i) => i.prompt ?? null)}::text[], ${items.map((i) => json(i.messages))}::jsonb[], ${items.map((i) => json(i.media))}::jsonb[],
      ${items.map((i) => json(i.metadata))}::jsonb[], ${items.map((i) => json(i.gold))}::jsonb[], ${items.map((i) => i.isGold ?? Boolean(i.gold))}::boolean[])
      AS u(id, external_id, position, prompt, messages, media, metadata, gold, is_gold)`;
  await tx.$executeRaw`
    INSERT INTO responses (item_id, external_id, position, content, model, metadata)
    SELECT u.item_id, u.external_id, u.position, u.content, u.model, u.metadata
    FROM unnest(${responseItemIds}::uuid[], ${responseExternalIds}::text[], ${responsePositions}::int[], ${contents}::text[], ${models}::text[], ${responseMetadata}::jsonb[])
      AS u(item_id, external_id, position, content, model, metadata)`;
  return items.length;
}

/** The position after the campaign's last item (0 when it has none). */
export async function nextItemPosition(tx: Tx, campaignId: string): Promise<number> {
  const [{ next } = { next: 0 }] = await tx.$queryRaw<
    Array<{ next: number }>
  >`SELECT coalesce(max(position) + 1, 0)::int AS next FROM items WHERE campaign_id = ${campaignId}::uuid`;
  return next;
}

/** Which of these imported ids the campaign already has. */
export async function findExistingExternalIds(tx: Tx, campaignId: string, externalIds: string[]): Promise<Set<string>> {
  const rows = await tx.$queryRaw<Array<{ externalId: string }>>`
    SELECT external_id AS "externalId" FROM items WHERE campaign_id = ${campaignId}::uuid AND external_id = ANY(${externalIds}::text[])`;
  return new Set(rows.map((i) => i.externalId));
}

/** Copies every item (gold included, imported ids and order kept) and its responses to another campaign: two statements. */
export async function copyItemsAndResponses(tx: PrismaTx, fromCampaignId: string, toCampaignId: string): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO items (id, campaign_id, external_id, position, prompt, messages, media, metadata, gold, is_gold, human_target)
    SELECT gen_random_uuid(), ${toCampaignId}::uuid, external_id, position, prompt, messages, media, metadata, gold, is_gold, human_target
    FROM items WHERE campaign_id = ${fromCampaignId}::uuid`;
  await tx.$executeRaw`
    INSERT INTO responses (id, item_id, external_id, position, content, model, metadata)
    SELECT gen_random_uuid(), copy.id, r.external_id, r.position, r.content, r.model, r.metadata
    FROM items original
    JOIN items copy ON copy.campaign_id = ${toCampaignId}::uuid AND copy.external_id = original.external_id
    JOIN responses r ON r.item_id = original.id
    WHERE original.campaign_id = ${fromCampaignId}::uuid`;
}

export interface CampaignProgressCounts {
  id: string;
  itemCount: number;
  goldItemCount: number;
  itemsComplete: number;
  humanJudgments: number;
  judgeJudgments: number;
  memberCount: number;
  /** Judgments by `userId` (0 without one). */
  mine: number;
}

/**
 * Progress counts for many campaigns in one statement (complete items: ITEM_COMPLETE).
 */
export async function countCampaignProgress(campaignIds: string[], userId?: string): Promise<CampaignProgressCounts[]> {
  const rows = await getPrisma().$queryRaw<
    Array<{ id: string; item_count: bigint; gold_count: bigint; items_complete: bigint; human: bigint; judge: bigint; members: bigint; mine: bigint }>
  >`
    SELECT c.id,
      (SELECT count(*) FROM items i WHERE i.campaign_id = c.id) AS item_count,
      (SELECT count(*) FROM items i WHERE i.campaign_id = c.id AND i.is_gold) AS gold_count,
      (SELECT count(*) FROM items i WHERE i.campaign_id = c.id AND ${ITEM_COMPLETE}) AS items_complete,
      (SELECT count(*) FROM judgments j WHERE j.campaign_id = c.id AND j.source = 'human') AS human,
      (SELECT count(*) FROM judgments j WHERE j.campaign_id = c.id AND j.source = 'judge') AS judge,
      (SELECT count(*) FROM campaign_members m WHERE m.campaign_id = c.id) AS members,
      (SELECT count(*) FROM judgments j WHERE j.campaign_id = c.id AND j.user_id = ${userId ?? ""}) AS mine
    FROM campaigns c WHERE c.id = ANY(${campaignIds}::uuid[])`;
  return rows.map((row) => ({
    id: row.id,
    itemCount: Number(row.item_count),
    goldItemCount: Number(row.gold_count),
    itemsComplete: Number(row.items_complete),
    humanJudgments: Number(row.human),
    judgeJudgments: Number(row.judge),
    memberCount: Number(row.members),
    mine: Number(row.mine),
  }));
}
