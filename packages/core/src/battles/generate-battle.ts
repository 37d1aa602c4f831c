import { createConcurrencyLimiter, type ConcurrencyLimiter } from "@arbiter/judge";
import { isOutboundError, redactUrl, sendOutboundRequest } from "@arbiter/outbound";
import type { LiveContestant } from "../campaign-config/live-config.ts";
import { getOutboundPolicy } from "../outbound/outbound-policy.ts";
import { JudgeKeyError, resolveJudgeApiKey } from "../llm-judge/resolve-judge-api-key.ts";
import { insertBattleItem, lockGeneratingBattle, voidBattle } from "../store/battles.ts";
import { db, inTransaction } from "../store/transaction.ts";
import { publishBattleEvent } from "./battle-hub.ts";
import { ChatStreamError, createChatStreamReader } from "./chat-stream.ts";
import { detectIdentityLeaks } from "./detect-identity-leak.ts";

export interface BattleRun {
  battleId: string;
  assignmentId: string;
  campaignId: string;
  messages: Array<{ role: string; content: string }>;
  /** In display order. */
  runs: Array<{ candidateId: string; contestant: LiveContestant }>;
  leaseMinutes: number;
  flagIdentity: boolean;
}

export interface ContestantAnswer {
  content: string;
  finishReason: string;
  promptTokens: number | null;
  completionTokens: number | null;
  firstTokenMs: number | null;
  latencyMs: number;
}

