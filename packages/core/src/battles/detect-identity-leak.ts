/**
 * Whether an answer gives its model away before the vote (Chatbot Arena's lesson: votes on
 * battles where a model named itself are kept but left out of the leaderboard by default).
 * Flags (1) a self-identification — "I am / I'm / as / my name is / created by / developed by /
 * trained by / made by" followed by a known model or vendor name or any contestant's name or
 * model id — and (2) any mention of the answering contestant's own name or model id.
 */

/** Model families and vendors a self-identification names. */
const KNOWN_NAMES = [
  "ChatGPT",
  "GPT-3.5",
  "GPT-4",
  "GPT-4o",
  "GPT",
  "OpenAI",
  "Claude",
  "Anthropic",
  "Gemini",
  "Bard",
  "Google",
  "DeepMind",
  "Llama",
  "LLaMA",
  "Meta AI",
  "Meta",
  "Mistral",
  "Mixtral",
  "Qwen",
  "Alibaba",
  "DeepSeek",
  "Grok",
  "xAI",
  "Phi",
  "Microsoft",
  "Copilot",
  "Cohere",
  "Command R",
  "Gemma",
  "Yi",
  "01.AI",
  "Falcon",
  "Vicuna",
];

export interface IdentityLeak {
  candidateId: string;
  reason: "self_identification" | "own_name";
  /** The words that gave it away. */
  match: string;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A whole-word, case-insensitive pattern for any of `names` (names shorter than 3 characters are too common to match alone). */
function namesPattern(names: string[]): string {
  const usable = [...new Set(names.map((n) => n.trim()).filter((n) => n.length >= 2))].sort((a, b) => b.length - a.length);
  return usable.map((n) => `(?<![\\p{L}\\p{N}])${escapeRegExp(n)}(?![\\p{L}\\p{N}])`).join("|");
}

const SELF_INTRO = String.raw`(?:\bI\s+am\b|\bI['’]m\b|\bas\s+an?\b|\bas\b|\bmy\s+name\s+is\b|\b(?:created|developed|trained|made|built)\s+by\b|\bI\s+was\s+(?:created|developed|trained|made|built)\s+by\b)\s+(?:an?\s+|the\s+)?(?:AI\s+(?:model|assistant)\s+(?:called|named)\s+)?`;

export function detectIdentityLeaks(
  answers: ReadonlyArray<{ candidateId: string; content: string; name: string; model: string }>,
  options: { extraNames?: string[] } = {},
): IdentityLeak[] {
  const everyName = [...KNOWN_NAMES, ...(options.extraNames ?? []), ...answers.flatMap((a) => [a.name, a.model, a.model.split("/").pop() ?? ""])];
  const selfIntro = new RegExp(`${SELF_INTRO}(${namesPattern(everyName)})`, "iu");
  const leaks: IdentityLeak[] = [];
  for (const answer of answers) {
    const intro = selfIntro.exec(answer.content);
    if (intro) {
      leaks.push({ candidateId: answer.candidateId, reason: "self_identification", match: intro[0].trim() });
      continue;
    }
    const own = namesPattern([answer.name, answer.model, answer.model.split("/").pop() ?? ""].filter((n) => n.length >= 3));
    const mention = own ? new RegExp(own, "iu").exec(answer.content) : null;
    if (mention) leaks.push({ candidateId: answer.candidateId, reason: "own_name", match: mention[0] });
  }
  return leaks;
}
