import { createHash } from "node:crypto";

/** `a`, `b`, …, `z`, `aa`, `ab`, …: response ids for sources that name none. */
export function defaultResponseId(index: number): string {
  let id = "";
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) id = String.fromCharCode(97 + ((n - 1) % 26)) + id;
  return id;
}

/** JSON with object keys sorted at every level, so equal values always serialize the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => {
    if (inner === null || typeof inner !== "object" || Array.isArray(inner)) return inner;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(inner).sort()) sorted[key] = (inner as Record<string, unknown>)[key];
    return sorted;
  });
}

export interface HashedContent {
  prompt?: string;
  messages?: unknown;
  media?: unknown;
  responses: { content: string; model?: string }[];
}

/** Hex SHA-256 of an item's content: prompt, messages, media and the responses' text and models, in source order. */
export function contentDigest(content: HashedContent): string {
  const { prompt, messages, media, responses } = content;
  const hashed = {
    prompt: prompt ?? null,
    messages: messages ?? null,
    media: media ?? null,
    responses: responses.map(({ content: text, model }) => [text, model ?? null]),
  };
  return createHash("sha256").update(canonicalJson(hashed)).digest("hex");
}

/**
 * The id of an item whose source gives none: `h-` and the first 16 hex digits (64 bits) of
 * `contentDigest`. Stable across re-imports and formats: the same prompt and responses get the
 * same id, so a repeated item is caught as a duplicate.
 */
export function contentHashId(digest: string): string {
  return `h-${digest.slice(0, 16)}`;
}
