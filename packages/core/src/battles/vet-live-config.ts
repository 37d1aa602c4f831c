import type { LiveConfig } from "../campaign-config/live-config.ts";
import { AppError } from "../errors.ts";
import { assertJudgeDestination } from "../llm-judge/judge-destination.ts";
import { assertKeyRefAllowed, JudgeKeyError } from "../llm-judge/resolve-judge-api-key.ts";

/**
 * Before a live config is stored: every contestant's base URL is a host the server may send
 * requests to (ARBITER_ALLOWED_HOSTS, as for the judge) and its key reference is allowed —
 * 422 naming the contestant otherwise.
 */
export async function assertLiveConfigAllowed(live: LiveConfig | undefined): Promise<void> {
  if (!live) return;
  for (const [index, contestant] of live.contestants.entries()) {
    try {
      await assertJudgeDestination(contestant.baseUrl);
      assertKeyRefAllowed(contestant.apiKeyRef);
    } catch (error) {
      const appError = error instanceof JudgeKeyError ? error.toAppError() : error;
      if (!(appError instanceof AppError)) throw error;
      const message = `Contestant "${contestant.name}": ${appError.message.replace(/^The judge's base URL/, "its base URL")}`;
      throw new AppError(appError.code, message, {
        details: (appError.details ?? []).map((d) => ({ ...d, path: `live.contestants.${index}.${d.path ?? "baseUrl"}` })),
      });
    }
  }
}