export class ContestantFailure extends Error {
  override readonly name = "ContestantFailure";
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** One limiter per contestant endpoint and model in this process: `maxConcurrency` answers at once, the rest wait their turn. */
const limiters = new Map<string, ConcurrencyLimiter>();
function limiterFor(contestant: LiveContestant): ConcurrencyLimiter {
  const key = `${contestant.baseUrl}\u0000${contestant.model}\u0000${contestant.maxConcurrency}`;
  let limiter = limiters.get(key);
  if (!limiter) {
    limiter = createConcurrencyLimiter(contestant.maxConcurrency);
    limiters.set(key, limiter);
  }
  return limiter;
}

/** Contestants that recently failed, per campaign: matchmaking gives the retry another pair. */
const recentFailures = new Map<string, number>();
const FAILURE_MEMORY_MS = 2 * 60_000;
export function recentlyFailedContestants(campaignId: string, now = Date.now()): Set<string> {
  const names = new Set<string>();
  for (const [key, at] of recentFailures) {
    if (now - at > FAILURE_MEMORY_MS) recentFailures.delete(key);
    else if (key.startsWith(`${campaignId}\u0000`)) names.add(key.slice(campaignId.length + 1));
  }
  return names;
}

function chatUrl(baseUrl: string): string {
  const url = new URL(baseUrl);
  url.pathname = `${url.pathname.replace(/\/+$/, "")}/chat/completions`;
  url.hash = "";
  return url.href;
}

/** Streams one contestant's answer, handing each delta over as it arrives; throws ContestantFailure. */
export async function streamContestant(
  run: { campaignId: string; messages: Array<{ role: string; content: string }> },
  contestant: LiveContestant,
  signal: AbortSignal,
  onDelta: (text: string) => void,
): Promise<ContestantAnswer> {
  let apiKey: string | undefined;
  try {
    apiKey = await resolveJudgeApiKey({
      campaignId: run.campaignId,
      ref: contestant.apiKeyRef,
      baseUrl: contestant.baseUrl,
      savedJudge: contestant,
      holder: "contestant",
    });
  } catch (error) {
    if (error instanceof JudgeKeyError) throw new ContestantFailure(error.code, error.message);
    throw error;
  }
  return limiterFor(contestant).run(async () => {
    const reader = createChatStreamReader();
    let content = "";
    let finishReason: string | null = null;
    let usage: { promptTokens: number; completionTokens: number } | null = null;
    let firstTokenMs: number | null = null;
    let sawDone = false;
    const started = Date.now();
    const label = `${contestant.model} at ${redactUrl(contestant.baseUrl)}`;
    try {
      const answer = await sendOutboundRequest({
        url: chatUrl(contestant.baseUrl),
        method: "POST",
        policy: getOutboundPolicy(),
        timeoutMs: contestant.timeoutMs,
        signal,
        headers: {
          "content-type": "application/json",
          accept: "text/event-stream",
          ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
        },
        body: JSON.stringify({
          model: contestant.model,
          messages: run.messages,
          stream: true,
          stream_options: { include_usage: true },
          max_tokens: contestant.maxOutputTokens,
          ...(contestant.temperature === null ? {} : { temperature: contestant.temperature }),
        }),
        onChunk: (chunk) => {
          const update = reader.push(chunk);
          if (update.text) {
            firstTokenMs ??= Date.now() - started;
            content += update.text;
            onDelta(update.text);
          }
          finishReason = update.finishReason ?? finishReason;
          usage = update.usage ?? usage;
          sawDone ||= update.done;
        },
      });
      if (answer.status < 200 || answer.status >= 300) throw new ContestantFailure("upstream_status", `${label} answered ${answer.status}`);
    } catch (error) {
      if (error instanceof ContestantFailure) throw error;
      if (error instanceof ChatStreamError) throw new ContestantFailure("bad_stream", `${label}: ${error.message}`);
      if (isOutboundError(error)) {
        if (error.code === "timeout") throw new ContestantFailure("timeout", `${label} did not finish within ${contestant.timeoutMs} ms`);
        throw new ContestantFailure(error.code, error.message);
      }
      throw error;
    }
    if (!sawDone && finishReason === null) throw new ContestantFailure("incomplete", `${label}: the answer ended before it was complete`);
    const stats = usage as { promptTokens: number; completionTokens: number } | null;
    return {
      content,
      finishReason: finishReason ?? "stop",
      promptTokens: stats?.promptTokens ?? null,
      completionTokens: stats?.completionTokens ?? null,
      firstTokenMs,
      latencyMs: Date.now() - started,
    };
  }, signal);
}

/**
 * Generates a battle: every contestant streams at once; the first failure (an error status, a
 * broken stream, the contestant's timeout) voids the battle and stops the others. When all have
 * finished, answers that give their model away are flagged and the battle becomes an item with
 * the annotator's lease in one transaction — before that nothing of it counts anywhere.
 */
export async function generateBattle(run: BattleRun): Promise<"ready" | "void"> {
  const controller = new AbortController();
  let failure: { candidateId: string; name: string; error: ContestantFailure } | null = null;
  const answers = await Promise.all(
    run.runs.map(async ({ candidateId, contestant }) => {
      try {
        const answer = await streamContestant(run, contestant, controller.signal, (text) =>
          publishBattleEvent(run.battleId, { event: "delta", data: { candidateId, text } }),
        );
        publishBattleEvent(run.battleId, { event: "done", data: { candidateId, finishReason: answer.finishReason } });
        return answer;
      } catch (error) {
        if (!failure) {
          const known = error instanceof ContestantFailure ? error : new ContestantFailure("internal", "the contestant's answer failed");
          if (!(error instanceof ContestantFailure)) console.error("[arbiter] battle generation failed", error);
          failure = { candidateId, name: contestant.name, error: known };
          controller.abort(known);
        }
        return null;
      }
    }),
  );
  const failed = failure as { candidateId: string; name: string; error: ContestantFailure } | null;
  if (failed) {
    recentFailures.set(`${run.campaignId}\u0000${failed.name}`, Date.now());
    const message = `One of the models failed (${failed.error.code}), so this battle does not count. Start another one.`;
    await voidBattle(db(), run.battleId, `${failed.error.code}: ${failed.error.message}`).catch((error: unknown) =>
      console.error("[arbiter] could not mark a battle void", error),
    );
    publishBattleEvent(run.battleId, { event: "error", data: { candidateId: failed.candidateId, code: failed.error.code, message } });
    return "void";
  }
  const complete = answers as ContestantAnswer[];
  const leaks = run.flagIdentity
    ? detectIdentityLeaks(
        run.runs.map(({ candidateId, contestant }, index) => ({
          candidateId,
          content: complete[index]!.content,
          name: contestant.name,
          model: contestant.model,
        })),
      )
    : [];
  try {
    const stored = await inTransaction(async (tx) => {
      const battle = await lockGeneratingBattle(tx, run.battleId);
      if (!battle) return false;
      await insertBattleItem(tx, {
        battle,
        leaseExpiresAt: new Date(Date.now() + run.leaseMinutes * 60_000),
        itemMetadata: { source: "live_battle", battleId: run.battleId, flagged: leaks.length > 0 },
        flagReasons: leaks,
        responses: run.runs.map(({ candidateId, contestant }, index) => {
          const answer = complete[index]!;
          return {
            candidateId,
            content: answer.content,
            model: contestant.name,
            metadata: {
              endpointModel: contestant.model,
              latencyMs: answer.latencyMs,
              firstTokenMs: answer.firstTokenMs,
              promptTokens: answer.promptTokens,
              completionTokens: answer.completionTokens,
              finishReason: answer.finishReason,
            },
          };
        }),
      });
      return true;
    });
    if (!stored) return "void";
    publishBattleEvent(run.battleId, { event: "ready", data: { battleId: run.battleId, assignmentId: run.assignmentId } });
    return "ready";
  } catch (error) {
    console.error("[arbiter] could not store a finished battle", error);
    await voidBattle(db(), run.battleId, "store_failed: the finished battle could not be stored").catch(() => undefined);
    publishBattleEvent(run.battleId, {
      event: "error",
      data: { candidateId: null, code: "store_failed", message: "The battle could not be saved; it does not count." },
    });
    return "void";
  }
}
