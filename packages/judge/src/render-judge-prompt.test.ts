import { describe, expect, it } from "vitest";
import { JudgeSettings } from "./judge-settings.ts";
import { JudgeTask } from "./judge-task.ts";
import { renderJudgePrompt } from "./render-judge-prompt.ts";

const settings = JudgeSettings.parse({ baseUrl: "http://localhost:11434/v1", model: "llama3.1" });

const task = JudgeTask.parse({
  kind: "kwise",
  messages: [
    { role: "system", content: "You are terse." },
    { role: "user", content: "Name a prime." },
  ],
  candidates: [
    { id: "r1", content: "7" },
    { id: "r2", content: "   " },
    {
      id: "r3",
      content: [
        { role: "assistant", content: "Which kind?" },
        { role: "user", content: "Any." },
        { role: "assistant", content: "2" },
      ],
    },
  ],
  guidelines: "Correct beats polite. Literal {{responses}} stays as written.",
  attributes: [{ name: "correctness", description: "Is it true?", min: 1, max: 5 }],
});

describe("renderJudgePrompt", () => {
  it("labels responses in the order given and renders the conversation and campaign context", () => {
    const [system, user] = renderJudgePrompt({ templates: settings.promptTemplates, task, order: task.candidates });

    expect(system?.role).toBe("system");
    expect(user?.role).toBe("user");
    const text = user?.content ?? "";
    expect(text).toContain("[system]\nYou are terse.\n\n[user]\nName a prime.");
    expect(text).toContain('<response label="A">\n7\n</response>');
    expect(text).toContain('<response label="B">\n(empty response)\n</response>');
    expect(text).toContain('<response label="C">\n[assistant]\nWhich kind?\n\n[user]\nAny.\n\n[assistant]\n2\n</response>');
    expect(text).toContain("Literal {{responses}} stays as written.");
    expect(text).toContain("- correctness (integer 1 to 5): Is it true?");
    expect(text).toContain("Rank all 3 responses");
    expect(text).toContain('each of "A", "B" and "C" appears exactly once');
    expect(text).toContain('"attributes": integer scores for every response, {"A": {"correctness": <1-5>}');
  });

  it("follows the order it is given", () => {
    const [, user] = renderJudgePrompt({
      templates: settings.promptTemplates,
      task,
      order: [task.candidates[2]!, task.candidates[0]!, task.candidates[1]!],
    });
    expect(user?.content).toContain('<response label="B">\n7\n</response>');
  });

  it("appends the reply format to an edited template that leaves it out", () => {
    const custom = JudgeSettings.parse({
      baseUrl: "http://localhost:11434/v1",
      model: "llama3.1",
      promptTemplates: { pairwise: { system: "", user: "Pick the kinder reply.\n{{responses}}" } },
    });
    const pairwiseTask = JudgeTask.parse({
      kind: "pairwise",
      prompt: "Hi",
      candidates: [
        { id: "a", content: "Hello!" },
        { id: "b", content: "What." },
      ],
    });
    const messages = renderJudgePrompt({ templates: custom.promptTemplates, task: pairwiseTask, order: pairwiseTask.candidates });

    expect(messages).toHaveLength(1);
    expect(messages[0]?.content).toMatch(/^Pick the kinder reply\.\n<response label="A">/);
    expect(messages[0]?.content).toMatch(/Reply with one JSON object[\s\S]*"winner": "A" or "B", or "tie"/);
    expect(messages[0]?.content).not.toContain('"attributes"');
  });
});
