import type { Campaign } from "@arbiter/db";
import type { Actor } from "../access/actor.ts";
import { AppError } from "../errors.ts";
import { ANNOTATOR_PSEUDONYM, pseudonymizeAnnotator } from "../export/pseudonymize-annotator.ts";
import { findJudgingUserIds } from "../store/judgments.ts";

/**
 * The user ids an `annotatorId` filter (judgment list, export) names. Anyone may filter by the
 * campaign's pseudonym (`ann-…`, as judgments, stats and exports show it); only admins by a user
 * id: a researcher who could would learn which pseudonym a user id has, and through it link the
 * same person's pseudonyms across campaigns.
 */
export async function resolveAnnotatorFilter(options: {
  actor: Actor;
  campaign: Pick<Campaign, "id" | "pseudonymSalt">;
  annotatorId: string;
}): Promise<string[]> {
  const { actor, campaign, annotatorId } = options;
  if (!ANNOTATOR_PSEUDONYM.test(annotatorId)) {
    if (actor.role === "admin") return [annotatorId];
    const message = "annotatorId must be an annotator pseudonym (ann- and 12 hex digits), as judgments, stats and exports show it";
    throw new AppError("unprocessable", `Invalid query: annotatorId: ${message}`, { details: [{ path: "annotatorId", message }] });
  }
  const userIds = await findJudgingUserIds(campaign.id);
  return userIds.filter((id) => pseudonymizeAnnotator(id, campaign.pseudonymSalt) === annotatorId);
}
