"use client";
import { useCallback, useEffect, useRef, useState } from "react";
import { ApiCallError, callApi } from "@/lib/api-client";
import { readOutbox, sendEntry, updateOutbox, type OutboxEntry } from "./outbox";

/** How long a judgment can be taken back; acknowledged entries are kept that long for it. */
export const UNDO_WINDOW_MS = 2 * 60_000;
const FLUSH_EVERY_MS = 4000;

export type TakeBackResult = { outcome: "taken-back" } | { outcome: "nothing" } | { outcome: "failed"; message: string };

/**
 * The page's side of the outbox (outbox.ts): what is waiting and what the server refused, a flush
 * every few seconds and whenever the browser comes back online, retries until the server has
 * each judgment, and taking one back (undo) whether or not it has been sent yet.
 */
export function useOutbox(campaignId: string) {
  const [pending, setPending] = useState<OutboxEntry[]>([]);
  const [rejected, setRejected] = useState<OutboxEntry[]>([]);
  /** Judgment ids the server acknowledged while this page was open, by Idempotency-Key. */
  const acknowledged = useRef(new Map<string, string>());
  /** Sends on their way, by Idempotency-Key: an undo waits for its judgment's send to settle (else the server would keep a judgment the page says is undone). */
  const inFlight = useRef(new Map<string, Promise<unknown>>());
  /** Bumped whenever the server acknowledges judgments (the progress counter reads again). */
  const [acknowledgements, setAcknowledgements] = useState(0);

  const showPending = useCallback(() => setPending(readOutbox(campaignId).filter((e) => !e.judgmentId)), [campaignId]);

  /** Assignments the server may still see as open but the page is done with (their judgments are not acknowledged yet). */
  const unsentAssignmentIds = useCallback(
    (extra: string[] = []) => [
      ...extra,
      ...readOutbox(campaignId)
        .filter((e) => !e.judgmentId)
        .map((e) => e.assignmentId),
    ],
    [campaignId],
  );

  const flush = useCallback(async () => {
    const entries = readOutbox(campaignId).filter((e) => !e.judgmentId && !e.rejected && !inFlight.current.has(e.idempotencyKey));
    let acked = 0;
    for (const entry of entries) {
      // Taken back (undo) while an earlier entry was being sent: nothing to send.
      if (!readOutbox(campaignId).some((e) => e.idempotencyKey === entry.idempotencyKey)) continue;
      // The send and its bookkeeping as one promise: an undo that waits on it sees the outcome recorded.
      const sending = (async () => {
        const result = await sendEntry(entry);
        // Undone (from another tab, say) while this copy was waiting: the annotator took it back.
        if (!result.ok && result.undone) {
          updateOutbox(campaignId, (all) => all.filter((e) => e.idempotencyKey !== entry.idempotencyKey));
          return result;
        }
        updateOutbox(campaignId, (all) =>
          all.map((e) => {
            if (e.idempotencyKey !== entry.idempotencyKey) return e;
            if (result.ok) return { ...e, judgmentId: result.id, acknowledgedAt: Date.now() };
            if (result.retry) return { ...e, attempts: e.attempts + 1, lastError: result.message };
            return { ...e, rejected: { status: result.status, message: result.message } };
          }),
        );
        if (result.ok) acknowledged.current.set(entry.idempotencyKey, result.id);
        return result;
      })();
      inFlight.current.set(entry.idempotencyKey, sending);
      const result = await sending.finally(() => inFlight.current.delete(entry.idempotencyKey));
      if (result.ok) acked++;
      else if (result.retry && !result.undone) break;
    }
    if (acked > 0) setAcknowledgements((n) => n + 1);
    // Acknowledged entries are only kept for the undo window.
    updateOutbox(campaignId, (all) => all.filter((e) => !e.judgmentId || Date.now() - e.queuedAt < UNDO_WINDOW_MS));
    setPending(readOutbox(campaignId).filter((e) => !e.judgmentId));
    setRejected(readOutbox(campaignId).filter((e) => e.rejected));
  }, [campaignId]);

  useEffect(() => {
    const timer = setInterval(() => void flush(), FLUSH_EVERY_MS);
    const online = () => void flush();
    window.addEventListener("online", online);
    return () => {
      clearInterval(timer);
      window.removeEventListener("online", online);
    };
  }, [flush]);

  /** Queues a judgment for `assignmentId` (sent by the next flush). */
  const enqueue = useCallback(
    (assignmentId: string, body: unknown): OutboxEntry => {
      const entry: OutboxEntry = { assignmentId, idempotencyKey: crypto.randomUUID(), body, queuedAt: Date.now(), attempts: 0 };
      updateOutbox(campaignId, (all) => [...all, entry]);
      showPending();
      return entry;
    },
    [campaignId, showPending],
  );

  /**
   * Takes a judgment back: still waiting, it is dropped; acknowledged, the server deletes it.
   */
  const takeBack = useCallback(
    async (entry: OutboxEntry): Promise<TakeBackResult> => {
      // Being sent right now: wait for the answer, then take back what the server has (or drop what it refused to store).
      const sending = inFlight.current.get(entry.idempotencyKey);
      if (sending) await sending.catch(() => undefined);
      const stored = readOutbox(campaignId).find((e) => e.idempotencyKey === entry.idempotencyKey);
      if (!stored || stored.judgmentId) {
        const id = stored?.judgmentId ?? acknowledged.current.get(entry.idempotencyKey);
        if (!id) return { outcome: "nothing" };
        try {
          await callApi(`/api/v1/judgments/${id}`, { method: "DELETE", fallbackMessage: "Undo failed." });
        } catch (error) {
          return { outcome: "failed", message: error instanceof ApiCallError && !error.unreachable ? error.message : "Undo failed." };
        }
      }
      updateOutbox(campaignId, (all) => all.filter((e) => e.idempotencyKey !== entry.idempotencyKey));
      showPending();
      return { outcome: "taken-back" };
    },
    [campaignId, showPending],
  );

  const dismissRejected = useCallback(() => {
    updateOutbox(campaignId, (all) => all.filter((e) => !e.rejected));
    setRejected([]);
    showPending();
  }, [campaignId, showPending]);

  return { pending, rejected, waiting: pending.filter((e) => !e.rejected), flush, enqueue, takeBack, dismissRejected, unsentAssignmentIds, acknowledgements };
}
