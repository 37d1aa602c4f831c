export { judgeItem, createJudge, type Judge, type JudgeResult, type JudgeVerdict, type JudgeCallRecord } from "./judge-item.ts";
export {
  JudgeSettings,
  ApiKeyRef,
  JudgePricing,
  PromptTemplates,
  PromptTemplateSchema,
  computePromptVersion,
  redactJudgeSettings,
  type JudgeSettingsInput,
} from "./judge-settings.ts";
export { JudgeTask, JudgeTaskKind, JudgeAttribute, JudgeCandidate, JudgeMessage, MAX_CANDIDATES, type JudgeTaskInput } from "./judge-task.ts";
export { DEFAULT_PROMPT_TEMPLATES, TEMPLATE_VARIABLES, type PromptTemplate, type TemplateVariable } from "./default-prompt-templates.ts";
export { renderJudgePrompt, type PromptMessage } from "./render-judge-prompt.ts";
export { parseJudgeVerdict, extractJsonObject, VerdictParseError, type LabelledVerdict } from "./parse-judge-verdict.ts";
export { combineRankedVerdicts, presentationOrders, type CombinedVerdict, type RankedVerdict } from "./combine-verdicts.ts";
export { JudgeError, isJudgeError, type JudgeErrorCode } from "./judge-error.ts";
export { createConcurrencyLimiter, type ConcurrencyLimiter } from "./concurrency-limiter.ts";
export { parseRetryAfterMs } from "./retry-policy.ts";
export { costOf, type TokenUsage } from "./token-usage.ts";
