import type { OutboundPolicy } from "@arbiter/outbound";
import { chatEndpoint, requestChatCompletion, type ChatCompletionReply, type ChatEndpoint, type EndpointState } from "./chat-completion.ts";
import { combineRankedVerdicts, meanAttributeScores, presentationOrders } from "./combine-verdicts.ts";
import { createConcurrencyLimiter, type ConcurrencyLimiter } from "./concurrency-limiter.ts";
import { JudgeError } from "./judge-error.ts";
import { JudgeSettings, type JudgeSettingsInput } from "./judge-settings.ts";
import { JudgeTask, verdictShapeOf, type JudgeCandidate, type JudgeTaskInput, type JudgeTaskKind } from "./judge-task.ts";
import { parseJudgeVerdict, VerdictParseError, type LabelledVerdict } from "./parse-judge-verdict.ts";
import { labelIndex, renderJudgePrompt, responseLabel, type PromptMessage } from "./render-judge-prompt.ts";
import { addUsage, costOf, ZERO_USAGE, type TokenUsage } from "./token-usage.ts";

/** The combined verdict in candidate ids, shaped like a judgment payload of the public API. */
export type JudgeVerdict = { winner: string } | { ranking: string[][] };

/** One judge call: the item shown in one order. */
export interface JudgeCallRecord {
  /** Candidate ids in the order shown: order[0] was labelled A, order[1] B, … */
  order: string[];
  /** The verdict as the judge gave it, in labels. */
  labelled: LabelledVerdict;
  /** The same verdict in candidate ids. */
  verdict: JudgeVerdict;
  /** The reply text the verdict was parsed from. */
  reply: string;
  finishReason: string | null;
  /** Whether the first reply was malformed and the judge was asked once more. */
  parseRetried: boolean;
  /** HTTP attempts for this call, retries and the parse retry included. */
  attempts: number;
  usage: TokenUsage;
}

export interface JudgeResult {
  kind: JudgeTaskKind;
  model: string;
  promptVersion: string;
  verdict: JudgeVerdict;
  /** The verdict as a ranking, best first, ties grouped (a pairwise winner gives [[winner], [loser]]). */
  ranking: string[][];
  /** 0..1; 0 when the orders contradicted each other on every pair. */
  confidence: number;
  /** Whether every order gave the same verdict; null when only one order was judged. */
  orderConsistent: boolean | null;
  /** From the most confident call that agrees with the verdict; it names responses by that call's labels. */
  rationale: string;
  /** Label → candidate id for the call the rationale comes from. */
  rationaleLabels: Record<string, string>;
  /** Candidate id → attribute → mean score over the orders. */
  attributes: Record<string, Record<string, number>>;
  calls: JudgeCallRecord[];
  usage: TokenUsage;
  /** In `currency`; null when the settings carry no pricing. */
  cost: number | null;
  currency: string | null;
}

export interface Judge {
  readonly settings: JudgeSettings;
  readonly limiter: ConcurrencyLimiter;
  judgeItem(task: JudgeTaskInput, options?: { signal?: AbortSignal }): Promise<JudgeResult>;
}

function toVerdict(labelled: LabelledVerdict, order: string[], shape: "winner" | "ranking"): JudgeVerdict {
  const idOf = (label: string) => {
    const id = order[labelIndex(label)];
    if (id === undefined) throw new Error(`label ${label} outside the order shown`);
    return id;
  };
  if (shape === "winner") {
    const winner = labelled.winner ?? "tie";
    return { winner: winner === "tie" ? "tie" : idOf(winner) };
  }
  return { ranking: labelled.ranking.map((group) => group.map(idOf)) };
}

function rankingOf(verdict: JudgeVerdict, candidateIds: string[]): string[][] {
  if ("ranking" in verdict) return verdict.ranking;
  if (verdict.winner === "tie") return [[...candidateIds]];
  return [[verdict.winner], candidateIds.filter((id) => id !== verdict.winner)];
}

function sameVerdict(a: string[][], b: string[][]): boolean {
  const canonical = (ranking: string[][]) => JSON.stringify(ranking.map((group) => [...group].sort()));
  return canonical(a) === canonical(b);
}

