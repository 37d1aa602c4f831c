import { isAllowedKeyEnv, readReferencedEnv } from "@arbiter/config";
import type { ApiKeyRef } from "@arbiter/judge";
import { AppError } from "../errors.ts";
import type { JudgeConfig } from "../campaign-config/campaign-config.ts";
import { bindSecretOrigin, findSecret, originOf, SecretOriginMismatchError } from "../secrets/secret-origin.ts";
import { decryptSecret } from "../secrets/secret-cipher.ts";
import { judgeKeyClient } from "../store/judge.ts";

/**
 * Why a judge's key cannot be used: `missing_key` (the variable or secret is not there),
 * `key_env_not_allowed` (the variable is not in ARBITER_JUDGE_KEY_ENV_ALLOWLIST) or
 * `secret_origin_mismatch` (the secret is bound to another endpoint).
 */
export type JudgeKeyErrorCode = "missing_key" | "key_env_not_allowed" | "secret_origin_mismatch";

export class JudgeKeyError extends Error {
  override readonly name = "JudgeKeyError";
  constructor(
    readonly code: JudgeKeyErrorCode,
    message: string,
  ) {
    super(message);
  }

  /** As the API answers it: 409 for a secret bound elsewhere (store it again), 422 otherwise. */
  toAppError(): AppError {
    return new AppError(this.code === "secret_origin_mismatch" ? "conflict" : "unprocessable", this.message, {
      details: [{ path: "apiKeyRef", message: this.message, reason: this.code }],
    });
  }
}

/** Where a key reference points, in words (for errors and the settings page). */
export function describeKeyRef(ref: ApiKeyRef | null): string {
  if (!ref) return "no API key";
  return "env" in ref ? `the environment variable ${ref.env}` : `the campaign secret "${ref.secret}"`;
}

/** Whose key a message speaks of: the campaign's LLM judge, or a live-battle contestant (the same rules apply to both). */
export type KeyHolder = "judge" | "contestant";

/** Environment-variable keys only from ARBITER_JUDGE_KEY_ENV_ALLOWLIST: checked when settings are saved, tested and run. */
export function assertKeyRefAllowed(ref: ApiKeyRef | null | undefined, holder: KeyHolder = "judge"): void {
  if (!ref || !("env" in ref) || isAllowedKeyEnv(ref.env)) return;
  throw new JudgeKeyError(
    "key_env_not_allowed",
    `A ${holder} key may not be read from the environment variable ${ref.env}: it is not in ARBITER_JUDGE_KEY_ENV_ALLOWLIST. Store the key as a campaign secret, or ask the server's operator to list the variable.`,
  );
}

/** The origin of the saved judge settings when they use this secret, else null. */
export function savedOriginFor(savedJudge: Pick<JudgeConfig, "baseUrl" | "apiKeyRef"> | undefined, secretName: string): string | null {
  if (!savedJudge?.baseUrl || !savedJudge.apiKeyRef || !("secret" in savedJudge.apiKeyRef) || savedJudge.apiKeyRef.secret !== secretName) return null;
  try {
    return originOf(savedJudge.baseUrl);
  } catch {
    return null;
  }
}

/**
 * Turns a judge's key reference into the key, on the server only, for a request to `baseUrl`:
 * an allow-listed environment variable, or a stored secret — decrypted only when it is bound to
 * the origin of `baseUrl` (binding it there on its first use; see bindSecretOrigin).
 * Undefined when the judge takes no key; throws JudgeKeyError.
 */
export async function resolveJudgeApiKey(options: {
  campaignId: string;
  ref: ApiKeyRef | null;
  baseUrl: string;
  /** The campaign's saved judge settings (an unbound secret they use belongs to their endpoint). */
  savedJudge: Pick<JudgeConfig, "baseUrl" | "apiKeyRef"> | undefined;
  /** Whose key it is, for the messages (default "judge"). */
  holder?: KeyHolder;
}): Promise<string | undefined> {
  const { ref } = options;
  const holder = options.holder ?? "judge";
  if (!ref) return undefined;
  if ("env" in ref) {
    assertKeyRefAllowed(ref, holder);
    const value = readReferencedEnv(ref.env);
    if (!value) throw new JudgeKeyError("missing_key", `The ${holder}'s API key is missing: ${describeKeyRef(ref)} is not set.`);
    return value;
  }
  const prisma = judgeKeyClient();
  const row = await findSecret(prisma, { campaignId: options.campaignId, name: ref.secret });
  if (!row) throw new JudgeKeyError("missing_key", `The ${holder}'s API key is missing: ${describeKeyRef(ref)} is not set.`);
  try {
    await bindSecretOrigin(prisma, { row, targetOrigin: originOf(options.baseUrl), fallbackOrigin: savedOriginFor(options.savedJudge, ref.secret) });
  } catch (error) {
    if (error instanceof SecretOriginMismatchError) throw new JudgeKeyError("secret_origin_mismatch", error.message);
    throw error;
  }
  return decryptSecret(row, { campaignId: row.campaignId, name: row.name });
}
