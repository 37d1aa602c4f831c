import { createHash } from "node:crypto";
import { redactUrl } from "@arbiter/outbound";
import { z } from "zod";
import { DEFAULT_PROMPT_TEMPLATES, RENDERING_VERSION, TEMPLATE_VARIABLES, type PromptTemplate } from "./default-prompt-templates.ts";

/**
 * Where the caller finds the API key: an environment variable or a named secret. The key
 * itself never lives in settings (they are stored in the database and shown in the admin
 * UI); the caller resolves the reference and passes the key to the judge separately.
 */
export const ApiKeyRef = z.union([
  z.strictObject({ env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "not an environment variable name") }),
  z.strictObject({ secret: z.string().trim().min(1).max(200) }),
]);
export type ApiKeyRef = z.infer<typeof ApiKeyRef>;

const KNOWN_VARIABLES: ReadonlySet<string> = new Set(TEMPLATE_VARIABLES);
const VARIABLE_PATTERN = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

function unknownVariables(text: string): string[] {
  return [...text.matchAll(VARIABLE_PATTERN)].map((match) => match[1] ?? "").filter((name) => !KNOWN_VARIABLES.has(name));
}

const templateText = (max: number) =>
  z
    .string()
    .max(max)
    .superRefine((text, ctx) => {
      for (const name of unknownVariables(text)) {
        ctx.addIssue({
          code: "custom",
          message: `unknown template variable {{${name}}}; known: ${TEMPLATE_VARIABLES.join(", ")}`,
        });
      }
    });

export const PromptTemplateSchema = z.object({
  system: templateText(20_000),
  user: templateText(50_000).refine((text) => text.trim().length > 0, "the user template is empty"),
});

export const PromptTemplates = z.object({
  pairwise: PromptTemplateSchema.default(() => ({ ...DEFAULT_PROMPT_TEMPLATES.pairwise })),
  kwise: PromptTemplateSchema.default(() => ({ ...DEFAULT_PROMPT_TEMPLATES.kwise })),
  rationale: PromptTemplateSchema.default(() => ({ ...DEFAULT_PROMPT_TEMPLATES.rationale })),
});
export type PromptTemplates = z.infer<typeof PromptTemplates>;

export const JudgePricing = z.object({
  inputPer1kTokens: z.number().nonnegative(),
  outputPer1kTokens: z.number().nonnegative(),
  currency: z.string().trim().min(1).max(8).default("USD"),
});
export type JudgePricing = z.infer<typeof JudgePricing>;

const JudgeSettingsFields = z.object({
  /** Root of the OpenAI-compatible API, e.g. `http://localhost:8000/v1` for vLLM. */
  baseUrl: z.url({ protocol: /^https?$/ }),
  model: z.string().trim().min(1).max(200),
  /** null for local servers that take no key. */
  apiKeyRef: ApiKeyRef.nullable().default(null),
  /** null leaves the server's default (some reasoning models reject any other value). */
  temperature: z.number().min(0).max(2).nullable().default(0),
  maxOutputTokens: z.number().int().positive().max(200_000).optional(),
  /** Send `response_format: {type: "json_object"}`; replies are parsed leniently either way. */
  jsonMode: z.boolean().default(true),
  maxConcurrency: z.number().int().min(1).max(256).default(4),
  timeoutMs: z.number().int().min(1).max(900_000).default(60_000),
  maxRetries: z.number().int().min(0).max(10).default(3),
  retryBaseDelayMs: z.number().int().min(0).max(60_000).default(500),
  /** Longest sleep between attempts; a 429 asking for longer fails at once with retryAfterMs. */
  retryMaxDelayMs: z.number().int().min(0).max(600_000).default(30_000),
  /** Orders each K-wise item is judged in (cyclic rotations); pairwise is always judged in both orders. */
  kwiseRotations: z.number().int().min(1).max(26).default(2),
  promptTemplates: PromptTemplates.default(() => ({
    pairwise: { ...DEFAULT_PROMPT_TEMPLATES.pairwise },
    kwise: { ...DEFAULT_PROMPT_TEMPLATES.kwise },
    rationale: { ...DEFAULT_PROMPT_TEMPLATES.rationale },
  })),
  pricing: JudgePricing.optional(),
});

/**
 * Judge settings as stored per campaign. Parsing fills defaults and computes
 * `promptVersion`, a hash of the templates (and of the built-in rendering), so every
 * judgment records which prompt produced it; a stored `promptVersion` is ignored.
 */
export const JudgeSettings = JudgeSettingsFields.transform((fields) => ({
  ...fields,
  promptVersion: computePromptVersion(fields.promptTemplates),
}));
export type JudgeSettings = z.output<typeof JudgeSettings>;
export type JudgeSettingsInput = z.input<typeof JudgeSettings>;

export function computePromptVersion(templates: Record<"pairwise" | "kwise" | "rationale", PromptTemplate>): string {
  const canonical = JSON.stringify([
    RENDERING_VERSION,
    templates.pairwise.system,
    templates.pairwise.user,
    templates.kwise.system,
    templates.kwise.user,
    templates.rationale.system,
    templates.rationale.user,
  ]);
  return createHash("sha256").update(canonical).digest("hex").slice(0, 16);
}

/**
 * Settings safe to return from an API: unknown fields (a key pasted where it does not
 * belong) are dropped and credentials embedded in the base URL are masked (@arbiter/outbound's
 * `redactUrl`, the one redaction used wherever a URL is shown or logged). The key
 * reference is kept: it names where the key is, not the key.
 */
export function redactJudgeSettings(settings: JudgeSettingsInput | JudgeSettings): JudgeSettings {
  const parsed = JudgeSettings.parse(settings);
  return { ...parsed, baseUrl: redactUrl(parsed.baseUrl) };
}
