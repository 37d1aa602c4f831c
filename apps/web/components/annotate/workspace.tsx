"use client";
import Link from "next/link";
import { useEffect, useState } from "react";
import { Brand } from "@/components/brand";
import { Markdown } from "./content";
import { ShortcutSheet } from "./shortcut-sheet";
import { TaskForm, type JudgmentBody } from "./task-form";
import { isTypingTarget, type Task } from "./types";
import { useActiveTime } from "./use-active-time";
import type { OutboxEntry } from "./outbox";
import { UNDO_WINDOW_MS, useOutbox } from "./use-outbox";
import { useTaskQueue } from "./use-task-queue";

/**
 * The annotation page: the task on screen (use-task-queue), judgments synced in the background
 * (use-outbox), undo, guidelines and the shortcut sheet, and the page-wide keys.
 */
export function Workspace({ campaignId, campaignName, guidelines }: { campaignId: string; campaignName: string; guidelines: string; email: string }) {
  const outbox = useOutbox(campaignId);
  const queue = useTaskQueue(campaignId, outbox.unsentAssignmentIds);
  const { flush } = outbox;
  const { phase, loadFirst, advance } = queue;
  const [lastDone, setLastDone] = useState<{ task: Task; entry: OutboxEntry; at: number } | null>(null);
  const [showGuidelines, setShowGuidelines] = useState(false);
  const [showShortcuts, setShowShortcuts] = useState(false);
  const [doneCount, setDoneCount] = useState(0);
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

  function submit(task: Task, body: JudgmentBody) {
    const entry = outbox.enqueue(task.assignmentId, { ...body, timeMs: activeTime() });
    setLastDone({ task, entry, at: Date.now() });
    setDoneCount((n) => n + 1);
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
    setDoneCount((n) => Math.max(0, n - 1));
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

  return (
    <div className="workspace">
      <header className="app-header">
        <Brand href="/annotate" />
        <span className="campaign-name">{campaignName}</span>
        <span className="muted" aria-live="polite">
          {doneCount} done this session
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
      {showShortcuts && <ShortcutSheet onClose={() => setShowShortcuts(false)} />}
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
