import type { RecordedRequest } from "./openai-test-server.ts";

/** label → response text, read back from a rendered judge prompt. */
export function shownResponses(request: RecordedRequest): Map<string, string> {
  const shown = new Map<string, string>();
  for (const match of request.text.matchAll(/<response label="([A-Z])">\n([\s\S]*?)\n<\/response>/g)) {
    shown.set(match[1] ?? "", match[2] ?? "");
  }
  return shown;
}

/** The label under which `content` was shown in this request. */
export function labelOf(request: RecordedRequest, content: string): string {
  for (const [label, text] of shownResponses(request)) if (text === content) return label;
  throw new Error(`response ${JSON.stringify(content)} was not shown`);
}
