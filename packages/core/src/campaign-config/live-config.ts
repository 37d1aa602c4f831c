import { z } from "zod";
import { ApiKeyRef } from "@arbiter/judge";

/**
 * One model of a live campaign: an OpenAI-compatible endpoint (`{baseUrl}/chat/completions`,
 * streamed), the model to ask for, the key only by reference (an allow-listed environment
 * variable or a campaign secret, as for the judge), generation settings, and the name revealed
 * after the vote — the `model` its responses carry in leaderboards and exports.
 */
export const LiveContestant = z
  .object({
    name: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .refine((name) => ![...name].some((ch) => ch.charCodeAt(0) < 0x20), "no control characters"),
    baseUrl: z.url({ protocol: /^https?$/ }),
    model: z.string().trim().min(1).max(200),
    apiKeyRef: ApiKeyRef.nullable().default(null),
    /** null leaves the server's default. */
    temperature: z.number().min(0).max(2).nullable().default(0.7),
    maxOutputTokens: z.number().int().min(1).max(32_000).default(1024),
    /** For the whole answer, first token to last: a contestant slower than this voids the battle. */
    timeoutMs: z.number().int().min(1_000).max(600_000).default(60_000),
    /** Answers this contestant generates at once, per server process; more battles wait for a slot. */
    maxConcurrency: z.number().int().min(1).max(256).default(8),
  })
  .strict();
export type LiveContestant = z.infer<typeof LiveContestant>;

/** `config.live`: battles on live model outputs (docs/API.md, "Live battles"). */
export const LiveConfig = z
  .object({
    enabled: z.boolean().default(true),
    /** Answers per battle; pairwise campaigns are always 2. */
    k: z.number().int().min(2).max(4).optional(),
    /** Who writes the prompt: the annotator, the campaign's items (their prompts as a pool), or either. */
    promptSource: z.enum(["annotator", "pool", "both"]).default("annotator"),
    maxPromptChars: z.number().int().min(1).max(100_000).default(4_000),
    /** Battles one annotator may start per minute in this campaign. */
    battlesPerMinute: z.number().int().min(1).max(600).default(10),
    /** Flag answers that give their model away ("As ChatGPT…", a contestant's name or vendor): kept, left out of the leaderboard by default. */
    flagIdentity: z.boolean().default(true),
    contestants: z.array(LiveContestant).min(2).max(20),
  })
  .strict()
  .superRefine((live, ctx) => {
    const seen = new Set<string>();
    live.contestants.forEach((contestant, index) => {
      const key = contestant.name.toLowerCase();
      if (seen.has(key)) ctx.addIssue({ code: "custom", path: ["contestants", index, "name"], message: `two contestants are named "${contestant.name}"` });
      seen.add(key);
    });
    if (live.k !== undefined && live.k > live.contestants.length)
      ctx.addIssue({ code: "custom", path: ["k"], message: `k is ${live.k} but only ${live.contestants.length} contestants are listed` });
  });
export type LiveConfig = z.infer<typeof LiveConfig>;

/** Answers per battle: 2 for pairwise campaigns, else `live.k` (default the campaign's `k`, at most 4 and the contestants listed). */
export function battleSize(taskType: "pairwise" | "kwise", live: LiveConfig, campaignK: number): number {
  if (taskType === "pairwise") return 2;
  return Math.min(live.k ?? campaignK, 4, live.contestants.length);
}
