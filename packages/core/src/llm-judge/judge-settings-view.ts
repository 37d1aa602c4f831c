import { DEFAULT_PROMPT_TEMPLATES, JudgeSettings, redactJudgeSettings, TEMPLATE_VARIABLES, type ApiKeyRef, type PromptTemplate } from "@arbiter/judge";
import type { CampaignConfig, JudgeConfig } from "../campaign-config/campaign-config.ts";
import { describeKeyRef } from "./resolve-judge-api-key.ts";

export interface JudgeSettingsView {
  enabled: boolean;
  /** Complete settings with defaults and the computed prompt version, credentials in the URL masked; null until a base URL and model are set. */
  settings: (JudgeSettings & { enabled: boolean }) | null;
  /** Where the key comes from — a reference, never the key. */
  key: { ref: ApiKeyRef | null; description: string };
  defaults: { promptTemplates: Record<"pairwise" | "kwise" | "rationale", PromptTemplate>; variables: readonly string[] };
}

/** The campaign's judge settings as the API shows them: never a key, only where it is kept. */
export function toJudgeSettingsView(config: Pick<CampaignConfig, "judge">): JudgeSettingsView {
  const judge: JudgeConfig | undefined = config.judge;
  const enabled = judge?.enabled ?? false;
  let settings: JudgeSettingsView["settings"] = null;
  if (judge?.baseUrl && judge.model) {
    const { enabled: _enabled, promptVersion: _ignored, ...fields } = judge;
    const parsed = JudgeSettings.safeParse(fields);
    if (parsed.success) settings = { ...redactJudgeSettings(parsed.data), enabled };
  }
  const ref = judge?.apiKeyRef ?? null;
  return {
    enabled,
    settings,
    key: { ref, description: describeKeyRef(ref) },
    defaults: { promptTemplates: DEFAULT_PROMPT_TEMPLATES, variables: TEMPLATE_VARIABLES },
  };
}
