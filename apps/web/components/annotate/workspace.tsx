"use client";
import Link from "next/link";
import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { Markdown } from "./content";
import { readOutbox, sendEntry, updateOutbox, type OutboxEntry } from "./outbox";
import { TaskForm, type JudgmentBody } from "./task-form";
import { isTypingTarget, type Task } from "./types";

const UNDO_WINDOW_MS = 2 * 60_000;

type Phase = { kind: "loading" } | { kind: "task"; task: Task } | { kind: "done" } | { kind: "error"; message: string };

async function fetchTask(url: string): Promise<Task | null> {
  const response = await fetch(url, { cache: "no-store" });
  if (response.status === 204) return null;
  const data = await response.json().catch(() => null);
  if (!response.ok) throw new Error(data?.error?.message ?? `HTTP ${response.status}`);
  return data as Task;
}

/** Active time on the current task: counts only while the tab is visible. */
function useActiveTime(taskId: string | null) {
  const total = useRef(0);
  const since = useRef<number | null>(null);
  useEffect(() => {
    total.current = 0;
    since.current = document.visibilityState === "visible" ? performance.now() : null;
    const onVisibility = () => {
      if (document.visibilityState === "visible") since.current = performance.now();
      else if (since.current !== null) { total.current += performance.now() - since.current; since.current = null; }
    };
    document.addEventListener("visibilitychange", onVisibility);
    return () => document.removeEventListener("visibilitychange", onVisibility);
  }, [taskId]);
  return () => Math.round(total.current + (since.current !== null ? performance.now() - since.current : 0));
}

