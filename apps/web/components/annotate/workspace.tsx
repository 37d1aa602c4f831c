"use client";
import Link from "next/link";
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import { flushSync } from "react-dom";
import { callApi } from "@/lib/api-client";
import { Brand } from "@/components/brand";
import { Markdown } from "./content";
import { ShortcutSheet } from "./shortcut-sheet";
import { TaskForm, type JudgmentBody } from "./task-form";
import { isTypingTarget, type Task } from "./types";
import { useActiveTime } from "./use-active-time";
import type { OutboxEntry } from "./outbox";
import { readOutbox } from "./outbox";
import { UNDO_WINDOW_MS, useOutbox } from "./use-outbox";
import { useTaskQueue, type QueuePhase } from "./use-task-queue";

/** GET /campaigns/:id/my-progress (core annotation/my-progress.ts). */
interface MyProgress {
  judged: number;
  share: number;
  left: number;
  medianSeconds: number | null;
  secondsLeft: number | null;
}

/** A key pressed between two tasks, kept to be applied to the next one. */
type KeptKey = Pick<KeyboardEventInit, "key" | "code" | "shiftKey" | "ctrlKey" | "metaKey" | "altKey">;

/** Keys the page handles itself (never kept for a task), and keys that only move focus or scroll. */
const PAGE_KEYS = new Set(["?", "g", "u", "Escape", "Tab", "Shift", "Control", "Alt", "Meta", "CapsLock", "PageUp", "PageDown", "Home", "End", " "]);

export function timeLeftText(seconds: number | null): string | null {
  if (seconds === null) return null;
  if (seconds <= 0) return null;
  if (seconds < 60) return "under a minute left";
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `about ${minutes} min left`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `about ${h} h${m ? ` ${m} min` : ""} left`;
}

const keyName = (k: KeptKey) => (k.key === " " ? "Space" : k.shiftKey && /^Digit\d$/.test(k.code ?? "") ? `⇧${k.code!.slice(5)}` : k.key);

/**
 * The annotation page: the task on screen (use-task-queue), judgments synced in the background
 * (use-outbox), undo, guidelines and the shortcut sheet, and the page-wide keys.
 */
