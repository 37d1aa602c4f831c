import { describe, expect, it } from "vitest";
import { DEFAULT_PROMPT_TEMPLATES } from "./default-prompt-templates.ts";
import { JudgeSettings, redactJudgeSettings } from "./judge-settings.ts";

const minimal = { baseUrl: "http://localhost:8000/v1", model: "qwen2.5-7b-instruct" };

describe("JudgeSettings", () => {
  it("fills defaults and computes a promptVersion", () => {
    const settings = JudgeSettings.parse(minimal);

    expect(settings).toMatchObject({
      apiKeyRef: null,
      temperature: 0,
      jsonMode: true,
      maxConcurrency: 4,
      timeoutMs: 60_000,
      maxRetries: 3,
      kwiseRotations: 2,
    });
    expect(settings.promptTemplates.pairwise).toEqual(DEFAULT_PROMPT_TEMPLATES.pairwise);
    expect(settings.pricing).toBeUndefined();
    expect(settings.promptVersion).toMatch(/^[0-9a-f]{16}$/);
  });

  it("changes promptVersion when a template changes and ignores a stored one", () => {
    const base = JudgeSettings.parse(minimal);
    const edited = JudgeSettings.parse({
      ...minimal,
      promptTemplates: { kwise: { system: "Be strict.", user: "{{conversation}}\n{{responses}}" } },
    });
    const reparsed = JudgeSettings.parse({ ...base, promptVersion: "forged" });

    expect(edited.promptVersion).not.toBe(base.promptVersion);
    expect(edited.promptTemplates.pairwise).toEqual(DEFAULT_PROMPT_TEMPLATES.pairwise);
    expect(reparsed.promptVersion).toBe(base.promptVersion);
  });

  it("accepts key references, never keys", () => {
    expect(JudgeSettings.parse({ ...minimal, apiKeyRef: { env: "OPENAI_API_KEY" } }).apiKeyRef).toEqual({ env: "OPENAI_API_KEY" });
    expect(JudgeSettings.parse({ ...minimal, apiKeyRef: { secret: "openai-prod" } }).apiKeyRef).toEqual({ secret: "openai-prod" });
    expect(JudgeSettings.safeParse({ ...minimal, apiKeyRef: { key: "sk-live" } }).success).toBe(false);
    expect(JudgeSettings.safeParse({ ...minimal, apiKeyRef: { env: "sk-live abc" } }).success).toBe(false);
    expect(JudgeSettings.safeParse({ ...minimal, apiKeyRef: { env: "A", secret: "b" } }).success).toBe(false);
  });

  it("rejects unknown template variables and bad values", () => {
    const typo = JudgeSettings.safeParse({ ...minimal, promptTemplates: { pairwise: { system: "", user: "{{guideline}}" } } });

    expect(typo.success).toBe(false);
    expect(typo.error?.issues[0]?.message).toMatch(/unknown template variable \{\{guideline\}\}/);
    expect(JudgeSettings.safeParse({ ...minimal, baseUrl: "ftp://x/v1" }).success).toBe(false);
    expect(JudgeSettings.safeParse({ ...minimal, maxConcurrency: 0 }).success).toBe(false);
    expect(JudgeSettings.safeParse({ ...minimal, temperature: 3 }).success).toBe(false);
  });

  it("takes pricing per 1k tokens", () => {
    const settings = JudgeSettings.parse({ ...minimal, pricing: { inputPer1kTokens: 0.15, outputPer1kTokens: 0.6 } });
    expect(settings.pricing).toEqual({ inputPer1kTokens: 0.15, outputPer1kTokens: 0.6, currency: "USD" });
  });
});

describe("redactJudgeSettings", () => {
  it("masks credentials in the base URL and drops stray fields", () => {
    const redacted = redactJudgeSettings({
      ...minimal,
      baseUrl: "https://user:hunter2@llm.example.com/v1?api-key=sk-123&api-version=2024-06-01",
      apiKeyRef: { secret: "azure" },
      ...({ apiKey: "sk-pasted-by-mistake" } as object),
    });

    expect(redacted.baseUrl).toBe("https://REDACTED:REDACTED@llm.example.com/v1?api-key=REDACTED&api-version=2024-06-01");
    expect(JSON.stringify(redacted)).not.toMatch(/hunter2|sk-123|sk-pasted/);
    expect(redacted.apiKeyRef).toEqual({ secret: "azure" });
    expect(redacted.promptVersion).toBe(JudgeSettings.parse(minimal).promptVersion);
  });

  it("leaves a plain base URL exactly as given", () => {
    expect(redactJudgeSettings(minimal).baseUrl).toBe("http://localhost:8000/v1");
  });
});
