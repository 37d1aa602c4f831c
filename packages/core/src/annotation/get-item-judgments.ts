import { z } from "zod";
import { requireRole, type Actor } from "../access/actor.ts";
import { assertCampaignAccess } from "../access/campaign-access.ts";
import { AppError, parseInput } from "../errors.ts";
import { pseudonymizeAnnotator } from "../export/pseudonymize-annotator.ts";
import { findItemWithJudgments, ITEM_PAGE_JUDGMENT_LIMIT } from "../store/judgments.ts";
import { describeSeenVerdict, seenLetters } from "./seen-labels.ts";

const ItemKey = z.string().min(1).max(1000);

/** A response as it was shown in one judgment: its letter there and its imported id. */
export interface SeenResponse {
  letter: string;
  responseId: string;
}

export interface ItemJudgmentView {
  id: string;
  source: string;
  /** The campaign's pseudonym (`ann-…`, as in the judgment list, stats and exports); null for machine judgments. */
  annotatorId: string | null;
  /** Admins only. */
  annotatorUserId?: string;
  annotatorEmail?: string;
  judgeModel: string | null;
  promptVersion: string | null;
  /** The responses in the order this annotator (or judge call) saw them, lettered A, B, … */
  seenOrder: SeenResponse[];
  /** The verdict in the letters this annotator saw: "B wins (strength 2)", "C > A = B", "tie". */
  verdictAsSeen: string;
  verdict: string;
  /** Imported response ids. */
  winner: string | null;
  ranking: string[][] | null;
  strength: number | null;
  confidence: number | null;
  rationale: string | null;
  /** {imported response id: {attribute: rating}} */
  attributes: Record<string, Record<string, number>> | null;
  /** Tagged spans with the text they cover. */
  spans: Array<{ responseId: string; letter: string | null; start: number; end: number; label: string; note: string | null; text: string }>;
  timeMs: number | null;
  isGold: boolean;
  goldCorrect: boolean | null;
  /** The reward-model hint as the page reported it ({shown, changedMind?, modelVersion?, agreed?}); null when the page sent none. */
  hint: { shown: boolean; changedMind?: boolean; modelVersion?: number; agreed?: boolean; source?: "reward-model" | "judge" } | null;
  hintCondition: string | null;
  /** What the hint was under that arm: "reward-model" or "judge" (null when not recorded). */
  hintSource: string | null;
  /** Judge bookkeeping (order consistency, latency, labels); null for human judgments. */
  judgeMeta: { orderConsistent: boolean | null; latencyMs: number | null; rationaleLabels: unknown } | null;
  createdAt: string;
}

export interface ItemJudgmentsView {
  campaignId: string;
  item: {
    id: string;
    prompt: string | null;
    messages: Array<{ role: string; content: string }> | null;
    media: unknown;
    metadata: unknown;
    isGold: boolean;
    /** Gold in imported ids: {winner} or {ranking}. */
    gold: unknown;
    humanTarget: number | null;
    humanCount: number;
    routing: string;
    createdAt: string;
  };
  responses: Array<{ id: string; model: string | null; content: string; metadata: unknown }>;
  judgments: ItemJudgmentView[];
  skips: Array<{ annotatorId: string; reason: string | null; at: string | null; seenOrder: SeenResponse[] }>;
  /** More judgments or skips than the page holds (ITEM_PAGE_JUDGMENT_LIMIT). */
  truncated: boolean;
}

interface StoredSpan {
  candidateId?: string;
  start?: number;
  end?: number;
  label?: string;
  note?: string;
}

/**
 * A researcher's drill-down into one item (admins, researchers of the campaign; annotators never):
 * its prompt and responses, every judgment with the order that annotator saw, rationale, spans,
 * attributes, hint, and judge verdicts. Annotators are the campaign's pseudonyms, as in the
 * judgment list, stats and exports; admins also get the user id and e-mail. `itemId` is the id
 * the item was imported with.
 */
