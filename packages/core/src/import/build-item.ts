import { z } from "zod";
import { contentDigest, contentHashId, defaultResponseId } from "./item-ids.ts";
import type { ChatMessage, ItemGold, MapOutcome, MediaRef, NormalizedItem, NormalizedResponse } from "./types.ts";

/** An item or response id: a non-empty string, or an integer (kept as its decimal text). */
export const ExternalIdInput = z.union([z.string().trim().min(1, "must not be empty").max(256), z.number().int().nonnegative()]).transform(String);

export const ChatMessageInput = z.object({ role: z.string().trim().min(1).max(32), content: z.string() });

/** A conversation, as a list of `{role, content}` turns. */
export const ChatMessagesInput = z.array(ChatMessageInput);

export const MediaRefInput = z.object({ type: z.enum(["image", "audio", "video"]), url: z.string().trim().min(1), alt: z.string().optional() }).strict();

export const MetadataInput = z.record(z.string(), z.unknown());

function issuePath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => (typeof key === "number" ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)), "");
}

/** zod issues as short sentences with the path of the field: `responses[1].content: expected string, received number`. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => {
    const path = issuePath(issue.path);
    const where = path ? `${path}: ` : "";
    if (issue.code === "unrecognized_keys") {
      return `${where}unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((key) => `"${key}"`).join(", ")} (put extra data under "metadata")`;
    }
    if (issue.code === "invalid_type" && issue.message.endsWith("received undefined")) return `${path || "value"} is required`;
    return `${where}${issue.message.replace(/^Invalid input: /, "")}`;
  });
}

/** The keys of a record that a format does not use; they are kept as item metadata. */
export function extraFields(record: Record<string, unknown>, known: readonly string[]): Record<string, unknown> | undefined {
  const extra = Object.entries(record).filter(([key]) => !known.includes(key));
  return extra.length > 0 ? Object.fromEntries(extra) : undefined;
}

export const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

export const describeJsonType = (value: unknown) => (value === null ? "null" : Array.isArray(value) ? "an array" : `a ${typeof value}`);

export interface ItemDraft {
  id?: string;
  prompt?: string | null;
  messages?: ChatMessage[] | null;
  media?: MediaRef[] | null;
  metadata?: Record<string, unknown> | null;
  gold?: unknown;
  responses: { id?: string; content: string; model?: string | null; metadata?: Record<string, unknown> | null }[];
  /** When the format already hashed the content (to order responses), the same digest. */
  digest?: string;
}

/** `Item.gold` as a source gives it; `checkGold` then holds it against the item's response ids. */
export const GoldInput = z.union([
  z.object({ winner: ExternalIdInput }).strict(),
  z.object({ ranking: z.array(z.array(ExternalIdInput).min(1)).min(1) }).strict(),
]);

function checkGold(gold: unknown, responseIds: readonly string[]): { gold?: ItemGold; errors: string[] } {
  if (gold === undefined || gold === null) return { errors: [] };
  const ids = new Set(responseIds);
  const shape = GoldInput.safeParse(gold);
  if (!shape.success) return { errors: ['gold must be {"winner": responseId} or {"ranking": [[id], [id, id], …]} (best first, inner lists are ties)'] };
  if ("winner" in shape.data) {
    const { winner } = shape.data;
    return ids.has(winner)
      ? { gold: { winner }, errors: [] }
      : { errors: [`gold.winner "${winner}" is not one of the response ids (${responseIds.join(", ")})`] };
  }
  const { ranking } = shape.data;
  const seen = new Set<string>();
  const errors: string[] = [];
  for (const id of ranking.flat()) {
    if (!ids.has(id)) errors.push(`gold.ranking names "${id}", which is not one of the response ids (${responseIds.join(", ")})`);
    else if (seen.has(id)) errors.push(`gold.ranking names "${id}" twice`);
    seen.add(id);
  }
  const missing = responseIds.filter((id) => !seen.has(id));
  if (missing.length > 0) errors.push(`gold.ranking must rank every response; missing ${missing.map((id) => `"${id}"`).join(", ")}`);
  return errors.length > 0 ? { errors } : { gold: { ranking }, errors: [] };
}

