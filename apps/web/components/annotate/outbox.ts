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

export async function sendEntry(entry: OutboxEntry): Promise<SendResult> {
  try {
    const response = await fetch(`/api/v1/assignments/${entry.assignmentId}/judgment`, {
      method: "POST",
      headers: { "content-type": "application/json", "idempotency-key": entry.idempotencyKey },
      body: JSON.stringify(entry.body),
    });
    const data = await response.json().catch(() => null);
    if (response.ok) return { ok: true, id: data?.id as string };
    const retry = response.status >= 500 || response.status === 429 || response.status === 408 || response.status === 401;
    const undone = data?.error?.code === "idempotency_key_spent";
    return { ok: false, retry, ...(undone ? { undone } : {}), status: response.status, message: data?.error?.message ?? `HTTP ${response.status}` };
  } catch (error) {
    return { ok: false, retry: true, status: 0, message: (error as Error).message || "network error" };
  }
}
