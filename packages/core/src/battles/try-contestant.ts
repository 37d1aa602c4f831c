import { z } from "zod";
import { requireRole, type Actor } from "../access/actor.ts";
import { assertCampaignAccess } from "../access/campaign-access.ts";
import { LiveContestant } from "../campaign-config/live-config.ts";
import { parseInput } from "../errors.ts";
import { ContestantFailure, streamContestant } from "./generate-battle.ts";
import type { CampaignConfig } from "../campaign-config/campaign-config.ts";
import { assertLiveConfigAllowed, contestantWithStoredCredentials } from "./vet-live-config.ts";

export const TryContestantInput = z
  .object({
    contestant: LiveContestant,
    prompt: z.string().trim().min(1).max(4_000).default("Say hello in one short sentence."),
  })
  .strict();

export type ContestantTestResult =
  | {
      ok: true;
      content: string;
      finishReason: string;
      latencyMs: number;
      firstTokenMs: number | null;
      promptTokens: number | null;
      completionTokens: number | null;
    }
  | { ok: false; code: string; message: string };

/**
 * "Send a test prompt" (admins): one streamed answer from a contestant as it would be asked in a
 * battle — same host rules, key by reference, timeout and token limit — before it is saved.
 * Nothing is stored; a failure is the answer (`ok: false` with its code), not an error status.
 */
export async function tryContestant(options: { actor: Actor | null; campaignId: string; input: unknown }): Promise<ContestantTestResult> {
  const actor = requireRole(options.actor, "admin");
  const campaign = await assertCampaignAccess({ actor, campaignId: options.campaignId, mode: "manage" });
  const input = parseInput(TryContestantInput, options.input, "contestant test");
  // A saved contestant sent back as read (its base URL redacted) is tested with its stored URL.
  const contestant = contestantWithStoredCredentials(input.contestant, (campaign.config as unknown as CampaignConfig).live);
  await assertLiveConfigAllowed({
    enabled: true,
    promptSource: "annotator",
    maxPromptChars: 4000,
    battlesPerMinute: 1,
    flagIdentity: true,
    contestants: [contestant, { ...contestant, name: `${contestant.name} (test)` }],
  });
  try {
    const answer = await streamContestant(
      { campaignId: campaign.id, messages: [{ role: "user", content: input.prompt }] },
      contestant,
      new AbortController().signal,
      () => undefined,
    );
    return { ok: true, ...answer };
  } catch (error) {
    if (error instanceof ContestantFailure) return { ok: false, code: error.code, message: error.message };
    throw error;
  }
}
