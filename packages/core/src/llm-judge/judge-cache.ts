import { createHash } from "node:crypto";
import { createJudge, type Judge, type JudgeSettings } from "@arbiter/judge";
import type { OutboundPolicy } from "@arbiter/outbound";

const MAX_JUDGES = 50;

/**
 * One judge per campaign settings and key in this process, so `maxConcurrency` bounds the
 * requests in flight across all of a campaign's jobs on this worker.
 */
export class JudgeCache {
  private readonly judges = new Map<string, Judge>();

  get(campaignId: string, settings: JudgeSettings, apiKey: string | undefined, outbound: OutboundPolicy): Judge {
    const key = createHash("sha256")
      .update(JSON.stringify([campaignId, settings, apiKey ?? null, outbound.id]))
      .digest("hex");
    const cached = this.judges.get(key);
    if (cached) return cached;
    if (this.judges.size >= MAX_JUDGES) {
      const oldest = this.judges.keys().next().value;
      if (oldest !== undefined) this.judges.delete(oldest);
    }
    const judge = createJudge({ settings, apiKey, outbound });
    this.judges.set(key, judge);
    return judge;
  }
}
