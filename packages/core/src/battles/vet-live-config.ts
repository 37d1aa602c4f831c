import type { Prisma } from "@arbiter/db";
import type { LiveConfig, LiveContestant } from "../campaign-config/live-config.ts";
import { AppError } from "../errors.ts";
import { assertJudgeDestination } from "../llm-judge/judge-destination.ts";
import { assertKeyRefAllowed, JudgeKeyError } from "../llm-judge/resolve-judge-api-key.ts";
import { bindJudgeSecret, withStoredCredentials } from "../llm-judge/vet-judge-config.ts";

/** An error about one contestant, named, with its details' paths under `live.contestants.<index>`. */
function aboutContestant(error: unknown, contestant: { name: string }, index: number): unknown {
  const appError = error instanceof JudgeKeyError ? error.toAppError() : error;
  if (!(appError instanceof AppError)) return error;
  return new AppError(appError.code, `Contestant "${contestant.name}": ${appError.message}`, {
    details: (appError.details ?? []).map((d) => ({ ...d, path: `live.contestants.${index}.${d.path ?? "baseUrl"}` })),
  });
}

/**
 * Before a live config is stored: every contestant's base URL is a host the server may send
 * requests to (ARBITER_ALLOWED_HOSTS, as for the judge) and its key reference is allowed —
 * 422 naming the contestant otherwise.
 */
export async function assertLiveConfigAllowed(live: LiveConfig | undefined): Promise<void> {
  if (!live) return;
  for (const [index, contestant] of live.contestants.entries()) {
    try {
      await assertJudgeDestination(contestant.baseUrl, "contestant");
      assertKeyRefAllowed(contestant.apiKeyRef, "contestant");
    } catch (error) {
      throw aboutContestant(error, contestant, index);
    }
  }
}

/**
 * Contestants as sent back by a client that read them redacted (the contestants panel saves the
 * whole list it was given; a script GETs and PATCHes): a base URL sent back unchanged means the
 * stored one, credentials and all — the judge's rule (`withStoredCredentials`), matched by name.
 */
export function contestantsWithStoredCredentials(sent: unknown, stored: LiveConfig | undefined): unknown {
  if (!sent || typeof sent !== "object" || Array.isArray(sent)) return sent;
  const contestants = (sent as { contestants?: unknown }).contestants;
  if (!Array.isArray(contestants)) return sent;
  const byName = new Map((stored?.contestants ?? []).map((c) => [c.name.trim().toLowerCase(), c]));
  return {
    ...sent,
    contestants: contestants.map((c: unknown) => {
      if (!c || typeof c !== "object" || Array.isArray(c)) return c;
      const name = (c as { name?: unknown }).name;
      return withStoredCredentials(c as { baseUrl?: string }, typeof name === "string" ? byName.get(name.trim().toLowerCase()) : undefined);
    }),
  };
}

/** One contestant restored against the stored live config (for "send a test prompt" on a saved contestant). */
export function contestantWithStoredCredentials(contestant: LiveContestant, stored: LiveConfig | undefined): LiveContestant {
  const saved = stored?.contestants.find((c) => c.name.trim().toLowerCase() === contestant.name.trim().toLowerCase());
  return withStoredCredentials(contestant, saved);
}

/**
 * In the transaction that stores a live config: each campaign secret a contestant uses must be
 * bound to that contestant's origin (409 `secret_origin_mismatch` naming the contestant
 * otherwise); a secret not bound yet is bound now — the judge's rule (`bindJudgeSecret`).
 */
export async function bindContestantSecrets(
  tx: Prisma.TransactionClient,
  options: { campaignId: string; live: LiveConfig | undefined; previous: LiveConfig | undefined },
): Promise<void> {
  for (const [index, contestant] of (options.live?.contestants ?? []).entries()) {
    const previous = options.previous?.contestants.find((c) => c.name.toLowerCase() === contestant.name.toLowerCase());
    try {
      await bindJudgeSecret(tx, { campaignId: options.campaignId, judge: contestant, previous });
    } catch (error) {
      throw aboutContestant(error, contestant, index);
    }
  }
}
