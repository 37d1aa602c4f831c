import { z } from "zod";
import { buildItem, describeIssues, describeJsonType, ExternalIdInput, extraFields, isPlainObject } from "./build-item.ts";
import { defaultResponseId } from "./item-ids.ts";
import type { MapOptions, MapOutcome, MediaRef } from "./types.ts";

/** An ImageReward test row: images and the human rank of each (1 is best; equal ranks are ties, gaps allowed). */
export const ImageRewardItemInput = z.looseObject({
  id: ExternalIdInput.optional(),
  prompt: z.string(),
  generations: z.array(z.string().trim().min(1, "an image path must not be empty")),
  ranking: z.array(z.number().int().min(1, "ranks start at 1")).nullish(),
});

const IMAGEREWARD_FIELDS = ["id", "prompt", "generations", "ranking"] as const;

function mediaUrl(path: string, baseUrl: string | undefined): string {
  if (baseUrl === undefined || /^[a-z][a-z0-9+.-]*:/i.test(path) || path.startsWith("/")) return path;
  return `${baseUrl.replace(/\/+$/, "")}/${path.replace(/^\.?\/+/, "")}`;
}

/** A Markdown image; characters that would end the link early are percent-encoded. */
export function markdownImage(alt: string, url: string): string {
  return `![${alt.replace(/[[\]]/g, "")}](${url.replace(/[\s()<>]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`)})`;
}

/**
 * A K-wise item whose responses are images. Each response's `content` is a Markdown image (so
 * judges, exports and text-only views still show something) and its `metadata.media` holds
 * `[{type: "image", url}]` for the UI, which shows a placeholder when the image cannot be
 * loaded (the ImageReward files ship without their images). `ranking` becomes the gold ranking:
 * responses grouped by rank, best first, equal ranks tied.
 */
export function mapImageRewardRecord(value: unknown, options: MapOptions): MapOutcome {
  if (!isPlainObject(value)) return { errors: [`expected a JSON object, found ${describeJsonType(value)}`] };
  const parsed = ImageRewardItemInput.safeParse(value);
  if (!parsed.success) return { errors: describeIssues(parsed.error.issues) };
  const { id, prompt, generations, ranking } = parsed.data;
  if (ranking && ranking.length !== generations.length) {
    return { errors: [`ranking has ${ranking.length} ranks for ${generations.length} generations`] };
  }
  const responses = generations.map((path, index) => {
    const responseId = defaultResponseId(index);
    const media: MediaRef = { type: "image", url: mediaUrl(path, options.mediaBaseUrl) };
    // The alt text names no response id: annotators see the responses as A, B, … in a shuffled order (the page names the image after that).
    return { id: responseId, content: markdownImage("generated image", media.url), metadata: { media: [media] } };
  });
  const ranks = ranking ? [...new Set(ranking)].sort((x, y) => x - y) : [];
  const gold = ranking ? { ranking: ranks.map((rank) => responses.filter((_, index) => ranking[index] === rank).map((response) => response.id)) } : undefined;
  return buildItem({ id, prompt, responses, gold, metadata: extraFields(value, IMAGEREWARD_FIELDS) });
}
