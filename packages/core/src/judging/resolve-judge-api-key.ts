import { readReferencedEnv } from "@arbiter/config";
import type { ApiKeyRef } from "@arbiter/judge";
import { readSecretValue } from "../secrets/read-secret-value.ts";

export class MissingJudgeKeyError extends Error {
  override readonly name = "MissingJudgeKeyError";
}

/** Where a key reference points, in words (for errors and the settings page). */
export function describeKeyRef(ref: ApiKeyRef | null): string {
  if (!ref) return "no API key";
  return "env" in ref ? `the environment variable ${ref.env}` : `the campaign secret "${ref.secret}"`;
}

/**
 * Turns a judge's key reference into the key, on the server only: an environment variable of
 * the process (Arbiter's own variables are refused) or a stored secret, decrypted. Undefined
 * when the judge takes no key; throws MissingJudgeKeyError when the reference points nowhere.
 */
export async function resolveJudgeApiKey(options: { campaignId: string; ref: ApiKeyRef | null }): Promise<string | undefined> {
  const { ref } = options;
  if (!ref) return undefined;
  const value = "env" in ref ? readReferencedEnv(ref.env) : await readSecretValue({ campaignId: options.campaignId, name: ref.secret });
  if (!value) throw new MissingJudgeKeyError(`The judge's API key is missing: ${describeKeyRef(ref)} is not set${"env" in ref ? " (or is one of Arbiter's own variables)" : ""}.`);
  return value;
}
