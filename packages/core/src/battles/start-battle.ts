import { randomUUID } from "node:crypto";
import { z } from "zod";
import { requireActor, type Actor } from "../access/actor.ts";
import { assertCampaignAnnotatable } from "../access/campaign-access.ts";
import type { CampaignConfig } from "../campaign-config/campaign-config.ts";
import { battleSize } from "../campaign-config/live-config.ts";
import { AppError, parseInput } from "../errors.ts";
import { memberLeaseLockPrelude } from "../store/assignments.ts";
import { countBattlesSince, insertBattle, pickPoolPrompt } from "../store/battles.ts";
import { db, inTransaction } from "../store/transaction.ts";
import { openLiveBattle } from "./battle-hub.ts";
import { generateBattle, recentlyFailedContestants } from "./generate-battle.ts";
import { pickContestants } from "./pick-contestants.ts";

const noNul = (text: string) => !text.includes("\u0000");

export const BattleMessage = z
  .object({
    role: z.enum(["system", "user", "assistant"]),
    content: z.string().refine(noNul, "no NUL characters"),
  })
  .strict();

/** `{prompt}`, `{messages}` (a conversation ending with the user's turn), or `{}` for a prompt from the campaign's pool. */
export const StartBattleInput = z
  .object({
    prompt: z.string().refine(noNul, "no NUL characters").optional(),
    messages: z.array(BattleMessage).min(1).max(100).optional(),
  })
  .strict()
  .refine((input) => input.prompt === undefined || input.messages === undefined, { message: "send a prompt or messages, not both" });

export interface StartedBattle {
  battleId: string;
  assignmentId: string;
  candidates: Array<{ id: string }>;
}

/**
 * Starts a live battle for an annotator: the prompt (theirs, or one from the campaign's items
 * when `promptSource` allows), K contestants by matchmaking, and their answers generated in
 * the background (followed with `streamBattle`). Limits: prompt length (422), battles per
 * minute per annotator (429); the count and the new battle share the member's lock, so two
 * tabs cannot both slip under the limit.
 */
export async function startBattle(options: { actor: Actor | null; campaignId: string; input: unknown; random?: () => number }): Promise<StartedBattle> {
  const actor = requireActor(options.actor);
  const campaign = await assertCampaignAnnotatable(db(), actor, options.campaignId);
  if (actor.role !== "annotator" && actor.role !== "admin") throw new AppError("forbidden", "Only annotators can start battles.");
  const config = campaign.config as CampaignConfig;
  const live = config.live;
  if (!live?.enabled || campaign.taskType === "rationale") throw new AppError("not_found", "This campaign has no live battles.");
  if (campaign.status !== "active") throw new AppError("conflict", `This campaign is ${campaign.status}; no battles are started.`);
  const input = parseInput(StartBattleInput, options.input ?? {}, "battle");
  const random = options.random ?? Math.random;

  const free = input.prompt !== undefined || input.messages !== undefined;
  if (free && live.promptSource === "pool")
    throw new AppError("unprocessable", "This campaign takes prompts from its pool only; send {} for one.", {
      details: [{ path: "prompt", message: "free prompts are off" }],
    });
  if (!free && live.promptSource === "annotator")
    throw new AppError("unprocessable", "Write a prompt: this campaign has no prompt pool.", {
      details: [{ path: "prompt", message: "a prompt is required" }],
    });
  if (free) checkPrompt(input, live.maxPromptChars);

  const k = battleSize(campaign.taskType, live, config.k);
  const started = await inTransaction(
    async (tx) => {
      const recent = await countBattlesSince(tx, campaign.id, actor.userId, new Date(Date.now() - 60_000));
      if (recent >= live.battlesPerMinute) {
        throw new AppError("rate_limited", `At most ${live.battlesPerMinute} battles a minute; wait a moment.`, { headers: { "retry-after": "60" } });
      }
      let prompt: string | null = input.prompt?.trim() ?? null;
      let messages = input.messages ?? (prompt === null ? null : [{ role: "user" as const, content: prompt }]);
      if (!messages) {
        const pooled = await pickPoolPrompt(tx, campaign.id, random());
        if (!pooled) throw new AppError("unprocessable", "This campaign's prompt pool is empty.", { details: [{ path: "prompt", message: "no pool prompt" }] });
        prompt = pooled.prompt;
        messages = pooled.prompt !== null ? [{ role: "user", content: pooled.prompt }] : (pooled.messages as Array<{ role: "user"; content: string }>);
      }
      if (input.messages) prompt = null;
      const contestants = await pickContestants(tx, {
        campaignId: campaign.id,
        contestants: live.contestants,
        k,
        avoid: recentlyFailedContestants(campaign.id),
        random,
      });
      const runs = contestants.map((contestant) => ({ candidateId: randomUUID(), contestant }));
      const battle = await insertBattle(tx, {
        campaignId: campaign.id,
        userId: actor.userId,
        prompt,
        messages,
        contestants: runs.map((r) => ({ candidateId: r.candidateId, name: r.contestant.name })),
        continuesId: null,
      });
      return { ...battle, runs, messages };
    },
    { prelude: memberLeaseLockPrelude(campaign.id, actor.userId) },
  );

  openLiveBattle(
    started.id,
    actor.userId,
    started.runs.map((r) => r.candidateId),
  );
  void generateBattle({
    battleId: started.id,
    assignmentId: started.assignmentId,
    campaignId: campaign.id,
    messages: started.messages,
    runs: started.runs,
    leaseMinutes: config.leaseMinutes,
    flagIdentity: live.flagIdentity,
  }).catch((error: unknown) => console.error("[arbiter] battle generation crashed", error));
  return { battleId: started.id, assignmentId: started.assignmentId, candidates: started.runs.map((r) => ({ id: r.candidateId })) };
}

function checkPrompt(input: z.infer<typeof StartBattleInput>, maxChars: number): void {
  const userText = input.prompt ?? (input.messages ?? []).map((m) => m.content).join("");
  const last = input.messages?.at(-1);
  if (last && last.role !== "user")
    throw new AppError("unprocessable", "The conversation must end with your message.", {
      details: [{ path: "messages", message: "the last message is not the user's" }],
    });
  const latest = input.prompt ?? last?.content ?? "";
  if (latest.trim() === "") throw new AppError("unprocessable", "The prompt is empty.", { details: [{ path: "prompt", message: "empty prompt" }] });
  if (userText.length > maxChars)
    throw new AppError("unprocessable", `The prompt is too long: ${userText.length} characters, at most ${maxChars}.`, {
      details: [{ path: input.prompt !== undefined ? "prompt" : "messages", message: `at most ${maxChars} characters` }],
    });
}
