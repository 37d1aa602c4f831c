import type { Prisma } from "@arbiter/db";
import { restoreRedactedUrl } from "@arbiter/outbound";
import type { JudgeConfig } from "../campaign-config/campaign-config.ts";
import { AppError } from "../errors.ts";
import { bindSecretOrigin, findSecret, originOf, SecretOriginMismatchError } from "../secrets/secret-origin.ts";
import { assertJudgeDestination } from "./judge-destination.ts";
import { assertKeyRefAllowed, JudgeKeyError, savedOriginFor } from "./resolve-judge-api-key.ts";

type JudgeTarget = Pick<JudgeConfig, "baseUrl" | "apiKeyRef">;

/**
 * The judge's base URL as sent back by a client that read it redacted (the settings form, a
 * script that GETs and PUTs): unchanged, it means the stored URL, credentials and all.
 */
export function withStoredCredentials<T extends { baseUrl?: string }>(judge: T, stored: Pick<JudgeConfig, "baseUrl"> | undefined): T {
  if (typeof judge.baseUrl !== "string") return judge;
  return { ...judge, baseUrl: restoreRedactedUrl(judge.baseUrl, stored?.baseUrl) };
}

/** Before judge settings are stored: an allowed host (422 `host_not_allowed` / `address_not_allowed`) and an allowed key reference (422 `key_env_not_allowed`). */
export async function assertJudgeConfigAllowed(judge: Partial<JudgeTarget> | undefined): Promise<void> {
  if (judge?.baseUrl) await assertJudgeDestination(judge.baseUrl);
  try {
    assertKeyRefAllowed(judge?.apiKeyRef);
  } catch (error) {
    if (error instanceof JudgeKeyError) throw error.toAppError();
    throw error;
  }
}

/**
 * In the transaction that stores judge settings: the campaign secret they use must be bound to
 * their base URL's origin (409 `secret_origin_mismatch` otherwise: store the key again for the
 * new endpoint); a secret not bound yet is bound to it now.
 */
export async function bindJudgeSecret(
  tx: Prisma.TransactionClient,
  options: { campaignId: string; judge: Partial<JudgeTarget> | undefined; previous: JudgeTarget | undefined },
): Promise<void> {
  const { judge } = options;
  if (!judge?.baseUrl || !judge.apiKeyRef || !("secret" in judge.apiKeyRef)) return;
  const row = await findSecret(tx, { campaignId: options.campaignId, name: judge.apiKeyRef.secret });
  if (!row) return;
  try {
    await bindSecretOrigin(tx, { row, targetOrigin: originOf(judge.baseUrl), fallbackOrigin: savedOriginFor(options.previous, row.name) });
  } catch (error) {
    if (error instanceof SecretOriginMismatchError) {
      throw new AppError("conflict", error.message, { details: [{ path: "apiKeyRef", message: error.message, reason: error.code }] });
    }
    throw error;
  }
}
