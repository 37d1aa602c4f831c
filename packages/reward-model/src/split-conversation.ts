/**
 * Splits an hh-rlhf style transcript ("\n\nHuman: … \n\nAssistant: …") at its last assistant
 * turn: everything before it is the prompt (the conversation so far), the turn is the response.
 * Returns null when the text has no assistant turn.
 */
export function splitAtLastAssistantTurn(transcript: string): { prompt: string; response: string } | null {
  const marker = "\n\nAssistant:";
  const at = transcript.lastIndexOf(marker);
  if (at < 0) return null;
  return { prompt: transcript.slice(0, at + marker.length).trim(), response: transcript.slice(at + marker.length).trim() };
}