/** Deepest nesting accepted in metadata (deeper JSON overflows the serializer's stack). */
export const MAX_METADATA_DEPTH = 64;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * What PostgreSQL cannot store, as line errors instead of a failed insert: a NUL character in any
 * text, metadata nested deeper than MAX_METADATA_DEPTH. (Unpaired surrogates are replaced with
 * U+FFFD by `wellFormed`, as the driver already does for text columns.)
 */
function unstorable(value: unknown, path: string, depth = 0, errors: string[] = []): string[] {
  if (errors.length >= 5) return errors;
  if (typeof value === "string") {
    if (value.includes("\u0000")) errors.push(`${path} contains a NUL character (\\u0000), which cannot be stored`);
  } else if (value !== null && typeof value === "object") {
    if (depth >= MAX_METADATA_DEPTH) errors.push(`${path} is nested more than ${MAX_METADATA_DEPTH} levels deep`);
    else
      for (const [key, inner] of Object.entries(value)) {
        if (key.includes("\u0000")) errors.push(`${path} has a key with a NUL character (\\u0000), which cannot be stored`);
        unstorable(inner, Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}`, depth + 1, errors);
      }
  }
  return errors;
}

/** The same value with every unpaired UTF-16 surrogate replaced by U+FFFD (JSON columns refuse them). */
function wellFormed<T>(value: T): T {
  if (typeof value === "string") return value.replace(LONE_SURROGATE, "\ufffd") as T;
  if (Array.isArray(value)) return value.map(wellFormed) as T;
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [wellFormed(k), wellFormed(v)])) as T;
  return value;
}

/**
 * The checks every format shares, and the finished item: text to show (a prompt or messages), at
 * least two responses with distinct ids (`a`, `b`, … where the source names none), gold that
 * names those ids, and an external id (the source's, else `contentHashId`).
 */
export function buildItem(draft: ItemDraft): MapOutcome {
  const errors: string[] = [];
  const prompt = draft.prompt?.trim() ? draft.prompt : undefined;
  const messages = draft.messages && draft.messages.length > 0 ? draft.messages : undefined;
  if (prompt === undefined && messages === undefined) errors.push("the prompt is empty and there are no messages");
  if (draft.responses.length < 2) {
    errors.push(`an item needs at least two responses; found ${draft.responses.length}`);
  }
  const responses: NormalizedResponse[] = draft.responses.map((response, index) => ({
    externalId: response.id ?? defaultResponseId(index),
    content: response.content,
    ...(response.model ? { model: response.model } : {}),
    ...(response.metadata ? { metadata: response.metadata } : {}),
  }));
  const responseIds = responses.map((response) => response.externalId);
  const repeated = responseIds.filter((id, index) => responseIds.indexOf(id) !== index);
  if (repeated.length > 0) errors.push(`response ids must be distinct; repeated: ${[...new Set(repeated)].map((id) => `"${id}"`).join(", ")}`);
  const gold = checkGold(draft.gold, responseIds);
  errors.push(...gold.errors);
  if (errors.length > 0) return { errors };

  const media = draft.media && draft.media.length > 0 ? draft.media : undefined;
  const metadata = draft.metadata && Object.keys(draft.metadata).length > 0 ? draft.metadata : undefined;
  const stored = unstorable({ id: draft.id, prompt, messages, media, metadata, responses }, "item");
  if (stored.length > 0) return { errors: stored.map((e) => e.replace(/^item\./, "")) };
  const externalId = draft.id ?? contentHashId(draft.digest ?? contentDigest({ prompt, messages, media, responses }));
  const item: NormalizedItem = {
    externalId,
    ...(prompt !== undefined ? { prompt } : {}),
    ...(messages ? { messages } : {}),
    ...(media ? { media } : {}),
    ...(metadata ? { metadata } : {}),
    ...(gold.gold ? { gold: gold.gold } : {}),
    responses,
  };
  return { item: wellFormed(item) };
}