export function Workspace({ campaignId, campaignName, guidelines }: { campaignId: string; campaignName: string; guidelines: string; email: string }) {
  const outbox = useOutbox(campaignId);
  const queue = useTaskQueue(campaignId, outbox.unsentAssignmentIds);
  const { flush, acknowledgements } = outbox;
  const { phase, loadFirst, advance } = queue;
  const [lastDone, setLastDone] = useState<{ task: Task; entry: OutboxEntry; at: number } | null>(null);
  const [showGuidelines, setShowGuidelines] = useState(false);
  const [showShortcuts, setShowShortcuts] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const activeTime = useActiveTime(queue.current?.assignmentId ?? null);

  // What an earlier visit left in the outbox goes first, so the first task asked for excludes only what is still unsent.
  useEffect(() => {
    let cancelled = false;
    void flush().then(() => loadFirst(() => cancelled));
    return () => {
      cancelled = true;
    };
  }, [flush, loadFirst]);

  // Progress: the server's count of this annotator's judgments (read when the page opens and whenever judgments are
  // acknowledged or undone), plus what the outbox holds that the count did not include yet.
  const [progress, setProgress] = useState<{ data: MyProgress; askedAt: number } | null>(null);
  const refreshProgress = useCallback(async () => {
    const askedAt = Date.now();
    try {
      const data = await callApi<MyProgress>(`/api/v1/campaigns/${campaignId}/my-progress`, { cache: "no-store" });
      setProgress((old) => (old && old.askedAt > askedAt ? old : { data, askedAt }));
    } catch {
      // The counter is a comfort, not a blocker: keep the last one.
    }
  }, [campaignId]);
  useEffect(() => {
    void refreshProgress();
  }, [refreshProgress, acknowledgements]);

  // Keys pressed while no task is on screen (between two tasks) are kept and applied to the next
  // task in order; if none comes (all done, an error) the page says which keys were not used.
  const kept = useRef<KeptKey[]>([]);
  const [keptShown, setKeptShown] = useState<KeptKey[]>([]);
  const phaseRef = useRef<QueuePhase>(phase);
  const replaying = useRef(false);
  useLayoutEffect(() => {
    phaseRef.current = phase;
  });

  const replayKept = useCallback(async () => {
    if (replaying.current) return;
    replaying.current = true;
    try {
      // Out of React's effect flush first: each key is then applied, and committed, before the next is read.
      await new Promise((resolve) => setTimeout(resolve, 0));
      while (kept.current.length > 0 && phaseRef.current.kind === "task") {
        const k = kept.current.shift()!;
        setKeptShown([...kept.current]);
        flushSync(() => window.dispatchEvent(new KeyboardEvent("keydown", { ...k, bubbles: true, cancelable: true })));
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
    } finally {
      replaying.current = false;
    }
  }, []);

  useEffect(() => {
    if (kept.current.length === 0) return;
    if (phase.kind === "task") void replayKept();
    else if (phase.kind === "done" || phase.kind === "error") {
      setNotice(
        `${kept.current.length === 1 ? "A key" : `${kept.current.length} keys`} pressed while the next task was loading ${kept.current.length === 1 ? "was" : "were"} not used (${kept.current.map(keyName).join(" ")}): ${phase.kind === "done" ? "there is no next task" : "the next task did not load"}.`,
      );
      kept.current = [];
      setKeptShown([]);
    }
  }, [phase, replayKept]);

  useEffect(() => {
    function keep(e: KeyboardEvent) {
      if (!e.isTrusted || PAGE_KEYS.has(e.key) || isTypingTarget(e.target)) return;
      // A focused button or link acts on its key itself.
      if (e.target instanceof Element && e.target.closest("button, a, summary")) return;
      // Between tasks, or a replay of kept keys still going: keep it, in order.
      if (phaseRef.current.kind !== "loading" && kept.current.length === 0) return;
      if (phaseRef.current.kind === "done" || phaseRef.current.kind === "error") return;
      e.preventDefault();
      e.stopImmediatePropagation();
      kept.current.push({ key: e.key, code: e.code, shiftKey: e.shiftKey, ctrlKey: e.ctrlKey, metaKey: e.metaKey, altKey: e.altKey });
      setKeptShown([...kept.current]);
      if (phaseRef.current.kind === "task") void replayKept();
    }
    // Capture on window: before any handler of the page sees the key.
    window.addEventListener("keydown", keep, true);
    return () => window.removeEventListener("keydown", keep, true);
  }, [replayKept]);

  function submit(task: Task, body: JudgmentBody) {
    const entry = outbox.enqueue(task.assignmentId, { ...body, timeMs: activeTime() });
    setLastDone({ task, entry, at: Date.now() });
    setNotice(null);
    void advance(task.assignmentId);
    void flush();
  }

  async function skip(task: Task, reason: string) {
    if (await queue.skip(task, reason)) setLastDone(null);
    else setNotice("Could not skip this task; check your connection and try again.");
  }

  async function undo() {
    if (!lastDone || Date.now() - lastDone.at > UNDO_WINDOW_MS) return;
    const { task, entry } = lastDone;
    const result = await outbox.takeBack(entry);
    if (result.outcome === "nothing") return;
    if (result.outcome === "failed") {
      setNotice(result.message);
      return;
    }
    setLastDone(null);
    void refreshProgress();
    await queue.showAgain(task);
    setNotice("Your last judgment was undone; it is back on screen.");
  }

  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === "Escape") {
        setShowGuidelines(false);
        setShowShortcuts(false);
        return;
      }
      if (isTypingTarget(e.target)) return;
      if (e.key === "?") {
        e.preventDefault();
        setShowShortcuts((v) => !v);
      } else if (e.key === "g") {
        e.preventDefault();
        setShowGuidelines((v) => !v);
      } else if (e.key === "u") {
        e.preventDefault();
        void undo();
      }
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  });

  const { waiting, rejected } = outbox;

  // Judged = the server's count + the judgments it did not have when it counted (still waiting, or acknowledged since).
  let progressText: string | null = null;
  if (progress) {
    const { data, askedAt } = progress;
    const extra = readOutboxCount(campaignId, askedAt);
    const judged = data.judged + extra;
    const left = Math.max(0, data.left - extra);
    const share = Math.max(data.share, judged);
    const time = left === 0 ? "nothing left for you" : timeLeftText(data.medianSeconds === null ? null : left * data.medianSeconds);
    progressText = `${judged} of your ${share}${time ? ` · ${time}` : ""}`;
  }

  return (
    <div className="workspace">
      <header className="app-header">
        <Brand href="/annotate" />
        <span className="campaign-name">{campaignName}</span>
        <span
          className="my-progress muted"
          aria-live="polite"
          title="Your judgments in this campaign, of your share: the judgments it needs split over its active annotators (gold checks included). Time left from your median time per judgment."
        >
          {progressText ?? "\u00a0"}
        </span>
        <span className="sync-state" role="status" aria-live="polite">
          {waiting.length === 0
            ? "All judgments saved"
            : `${waiting.length} judgment${waiting.length > 1 ? "s" : ""} waiting to sync${waiting[0]?.lastError ? ` (${waiting[0].lastError}; retrying)` : ""}`}
        </span>
        <button type="button" onClick={() => setShowGuidelines((v) => !v)} aria-expanded={showGuidelines}>
          Guidelines <kbd>g</kbd>
        </button>
        <button type="button" onClick={() => setShowShortcuts((v) => !v)} aria-expanded={showShortcuts}>
          Shortcuts <kbd>?</kbd>
        </button>
        {lastDone && Date.now() - lastDone.at < UNDO_WINDOW_MS && (
          <button type="button" onClick={() => void undo()}>
            Undo last <kbd>u</kbd>
          </button>
        )}
      </header>

      {showGuidelines && (
        <aside className="card overlay-panel" role="dialog" aria-label="Guidelines">
          <h2>Guidelines</h2>
          {guidelines.trim() ? <Markdown text={guidelines} /> : <p className="muted">This campaign has no written guidelines.</p>}
          <button type="button" onClick={() => setShowGuidelines(false)}>
            Close
          </button>
        </aside>
      )}
      {showShortcuts && <ShortcutSheet onClose={() => setShowShortcuts(false)} task={queue.current} />}
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      {rejected.length > 0 && (
        <div className="notice error" role="alert">
          {rejected.length} judgment{rejected.length > 1 ? "s were" : " was"} refused by the server: {rejected.map((e) => e.rejected?.message).join("; ")}.{" "}
          <button type="button" className="link-button" onClick={outbox.dismissRejected}>
            Dismiss
          </button>
        </div>
      )}

      <main>
        {phase.kind === "loading" && (
          <p className="muted" role="status">
            Loading the next task…
            {keptShown.length > 0 && (
              <>
                {" "}
                <span className="kept-keys">
                  Kept for it:{" "}
                  {keptShown.map((k, i) => (
                    <kbd key={i}>{keyName(k)}</kbd>
                  ))}
                </span>
              </>
            )}
          </p>
        )}
        {phase.kind === "error" && (
          <p role="alert" className="error">
            {phase.message}
          </p>
        )}
        {phase.kind === "done" && (
          <div className="card" role="status">
            <h1>All done here</h1>
            <p>
              There are no more tasks for you in this campaign right now.{" "}
              {waiting.length > 0 ? "Keep this page open until your last judgments are saved." : "Everything you did is saved."}
            </p>
            <Link href="/annotate">Back to your campaigns</Link>
          </div>
        )}
        {phase.kind === "task" && (
          <TaskForm
            key={phase.task.assignmentId}
            task={phase.task}
            onSubmit={(body) => submit(phase.task, body)}
            onSkip={(reason) => void skip(phase.task, reason)}
          />
        )}
      </main>
    </div>
  );
}

/** Judgments in the outbox that a progress count read at `askedAt` did not include: not acknowledged yet, or acknowledged after it. */
function readOutboxCount(campaignId: string, askedAt: number): number {
  return readOutbox(campaignId).filter((e) => !e.rejected && (!e.judgmentId || (e.acknowledgedAt ?? 0) > askedAt)).length;
}