async function judgeInOrder(options: {
  endpoint: ChatEndpoint;
  endpointState: EndpointState;
  settings: JudgeSettings;
  task: JudgeTask;
  order: JudgeCandidate[];
  limiter: ConcurrencyLimiter;
  signal: AbortSignal;
}): Promise<JudgeCallRecord> {
  const { endpoint, endpointState, settings, task, order, limiter, signal } = options;
  const shape = verdictShapeOf(task);
  const ids = order.map((candidate) => candidate.id);
  const expectation = {
    shape,
    labels: ids.map((_, index) => responseLabel(index)),
    attributes: task.attributes,
    requireRationale: task.kind === "rationale",
  };
  const messages = renderJudgePrompt({ templates: settings.promptTemplates, task, order });

  let usage = ZERO_USAGE;
  let attempts = 0;
  const complete = async (prompt: PromptMessage[]): Promise<ChatCompletionReply> => {
    try {
      const reply = await requestChatCompletion({ endpoint, settings, messages: prompt, limiter, signal, endpointState });
      usage = addUsage(usage, reply.usage);
      attempts += reply.attempts;
      return reply;
    } catch (error) {
      if (error instanceof JudgeError) error.usage = usage;
      throw error;
    }
  };
  const record = (reply: ChatCompletionReply, labelled: LabelledVerdict, parseRetried: boolean): JudgeCallRecord => ({
    order: ids,
    labelled,
    verdict: toVerdict(labelled, ids, shape),
    reply: reply.content,
    finishReason: reply.finishReason,
    parseRetried,
    attempts,
    usage,
  });

  const first = await complete(messages);
  let firstProblem: string;
  try {
    return record(first, parseJudgeVerdict(first.content, expectation), false);
  } catch (error) {
    if (!(error instanceof VerdictParseError)) throw error;
    firstProblem = error.message;
  }
  // One more chance, telling the model what was wrong: small local models often recover.
  const second = await complete([
    ...messages,
    { role: "assistant", content: first.content.trim() === "" ? "(empty reply)" : first.content },
    {
      role: "user",
      content: `That reply could not be used (${firstProblem}). Reply again with only the JSON object described above.`,
    },
  ]);
  try {
    return record(second, parseJudgeVerdict(second.content, expectation), true);
  } catch (error) {
    if (!(error instanceof VerdictParseError)) throw error;
    throw new JudgeError(
      "invalid_reply",
      `the judge model ${settings.model} gave no valid verdict in two replies: first ${firstProblem}; then ${error.message}`,
      { attempts, usage },
    );
  }
}

function attributeScoresById(call: JudgeCallRecord): Record<string, Record<string, number>> {
  return Object.fromEntries(Object.entries(call.labelled.attributes).map(([label, scores]) => [call.order[labelIndex(label)] ?? label, scores]));
}

function firstFailure(reasons: unknown[]): unknown {
  // Sibling calls are cancelled when one fails; report the failure, not the cancellations.
  return reasons.find((reason) => !(reason instanceof JudgeError && reason.code === "aborted")) ?? reasons[0];
}

