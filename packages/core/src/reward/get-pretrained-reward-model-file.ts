import { createReadStream, statSync } from "node:fs";
import { Readable } from "node:stream";
import { requireActor, type Actor } from "../access/actor.ts";
import { assertCampaignAccess } from "../access/campaign-access.ts";
import type { CampaignConfig } from "../campaign-config/campaign-config.ts";
import { AppError } from "../errors.ts";
import { etagMatches } from "./etag-matches.ts";
import { locatePretrainedRewardModel, PRETRAINED_FILES, type PretrainedFileName } from "./locate-pretrained-reward-model.ts";

export type PretrainedFileResult =
  { status: 200; body: ReadableStream<Uint8Array>; etag: string; size: number; contentType: string } | { status: 304; etag: string };

/**
 * One file of the campaign's pretrained ONNX reward model folder, streamed (a model may be
 * hundreds of MB). Only the four known names are served. The ETag is derived from size and
 * modification time, so a replaced file is fetched again after revalidation.
 */
export async function getPretrainedRewardModelFile(options: {
  actor: Actor | null;
  campaignId: string;
  name: string;
  ifNoneMatch?: string | null;
}): Promise<PretrainedFileResult> {
  const actor = requireActor(options.actor);
  const campaign = await assertCampaignAccess({ actor, campaignId: options.campaignId, mode: "read" });
  if (!(PRETRAINED_FILES as readonly string[]).includes(options.name))
    throw new AppError("not_found", `No file ${options.name} in a reward model folder (${PRETRAINED_FILES.join(", ")}).`);
  const config = campaign.config as unknown as CampaignConfig;
  if (config.rewardModel?.kind !== "onnx") throw new AppError("not_found", "This campaign does not use a pretrained reward model.");
  const located = locatePretrainedRewardModel(config.rewardModel.path);
  const path = located.files[options.name as PretrainedFileName];
  if (!path) throw new AppError("not_found", `The reward model folder has no ${options.name}${located.problem ? ` (${located.problem})` : ""}.`);
  const stat = statSync(path);
  const etag = `"pt-${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}"`;
  if (etagMatches(options.ifNoneMatch, etag)) return { status: 304, etag };
  const body = Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>;
  const contentType = options.name.endsWith(".json") ? "application/json" : "application/octet-stream";
  return { status: 200, body, etag, size: stat.size, contentType };
}
