/** The context of an item as the platform stores it: a plain prompt or a conversation. */
export interface RewardPromptSource {
  readonly prompt?: string | null | undefined;
  readonly messages?: ReadonlyArray<{ readonly role: string; readonly content: string }> | null | undefined;
}

/**
 * The prompt text a reward model sees for an item: the prompt, else the conversation's turns
 * joined by blank lines, else "". Training (Node) and scoring (the annotator's browser) both go
 * through this one function, so a response is always featurized with the same context.
 */
export function rewardPromptText(source: RewardPromptSource): string {
  if (typeof source.prompt === "string" && source.prompt !== "") return source.prompt;
  if (Array.isArray(source.messages)) return source.messages.map((m) => (typeof m.content === "string" ? m.content : "")).join("\n\n");
  return "";
}
