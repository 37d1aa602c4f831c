"use client";
import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useState } from "react";
import { callApi } from "@/lib/api-client";
import type { Task } from "./types";

export type QueuePhase = { kind: "loading" } | { kind: "task"; task: Task } | { kind: "done" } | { kind: "error"; message: string };

/** A lease ending this soon is not worth showing: the server may hand the task to someone else. */
const LEASE_MARGIN_MS = 5_000;
const PREFETCH_STALE_MS = 5 * 60_000;

function fetchTask(url: string): Promise<Task | null> {
  return callApi<Task | null>(url, { cache: "no-store", fallbackMessage: (status) => `HTTP ${status}` });
}

/**
 * The annotator's queue of tasks: the one on screen, and the next one fetched (leased) while
 * this one is being judged, so it shows at once on submit or skip. Assignments the page is done
 * with but the server may still see as open (`unsentAssignmentIds`: judgments still in the
 * outbox) are never asked for again.
 */
export function useTaskQueue(campaignId: string, unsentAssignmentIds: (extra?: string[]) => string[]) {
  const queryClient = useQueryClient();
  const [phase, setPhase] = useState<QueuePhase>({ kind: "loading" });

  const nextUrl = useCallback(
    (exclude: string[]) => {
      const params = new URLSearchParams();
      for (const id of exclude) params.append("exclude", id);
      return `/api/v1/campaigns/${campaignId}/tasks/next${exclude.length ? `?${params}` : ""}`;
    },
    [campaignId],
  );

  /** Prefetches the task after `afterId` so it shows at once when this one is submitted. */
  const prefetchAfter = useCallback(
    (afterId: string) => {
      void queryClient.prefetchQuery({
        queryKey: ["task-after", campaignId, afterId],
        queryFn: () => fetchTask(nextUrl(unsentAssignmentIds([afterId]))),
        staleTime: PREFETCH_STALE_MS,
      });
    },
    [unsentAssignmentIds, campaignId, nextUrl, queryClient],
  );

  const show = useCallback(
    (task: Task | null) => {
      if (!task) {
        setPhase({ kind: "done" });
        return;
      }
      setPhase({ kind: "task", task });
      prefetchAfter(task.assignmentId);
      window.scrollTo({ top: 0 });
    },
    [prefetchAfter],
  );

  /** The first task of the visit; `cancelled` says the page has moved on meanwhile. */
  const loadFirst = useCallback(
    async (cancelled: () => boolean) => {
      try {
        const task = await fetchTask(nextUrl(unsentAssignmentIds()));
        if (!cancelled()) show(task);
      } catch (error) {
        if (!cancelled()) setPhase({ kind: "error", message: (error as Error).message });
      }
    },
    [unsentAssignmentIds, nextUrl, show],
  );

  /**
   * The task after `fromId` (submitted or skipped). The prefetched one shows in the same render as
   * the submit (no "Loading" frame, so no key can fall between two tasks) unless it is not there
   * yet, said "nothing left" (asked again: that may have changed) or its lease is ending.
   */
  const advance = useCallback(
    async (fromId: string) => {
      const queryKey = ["task-after", campaignId, fromId];
      const cached = queryClient.getQueryState<Task | null>(queryKey);
      if (cached?.status === "success" && cached.data && Date.parse(cached.data.expiresAt) >= Date.now() + LEASE_MARGIN_MS) {
        queryClient.removeQueries({ queryKey });
        show(cached.data);
        return;
      }
      setPhase({ kind: "loading" });
      try {
        const ask = () => fetchTask(nextUrl(unsentAssignmentIds([fromId])));
        let next: Task | null;
        // Prefetched "nothing left" or an ending lease: ask again.
        if (cached?.status === "success") next = await ask();
        else {
          // Not prefetched yet (or still on its way, which this joins).
          next = await queryClient.fetchQuery({ queryKey, queryFn: ask, staleTime: PREFETCH_STALE_MS });
          if (next && Date.parse(next.expiresAt) < Date.now() + LEASE_MARGIN_MS) next = await ask();
        }
        queryClient.removeQueries({ queryKey });
        show(next);
      } catch (error) {
        setPhase({ kind: "error", message: (error as Error).message });
      }
    },
    [unsentAssignmentIds, campaignId, nextUrl, queryClient, show],
  );

  /** Skips `task` (the server records the reason) and moves on; false when the server did not take the skip. */
  const skip = useCallback(
    async (task: Task, reason: string): Promise<boolean> => {
      try {
        await callApi(`/api/v1/assignments/${task.assignmentId}/skip`, { body: { reason } });
      } catch {
        return false;
      }
      void advance(task.assignmentId);
      return true;
    },
    [advance],
  );

  /** Puts `task` back on screen (an undone judgment), as the server sees it now when it answers. */
  const showAgain = useCallback(async (task: Task) => {
    const fresh = await fetchTask(`/api/v1/assignments/${task.assignmentId}`).catch(() => null);
    setPhase({ kind: "task", task: fresh ?? task });
  }, []);

  return { phase, current: phase.kind === "task" ? phase.task : null, loadFirst, advance, skip, showAgain };
}