export async function getItemJudgments(options: { actor: Actor | null; campaignId: string; itemId: unknown }): Promise<ItemJudgmentsView> {
  const actor = requireRole(options.actor, "admin", "researcher");
  const campaign = await assertCampaignAccess({ actor, campaignId: options.campaignId, mode: "read" });
  const itemId = parseInput(ItemKey, options.itemId, "item id");
  const found = await findItemWithJudgments(campaign.id, itemId);
  if (!found) throw new AppError("not_found", "This campaign has no item with that id.");
  const { item, judgments, skips } = found;

  const external = new Map(item.responses.map((r) => [r.id, r.externalId]));
  const content = new Map(item.responses.map((r) => [r.id, r.content]));
  const toExt = (id: string) => external.get(id) ?? id;
  const importOrder = item.responses.map((r) => r.id);
  const pseudonyms = new Map<string, string>();
  const pseudonym = (userId: string) => {
    let value = pseudonyms.get(userId);
    if (value === undefined) pseudonyms.set(userId, (value = pseudonymizeAnnotator(userId, campaign.pseudonymSalt)));
    return value;
  };
  const seenOrder = (order: readonly string[]) => {
    const letters = seenLetters(order, importOrder);
    return { letters, list: [...letters].map(([id, letter]) => ({ letter, responseId: toExt(id) })) };
  };

  return {
    campaignId: campaign.id,
    item: {
      id: item.externalId,
      prompt: item.prompt,
      messages: (item.messages as ItemJudgmentsView["item"]["messages"]) ?? null,
      media: item.media ?? null,
      metadata: item.metadata ?? null,
      isGold: item.isGold,
      gold: item.gold ?? null,
      humanTarget: item.humanTarget,
      humanCount: item.humanCount,
      routing: item.routing,
      createdAt: item.createdAt.toISOString(),
    },
    responses: item.responses.map((r) => ({ id: r.externalId, model: r.model, content: r.content, metadata: r.metadata ?? null })),
    judgments: judgments.map((j): ItemJudgmentView => {
      const seen = seenOrder(j.presentedOrder);
      const ranking = (j.ranking as string[][] | null) ?? null;
      const meta = (j.meta as Record<string, unknown> | null) ?? {};
      const attributes = j.attributes as Record<string, Record<string, number>> | null;
      return {
        id: j.id,
        source: j.source,
        annotatorId: j.userId ? pseudonym(j.userId) : null,
        ...(actor.role === "admin" && j.userId ? { annotatorUserId: j.userId, ...(j.user ? { annotatorEmail: j.user.email } : {}) } : {}),
        judgeModel: j.judgeModel,
        promptVersion: j.promptVersion,
        seenOrder: seen.list,
        verdictAsSeen: describeSeenVerdict({ verdict: j.verdict, winner: j.winnerId, ranking, strength: j.strength }, seen.letters),
        verdict: j.verdict,
        winner: j.winnerId ? toExt(j.winnerId) : null,
        ranking: ranking?.map((tier) => tier.map(toExt)) ?? null,
        strength: j.strength,
        confidence: j.confidence,
        rationale: j.rationale,
        attributes: attributes ? Object.fromEntries(Object.entries(attributes).map(([id, ratings]) => [toExt(id), ratings])) : null,
        spans: ((j.spans as StoredSpan[] | null) ?? []).map((s) => {
          const start = s.start ?? 0;
          const end = s.end ?? start;
          const id = s.candidateId ?? "";
          return {
            responseId: toExt(id),
            letter: seen.letters.get(id) ?? null,
            start,
            end,
            label: s.label ?? "",
            note: s.note ?? null,
            text: (content.get(id) ?? "").slice(start, end),
          };
        }),
        timeMs: j.timeMs,
        isGold: j.isGold,
        goldCorrect: j.goldCorrect,
        hint:
          (meta.hint as ItemJudgmentView["hint"]) ??
          (j.hintShown === null ? null : { shown: j.hintShown, ...(j.hintChangedMind === null ? {} : { changedMind: j.hintChangedMind }) }),
        hintCondition: typeof meta.hintCondition === "string" ? meta.hintCondition : null,
        hintSource: typeof meta.hintSource === "string" ? meta.hintSource : null,
        judgeMeta:
          j.source === "human"
            ? null
            : {
                orderConsistent: typeof meta.orderConsistent === "boolean" ? meta.orderConsistent : null,
                latencyMs: typeof meta.latencyMs === "number" ? meta.latencyMs : null,
                rationaleLabels: meta.rationaleLabels ?? null,
              },
        createdAt: j.createdAt.toISOString(),
      };
    }),
    skips: skips.map((s) => ({
      annotatorId: pseudonym(s.userId),
      reason: s.skipReason,
      at: s.completedAt?.toISOString() ?? null,
      seenOrder: seenOrder(s.candidateOrder).list,
    })),
    truncated: judgments.length >= ITEM_PAGE_JUDGMENT_LIMIT || skips.length >= ITEM_PAGE_JUDGMENT_LIMIT,
  };
}
