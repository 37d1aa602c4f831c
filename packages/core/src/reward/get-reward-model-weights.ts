import { z } from "zod";
import { requireActor, type Actor } from "../access/actor.ts";
import { assertCampaignAccess } from "../access/campaign-access.ts";
import { AppError, parseInput } from "../errors.ts";
import { findRewardModelVersionHead, findRewardModelWeights } from "../store/reward-models.ts";
import { etagMatches } from "./etag-matches.ts";

/** `?version=N` of the weights route. */
export const RewardWeightsVersionParam = z.coerce.number().int().min(1).max(2_147_483_647);

export type RewardWeightsResult =
  { status: 200; body: Uint8Array; etag: string; version: number; immutable: boolean } | { status: 304; etag: string; version: number; immutable: boolean };

/**
 * The ARM1 weights of one version (`version`), or of the latest when none is named. A version's
 * bytes never change, so its ETag is the row's id and a versioned URL may be cached forever;
 * a matching If-None-Match answers 304 without reading the bytes.
 */
export async function getRewardModelWeights(options: {
  actor: Actor | null;
  campaignId: string;
  version?: string | null;
  ifNoneMatch?: string | null;
}): Promise<RewardWeightsResult> {
  const actor = requireActor(options.actor);
  const campaign = await assertCampaignAccess({ actor, campaignId: options.campaignId, mode: "read" });
  const wanted =
    options.version === undefined || options.version === null || options.version === ""
      ? null
      : parseInput(RewardWeightsVersionParam, options.version, "version");
  const head = await findRewardModelVersionHead(campaign.id, wanted);
  if (!head)
    throw new AppError("not_found", wanted === null ? "This campaign has no reward model yet." : `This campaign has no reward model version ${wanted}.`);
  const etag = `"rm-${head.id}"`;
  const immutable = wanted !== null;
  if (etagMatches(options.ifNoneMatch, etag)) return { status: 304, etag, version: head.version, immutable };
  const body = await findRewardModelWeights(head.id);
  return { status: 200, body, etag, version: head.version, immutable };
}