async function runJudgeItem(options: {
  endpoint: ChatEndpoint;
  endpointState: EndpointState;
  settings: JudgeSettings;
  limiter: ConcurrencyLimiter;
  taskInput: JudgeTaskInput;
  signal: AbortSignal | undefined;
}): Promise<JudgeResult> {
  const { endpoint, endpointState, settings, limiter, taskInput, signal } = options;
  const parsedTask = JudgeTask.safeParse(taskInput);
  if (!parsedTask.success) {
    const problems = parsedTask.error.issues.map((issue) => `${issue.path.join(".") || "task"}: ${issue.message}`);
    throw new JudgeError("invalid_input", `invalid judge task: ${problems.join("; ")}`, { cause: parsedTask.error });
  }
  const task = parsedTask.data;
  if (signal?.aborted) throw new JudgeError("aborted", "the judge call was cancelled", { cause: signal.reason });

  const shape = verdictShapeOf(task);
  const candidateIds = task.candidates.map((candidate) => candidate.id);
  const orders = presentationOrders(task.candidates, shape === "winner" ? 2 : settings.kwiseRotations);

  const siblings = new AbortController();
  const cancelSiblings = () => siblings.abort(signal?.reason);
  signal?.addEventListener("abort", cancelSiblings, { once: true });
  let settled: PromiseSettledResult<JudgeCallRecord>[];
  try {
    settled = await Promise.allSettled(
      orders.map((order) =>
        judgeInOrder({ endpoint, endpointState, settings, task, order, limiter, signal: siblings.signal }).catch((error: unknown) => {
          siblings.abort(error);
          throw error;
        }),
      ),
    );
  } finally {
    signal?.removeEventListener("abort", cancelSiblings);
  }

  const calls = settled.flatMap((outcome) => (outcome.status === "fulfilled" ? [outcome.value] : []));
  const reasons = settled.flatMap((outcome) => (outcome.status === "rejected" ? [outcome.reason as unknown] : []));
  if (reasons.length > 0) {
    const failure = firstFailure(reasons);
    if (failure instanceof JudgeError) {
      const spent = [...calls.map((call) => call.usage), ...reasons.map((reason) => (reason instanceof JudgeError ? reason.usage : undefined))];
      failure.usage = spent.filter((usage): usage is TokenUsage => usage !== undefined).reduce(addUsage, ZERO_USAGE);
    }
    throw failure;
  }

  const combined = combineRankedVerdicts({
    candidateIds,
    verdicts: calls.map((call) => ({ ranking: rankingOf(call.verdict, candidateIds), confidence: call.labelled.confidence })),
    tieWhenInconsistent: shape === "winner",
  });
  const verdict: JudgeVerdict =
    shape === "winner" ? { winner: combined.ranking.length === 1 ? "tie" : (combined.ranking[0]?.[0] ?? "tie") } : { ranking: combined.ranking };

  const explaining =
    [...calls]
      .filter((call) => sameVerdict(rankingOf(call.verdict, candidateIds), combined.ranking))
      .sort((a, b) => b.labelled.confidence - a.labelled.confidence)[0] ?? calls[0];
  const usage = calls.map((call) => call.usage).reduce(addUsage, ZERO_USAGE);

  return {
    kind: task.kind,
    model: settings.model,
    promptVersion: settings.promptVersion,
    verdict,
    ranking: combined.ranking,
    confidence: combined.confidence,
    orderConsistent: combined.orderConsistent,
    rationale: explaining?.labelled.rationale ?? "",
    rationaleLabels: Object.fromEntries((explaining?.order ?? []).map((id, index) => [responseLabel(index), id])),
    attributes: meanAttributeScores(calls.map(attributeScoresById)),
    calls,
    usage,
    cost: costOf(usage, settings.pricing),
    currency: settings.pricing?.currency ?? null,
  };
}

function parseSettings(settings: JudgeSettingsInput | JudgeSettings): JudgeSettings {
  const parsed = JudgeSettings.safeParse(settings);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join(".") || "settings"}: ${issue.message}`);
  throw new JudgeError("invalid_input", `invalid judge settings: ${problems.join("; ")}`, { cause: parsed.error });
}

/**
 * A judge for one campaign's settings: one endpoint and one concurrency limiter shared by
 * every `judgeItem` call on it, so `maxConcurrency` bounds the requests in flight. Requests go
 * through @arbiter/outbound under `outbound` (which hosts may be reached; redirects are never
 * followed).
 */
export function createJudge(options: { settings: JudgeSettingsInput | JudgeSettings; apiKey?: string; outbound: OutboundPolicy }): Judge {
  const settings = parseSettings(options.settings);
  const endpoint = chatEndpoint(settings, options.apiKey, options.outbound);
  const limiter = createConcurrencyLimiter(settings.maxConcurrency);
  const endpointState: EndpointState = { rejectsJsonMode: false };
  return {
    settings,
    limiter,
    judgeItem: (task, callOptions) => runJudgeItem({ endpoint, endpointState, settings, limiter, taskInput: task, signal: callOptions?.signal }),
  };
}

/**
 * Judges one item: renders the prompt for each order, calls the endpoint, parses and
 * combines the verdicts. A pure function of its arguments with no side effects beyond
 * the HTTP calls, so a durable job may run it again after any failure; a JudgeError's
 * `retryable` says whether that is worth doing.
 */
export async function judgeItem(options: {
  settings: JudgeSettingsInput | JudgeSettings;
  apiKey?: string;
  outbound: OutboundPolicy;
  task: JudgeTaskInput;
  signal?: AbortSignal;
}): Promise<JudgeResult> {
  const judge = createJudge({ settings: options.settings, apiKey: options.apiKey, outbound: options.outbound });
  return judge.judgeItem(options.task, { signal: options.signal });
}