export function Workspace({ campaignId, campaignName, guidelines }: { campaignId: string; campaignName: string; guidelines: string; email: string }) {
  const queryClient = useQueryClient();
  const [phase, setPhase] = useState<Phase>({ kind: "loading" });
  const [pending, setPending] = useState<OutboxEntry[]>([]);
  const [rejected, setRejected] = useState<OutboxEntry[]>([]);
  const [lastDone, setLastDone] = useState<{ task: Task; entry: OutboxEntry; at: number } | null>(null);
  const [showGuidelines, setShowGuidelines] = useState(false);
  const [showShortcuts, setShowShortcuts] = useState(false);
  const [doneCount, setDoneCount] = useState(0);
  const [notice, setNotice] = useState<string | null>(null);
  const current = phase.kind === "task" ? phase.task : null;
  const activeTime = useActiveTime(current?.assignmentId ?? null);

  /** Assignments the server may still see as open but the page is done with. */
  const busyIds = useCallback((extra: string[] = []) => [...extra, ...readOutbox(campaignId).filter((e) => !e.judgmentId).map((e) => e.assignmentId)], [campaignId]);

  const nextUrl = useCallback((exclude: string[]) => {
    const params = new URLSearchParams();
    for (const id of exclude) params.append("exclude", id);
    return `/api/v1/campaigns/${campaignId}/tasks/next${exclude.length ? `?${params}` : ""}`;
  }, [campaignId]);

  /** Prefetches the task after `afterId` so it shows at once when this one is submitted. */
  const prefetchAfter = useCallback((afterId: string) => {
    void queryClient.prefetchQuery({ queryKey: ["task-after", campaignId, afterId], queryFn: () => fetchTask(nextUrl(busyIds([afterId]))), staleTime: 5 * 60_000 });
  }, [busyIds, campaignId, nextUrl, queryClient]);

  const show = useCallback((task: Task | null) => {
    if (!task) { setPhase({ kind: "done" }); return; }
    setPhase({ kind: "task", task });
    prefetchAfter(task.assignmentId);
    window.scrollTo({ top: 0 });
  }, [prefetchAfter]);

  const flush = useCallback(async () => {
    const entries = readOutbox(campaignId).filter((e) => !e.judgmentId && !e.rejected);
    for (const entry of entries) {
      const result = await sendEntry(entry);
      // Undone (from another tab, say) while this copy was waiting: the annotator took it back.
      if (!result.ok && result.undone) { updateOutbox(campaignId, (all) => all.filter((e) => e.idempotencyKey !== entry.idempotencyKey)); continue; }
      updateOutbox(campaignId, (all) => all.map((e) => {
        if (e.idempotencyKey !== entry.idempotencyKey) return e;
        if (result.ok) return { ...e, judgmentId: result.id };
        if (result.retry) return { ...e, attempts: e.attempts + 1, lastError: result.message };
        return { ...e, rejected: { status: result.status, message: result.message } };
      }));
      if (result.ok) {
        setLastDone((last) => (last && last.entry.idempotencyKey === entry.idempotencyKey ? { ...last, entry: { ...last.entry, judgmentId: result.id } } : last));
      } else if (result.retry) break;
    }
    // Acknowledged entries are only kept for the undo window.
    updateOutbox(campaignId, (all) => all.filter((e) => !e.judgmentId || Date.now() - e.queuedAt < UNDO_WINDOW_MS));
    setPending(readOutbox(campaignId).filter((e) => !e.judgmentId));
    setRejected(readOutbox(campaignId).filter((e) => e.rejected));
  }, [campaignId]);

  useEffect(() => {
    let cancelled = false;
    void flush().then(async () => {
      try {
        const task = await fetchTask(nextUrl(busyIds()));
        if (!cancelled) show(task);
      } catch (error) {
        if (!cancelled) setPhase({ kind: "error", message: (error as Error).message });
      }
    });
    const timer = setInterval(() => void flush(), 4000);
    const online = () => void flush();
    window.addEventListener("online", online);
    return () => { cancelled = true; clearInterval(timer); window.removeEventListener("online", online); };
  }, [busyIds, flush, nextUrl, show]);

  async function advance(fromId: string) {
    setPhase({ kind: "loading" });
    try {
      const next = await queryClient.fetchQuery({ queryKey: ["task-after", campaignId, fromId], queryFn: () => fetchTask(nextUrl(busyIds([fromId]))), staleTime: 5 * 60_000 });
      queryClient.removeQueries({ queryKey: ["task-after", campaignId, fromId] });
      // The prefetched lease may have been taken back (expired); ask again if so.
      if (next && Date.parse(next.expiresAt) < Date.now() + 5_000) show(await fetchTask(nextUrl(busyIds([fromId]))));
      else show(next);
    } catch (error) {
      setPhase({ kind: "error", message: (error as Error).message });
    }
  }

  function submit(task: Task, body: JudgmentBody) {
    const entry: OutboxEntry = { assignmentId: task.assignmentId, idempotencyKey: crypto.randomUUID(), body: { ...body, timeMs: activeTime() }, queuedAt: Date.now(), attempts: 0 };
    updateOutbox(campaignId, (all) => [...all, entry]);
    setPending(readOutbox(campaignId).filter((e) => !e.judgmentId));
    setLastDone({ task, entry, at: Date.now() });
    setDoneCount((n) => n + 1);
    setNotice(null);
    void advance(task.assignmentId);
    void flush();
  }

  async function skip(task: Task, reason: string) {
    const response = await fetch(`/api/v1/assignments/${task.assignmentId}/skip`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ reason }) }).catch(() => null);
    if (!response?.ok) { setNotice("Could not skip this task; check your connection and try again."); return; }
    setLastDone(null);
    void advance(task.assignmentId);
  }

  async function undo() {
    if (!lastDone || Date.now() - lastDone.at > UNDO_WINDOW_MS) return;
    const { task, entry } = lastDone;
    const stored = readOutbox(campaignId).find((e) => e.idempotencyKey === entry.idempotencyKey);
    if (stored && !stored.judgmentId) {
      updateOutbox(campaignId, (all) => all.filter((e) => e.idempotencyKey !== entry.idempotencyKey));
    } else {
      const id = stored?.judgmentId ?? entry.judgmentId;
      if (!id) return;
      const response = await fetch(`/api/v1/judgments/${id}`, { method: "DELETE" }).catch(() => null);
      if (!response?.ok) { setNotice((await response?.json().catch(() => null))?.error?.message ?? "Undo failed."); return; }
      updateOutbox(campaignId, (all) => all.filter((e) => e.idempotencyKey !== entry.idempotencyKey));
    }
    setPending(readOutbox(campaignId).filter((e) => !e.judgmentId));
    setLastDone(null);
    setDoneCount((n) => Math.max(0, n - 1));
    const fresh = await fetchTask(`/api/v1/assignments/${task.assignmentId}`).catch(() => null);
    setPhase({ kind: "task", task: fresh ?? task });
    setNotice("Your last judgment was undone; it is back on screen.");
  }

  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === "Escape") { setShowGuidelines(false); setShowShortcuts(false); return; }
      if (isTypingTarget(e.target)) return;
      if (e.key === "?") { e.preventDefault(); setShowShortcuts((v) => !v); }
      else if (e.key === "g") { e.preventDefault(); setShowGuidelines((v) => !v); }
      else if (e.key === "u") { e.preventDefault(); void undo(); }
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  });

  const waiting = pending.filter((e) => !e.rejected);

  return (
    <div className="workspace">
      <header className="app-header">
        <Link href="/annotate" className="brand">Arbiter</Link>
        <span className="campaign-name">{campaignName}</span>
        <span className="muted" aria-live="polite">{doneCount} done this session</span>
        <span className="sync-state" role="status" aria-live="polite">
          {waiting.length === 0 ? "All judgments saved" : `${waiting.length} judgment${waiting.length > 1 ? "s" : ""} waiting to sync${waiting[0]?.lastError ? ` (${waiting[0].lastError}; retrying)` : ""}`}
        </span>
        <button type="button" onClick={() => setShowGuidelines((v) => !v)} aria-expanded={showGuidelines}>Guidelines <kbd>g</kbd></button>
        <button type="button" onClick={() => setShowShortcuts((v) => !v)} aria-expanded={showShortcuts}>Shortcuts <kbd>?</kbd></button>
        {lastDone && Date.now() - lastDone.at < UNDO_WINDOW_MS && <button type="button" onClick={() => void undo()}>Undo last <kbd>u</kbd></button>}
      </header>

      {showGuidelines && (
        <aside className="card overlay-panel" role="dialog" aria-label="Guidelines">
          <h2>Guidelines</h2>
          {guidelines.trim() ? <Markdown text={guidelines} /> : <p className="muted">This campaign has no written guidelines.</p>}
          <button type="button" onClick={() => setShowGuidelines(false)}>Close</button>
        </aside>
      )}
      {showShortcuts && <ShortcutSheet onClose={() => setShowShortcuts(false)} />}
      {notice && <p className="notice" role="status">{notice}</p>}
      {rejected.length > 0 && (
        <div className="notice error" role="alert">
          {rejected.length} judgment{rejected.length > 1 ? "s were" : " was"} refused by the server: {rejected.map((e) => e.rejected?.message).join("; ")}.{" "}
          <button type="button" className="link-button" onClick={() => { updateOutbox(campaignId, (all) => all.filter((e) => !e.rejected)); setRejected([]); setPending(readOutbox(campaignId).filter((e) => !e.judgmentId)); }}>Dismiss</button>
        </div>
      )}

      <main>
        {phase.kind === "loading" && <p className="muted" role="status">Loading the next task…</p>}
        {phase.kind === "error" && <p role="alert" className="error">{phase.message}</p>}
        {phase.kind === "done" && (
          <div className="card" role="status">
            <h1>All done here</h1>
            <p>There are no more tasks for you in this campaign right now. {waiting.length > 0 ? "Keep this page open until your last judgments are saved." : "Everything you did is saved."}</p>
            <Link href="/annotate">Back to your campaigns</Link>
          </div>
        )}
        {phase.kind === "task" && (
          <TaskForm key={phase.task.assignmentId} task={phase.task} onSubmit={(body) => submit(phase.task, body)} onSkip={(reason) => void skip(phase.task, reason)} />
        )}
      </main>
    </div>
  );
}

