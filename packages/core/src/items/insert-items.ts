import { randomUUID } from "node:crypto";
import type { Prisma } from "@arbiter/db";

export interface NewItem {
  externalId: string;
  prompt?: string | null;
  messages?: Array<{ role: string; content: string }> | null;
  media?: unknown;
  metadata?: Record<string, unknown> | null;
  gold?: { winner: string } | { ranking: string[][] } | null;
  responses: Array<{ externalId: string; content: string; model?: string | null; metadata?: Record<string, unknown> | null }>;
}

/**
 * Inserts a batch of validated items and their responses inside the caller's transaction.
 * Positions continue after `startPosition`, so import order is the default task order.
 */
export async function insertItemBatch(tx: Prisma.TransactionClient, campaignId: string, items: NewItem[], startPosition: number): Promise<number> {
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
      isGold: Boolean(item.gold),
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
