import type { PromptTemplate, TemplateVariable } from "./default-prompt-templates.ts";
import type { JudgeSettings } from "./judge-settings.ts";
import { verdictShapeOf, type JudgeAttribute, type JudgeCandidate, type JudgeMessage, type JudgeTask } from "./judge-task.ts";

export interface PromptMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

const LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

export function responseLabel(index: number): string {
  const letter = LETTERS[index];
  if (letter === undefined) throw new RangeError(`no response label for position ${index}`);
  return letter;
}

/** The position a label stands for, or -1 for anything that is not a label. */
export function labelIndex(label: string): number {
  return label.length === 1 ? LETTERS.indexOf(label) : -1;
}

export function responseLabels(count: number): string[] {
  return Array.from({ length: count }, (_, index) => responseLabel(index));
}

function listWithAnd(items: string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

function renderTurns(messages: JudgeMessage[]): string {
  return messages.map((message) => `[${message.role}]\n${message.content.trim() === "" ? "(empty message)" : message.content}`).join("\n\n");
}

export function renderConversation(task: Pick<JudgeTask, "prompt" | "messages">): string {
  if (task.messages) return renderTurns(task.messages);
  return renderTurns([{ role: "user", content: task.prompt ?? "" }]);
}

function renderCandidate(candidate: JudgeCandidate): string {
  if (typeof candidate.content !== "string") return renderTurns(candidate.content);
  return candidate.content.trim() === "" ? "(empty response)" : candidate.content;
}

function renderResponses(order: JudgeCandidate[]): string {
  return order.map((candidate, index) => `<response label="${responseLabel(index)}">\n${renderCandidate(candidate)}\n</response>`).join("\n\n");
}

function renderAttributes(attributes: JudgeAttribute[]): string {
  if (attributes.length === 0) return "(none)";
  return attributes
    .map((attribute) => {
      const scale = `integer ${attribute.min} to ${attribute.max}`;
      return `- ${attribute.name} (${scale})${attribute.description ? `: ${attribute.description}` : ""}`;
    })
    .join("\n");
}

function renderOutputFormat(task: JudgeTask, labels: string[]): string {
  const shape = verdictShapeOf(task);
  const quoted = labels.map((label) => `"${label}"`);
  const lines = ["Reply with one JSON object and nothing else, with these fields:"];
  if (shape === "winner") {
    lines.push(`- "winner": ${quoted.join(" or ")}, or "tie" if neither is better`);
  } else {
    lines.push(
      `- "ranking": groups of labels from best to worst, e.g. [["<best>"], ["<next>", "<tied with it>"], ...]; each of ${listWithAnd(quoted)} appears exactly once; equally good responses share a group`,
    );
  }
  lines.push(`- "confidence": a number from 0 to 1, how sure you are of this verdict`);
  lines.push(
    task.kind === "rationale"
      ? `- "rationale": the explanation asked for above, referring to responses by their labels`
      : `- "rationale": one to three sentences on what decided it, referring to responses by their labels`,
  );
  if (task.attributes.length > 0) {
    const scores = task.attributes.map((attribute) => `"${attribute.name}": <${attribute.min}-${attribute.max}>`).join(", ");
    lines.push(`- "attributes": integer scores for every response, {${quoted.map((label) => `${label}: {${scores}}`).join(", ")}}`);
  }
  return lines.join("\n");
}

const VARIABLE_PATTERN = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** One pass, so `{{...}}` inside a response or the guidelines is never expanded. */
function fillTemplate(text: string, values: Record<TemplateVariable, string>): string {
  return text.replace(VARIABLE_PATTERN, (whole, name: string) => (Object.hasOwn(values, name) ? values[name as TemplateVariable] : whole));
}

function mentionsOutputFormat(template: PromptTemplate): boolean {
  return [template.system, template.user].some((text) => [...text.matchAll(VARIABLE_PATTERN)].some((match) => match[1] === "output_format"));
}

/**
 * The chat messages for one judge call, with `order` giving the candidates in the order
 * they are shown: order[0] is labelled A, order[1] B, and so on.
 */
export function renderJudgePrompt(options: { templates: JudgeSettings["promptTemplates"]; task: JudgeTask; order: JudgeCandidate[] }): PromptMessage[] {
  const { templates, task, order } = options;
  const template = templates[task.kind];
  const labels = responseLabels(order.length);
  const outputFormat = renderOutputFormat(task, labels);
  const values: Record<TemplateVariable, string> = {
    guidelines: task.guidelines.trim() === "" ? "(no campaign-specific guidelines)" : task.guidelines.trim(),
    attributes: renderAttributes(task.attributes),
    conversation: renderConversation(task),
    responses: renderResponses(order),
    labels: listWithAnd(labels),
    count: String(order.length),
    output_format: outputFormat,
  };
  const system = fillTemplate(template.system, values).trim();
  let user = fillTemplate(template.user, values).trim();
  if (!mentionsOutputFormat(template)) user = `${user}\n\n${outputFormat}`;
  const messages: PromptMessage[] = [];
  if (system !== "") messages.push({ role: "system", content: system });
  messages.push({ role: "user", content: user });
  return messages;
}