function ShortcutSheet({ onClose }: { onClose: () => void }) {
  const rows: Array<[string, string]> = [
    ["1 … 9", "Pairwise / best-only: choose that response"],
    ["t", "Tie (pairwise); in a ranking: tie the focused response with the one above"],
    ["x", "Both bad"],
    ["⇧1 ⇧2 ⇧3", "Strength: slightly / clearly / much better"],
    ["↑ ↓", "Ranking: move the focused response up or down"],
    ["1 … 9 (on a focused response)", "Ranking: move it to that rank"],
    ["j / k", "Ranking: focus the next / previous response"],
    ["Enter", "Submit (Ctrl+Enter from the rationale box)"],
    ["s", "Skip with a reason"],
    ["u", "Undo the last judgment (2 minutes)"],
    ["g", "Show or hide the guidelines"],
    ["?", "Show or hide this sheet"],
    ["Esc", "Close panels"],
  ];
  return (
    <aside className="card overlay-panel" role="dialog" aria-label="Keyboard shortcuts">
      <h2>Keyboard shortcuts</h2>
      <table><tbody>{rows.map(([k, v]) => <tr key={k}><th scope="row"><kbd>{k}</kbd></th><td>{v}</td></tr>)}</tbody></table>
      <button type="button" onClick={onClose}>Close</button>
    </aside>
  );
}
