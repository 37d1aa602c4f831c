import { ApiCallError, callApi } from "@/lib/api-client";

/**
 * Judgments waiting to reach the server, kept in localStorage so a closed tab, a network
 * failure or a server restart never loses one. Each carries its Idempotency-Key, so a retry
 * of something the server already stored is harmless.
 */
export interface OutboxEntry {
  assignmentId: string;
  idempotencyKey: string;
  body: unknown;
  queuedAt: number;
  attempts: number;
  lastError?: string;
  /** Set when the server refused it for good (4xx): kept and shown, never dropped silently. */
  rejected?: { status: number; message: string };
  /** The judgment id once the server acknowledged it (kept briefly for undo). */
  judgmentId?: string;
  /** When the server acknowledged it (Date.now()): the progress counter knows whether a count it read includes it. */
  acknowledgedAt?: number;
}

const key = (campaignId: string) => `arbiter.outbox.${campaignId}`;

export function readOutbox(campaignId: string): OutboxEntry[] {
  try {
    return JSON.parse(localStorage.getItem(key(campaignId)) ?? "[]") as OutboxEntry[];
  } catch {
    return [];
  }
}

export function writeOutbox(campaignId: string, entries: OutboxEntry[]) {
  localStorage.setItem(key(campaignId), JSON.stringify(entries));
}

export function updateOutbox(campaignId: string, change: (entries: OutboxEntry[]) => OutboxEntry[]) {
  writeOutbox(campaignId, change(readOutbox(campaignId)));
}

export type SendResult =
  | { ok: true; id: string }
  /** `undone`: the server says the judgment sent with this key was undone (409 `idempotency_key_spent`); there is nothing left to send. */
  | { ok: false; retry: boolean; undone?: boolean; status: number; message: string };

/** Statuses worth sending again: the server or the way to it failed, or the session has to be renewed first. */
const isRetryable = (status: number) => status === 0 || status >= 500 || status === 429 || status === 408 || status === 401;

export async function sendEntry(entry: OutboxEntry): Promise<SendResult> {
  try {
    const data = await callApi<{ id: string } | null>(`/api/v1/assignments/${entry.assignmentId}/judgment`, {
      method: "POST",
      body: entry.body,
      headers: { "idempotency-key": entry.idempotencyKey },
      fallbackMessage: (status) => `HTTP ${status}`,
    });
    return { ok: true, id: data?.id as string };
  } catch (error) {
    if (!(error instanceof ApiCallError)) return { ok: false, retry: true, status: 0, message: (error as Error).message || "network error" };
    const undone = error.code === "idempotency_key_spent";
    return { ok: false, retry: isRetryable(error.status), ...(undone ? { undone } : {}), status: error.status, message: error.message };
  }
}
