"use client";
import { useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from "react";
import { TaskContext } from "./task-context";
import { KwiseRanking, toGroups, type RankState } from "./kwise-ranking";
import { SpanHighlighter } from "./span-highlighter";
import { isTypingTarget, letter, type Attributes, type Span, type Task } from "./types";
// reward-model hints (components/hints): mounted with the delimited lines marked "hints" below
import { CandidateHint, HintedResponse, HintPanel } from "../hints/hint-panel";
import { ResponseLabel } from "./content";
import { useRewardHints } from "../hints/use-reward-hints";
import type { JudgmentInput } from "@arbiter/core/client";

/** The judgment body: the type the server validates against (core's zod schema), not a hand copy. */
export type JudgmentBody = JudgmentInput;

const strengthLabels = ["Slightly better", "Clearly better", "Much better"];

/** One task: the context, the candidates and the decision controls. Keyed by assignment, so state resets per task. */
export function TaskForm({
  task,
  onSubmit,
  onSkip,
  disabled,
}: {
  task: Task;
  onSubmit: (body: JudgmentBody) => void;
  onSkip: (reason: string) => void;
  disabled?: boolean;
}) {
  const { options } = task;
  const letters = useMemo(() => Object.fromEntries(task.candidates.map((c, i) => [c.id, letter(i)])), [task.candidates]);
  const byId = useMemo(() => new Map(task.candidates.map((c) => [c.id, c])), [task.candidates]);
  const pickOne = task.comparison === "pairwise" || options.kwiseMode === "best_only";
  const withRationale = options.rationale !== "off";

  const [choice, setChoice] = useState<string | null>(null);
  const [strength, setStrength] = useState<number | null>(null);
  const [rank, setRankState] = useState<RankState>({ order: task.candidates.map((c) => c.id), tiedWithAbove: {} });
  // An untouched ranking is the presentation order: submitting it takes a second, explicit Enter (or the button).
  const [touched, setTouched] = useState(false);
  const [confirmOrder, setConfirmOrder] = useState(false);
  const setRank = (next: RankState) => {
    setRankState(next);
    setTouched(true);
    setConfirmOrder(false);
  };
  const formRef = useRef<HTMLFormElement>(null);
  const [rationale, setRationale] = useState("");
  const [attributes, setAttributes] = useState<Attributes>({});
  const [spans, setSpans] = useState<Span[]>([]);
  const [skipping, setSkipping] = useState(false);
  const hints = useRewardHints(task, pickOne ? { choice } : { ranking: toGroups(rank) }); // hints

  const problems: string[] = [];
  if (pickOne && !choice) problems.push(task.comparison === "pairwise" ? "choose a response, tie or both bad" : "choose the best response");
  if (pickOne && options.strengthScale && choice && byId.has(choice) && strength === null) problems.push("choose how much better");
  const trimmed = rationale.trim();
  if (options.rationale === "required" && trimmed.length < options.rationaleMinLength)
    problems.push(`write a rationale of at least ${options.rationaleMinLength} characters`);
  if (options.rationale === "optional" && trimmed.length > 0 && trimmed.length < options.rationaleMinLength)
    problems.push(`a rationale needs at least ${options.rationaleMinLength} characters`);
  const ready = problems.length === 0;

  function body(): JudgmentBody {
    const out: JudgmentBody = {};
    if (pickOne) {
      out.winner = choice ?? undefined;
      if (options.strengthScale && strength && choice && byId.has(choice)) out.strength = strength;
    } else out.ranking = toGroups(rank);
    if (withRationale && trimmed) out.rationale = trimmed;
    if (Object.keys(attributes).length > 0) out.attributes = attributes;
    if (spans.length > 0) out.spans = spans;
    return out;
  }

  const asShown = !pickOne && !touched;
  const statusText = !ready
    ? `To submit: ${problems.join("; ")}.`
    : asShown
      ? confirmOrder
        ? "Submit the order as shown? Enter again to confirm."
        : "Not ranked yet: move a response (j k ↑ ↓ 1…9), or press Enter twice to keep the order as shown."
      : "Ready to submit.";

  function submit() {
    if (!ready || disabled) return;
    if (asShown && !confirmOrder) {
      setConfirmOrder(true);
      return;
    }
    if (hints.beforeSubmit()) return; // hints: a strong disagreement is confirmed first (never blocks when the model is unavailable)
    const hint = hints.record(); // hints
    onSubmit(hint ? { ...body(), hint } : body());
  }

  /** Focuses the first element matching `selector` in this task (opening its <details> if closed); false if there is none. */
  function focusIn(selector: string, after?: Element | null): boolean {
    const all = [...(formRef.current?.querySelectorAll<HTMLElement>(selector) ?? [])];
    if (all.length === 0) return false;
    const at = after ? all.findIndex((el) => el === after || el.contains(after)) : -1;
    const el = all[(at + 1) % all.length]!;
    const details = el.closest("details");
    if (details && !details.open) details.open = true;
    el.focus({ preventScroll: true });
    el.scrollIntoView({ block: "nearest" });
    return true;
  }

  function onKey(e: KeyboardEvent) {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) {
      if ((e.ctrlKey || e.metaKey) && e.key === "Enter") {
        e.preventDefault();
        submit();
      }
      return;
    }
    if (isTypingTarget(e.target)) return;
    if (e.key === "Enter" && !(e.target instanceof HTMLButtonElement)) {
      e.preventDefault();
      submit();
      return;
    }
    if (e.key === "s") {
      e.preventDefault();
      setSkipping(true);
      return;
    }
    // Rationale tasks: jump to the ratings, the span text and the written reason.
    const target = e.target instanceof Element ? e.target : null;
    if (e.key === "a" && focusIn("[data-attribute-rating]")) {
      e.preventDefault();
      return;
    }
    if (e.key === "h" && focusIn("[data-raw-text]", target?.closest("[data-raw-text]"))) {
      e.preventDefault();
      return;
    }
    if (e.key === "w" && focusIn(".rationale textarea")) {
      e.preventDefault();
      return;
    }
    if (!pickOne) return;
    if (e.shiftKey && /^Digit[1-3]$/.test(e.code) && options.strengthScale) {
      e.preventDefault();
      setStrength(Number(e.code.slice(5)));
      return;
    }
    if (/^[1-9]$/.test(e.key)) {
      const c = task.candidates[Number(e.key) - 1];
      if (c) {
        e.preventDefault();
        setChoice(c.id);
      }
    } else if (e.key === "t" && options.allowTie) {
      e.preventDefault();
      setChoice("tie");
      setStrength(null);
    } else if (e.key === "x" && options.allowBothBad && task.comparison === "pairwise") {
      e.preventDefault();
      setChoice("both_bad");
      setStrength(null);
    }
  }

  // A layout effect: the keys are live from the commit that puts this task on screen (the page keeps keys pressed before that).
  useLayoutEffect(() => {
    const handler = (e: KeyboardEvent) => onKey(e);
    window.addEventListener("keydown", handler);
    return () => window.removeEventListener("keydown", handler);
  });

  const setAttribute = (id: string, name: string, value: number | null) =>
    setAttributes((all) => {
      const next = { ...all, [id]: { ...(all[id] ?? {}) } };
      if (value === null) delete next[id]![name];
      else next[id]![name] = value;
      if (Object.keys(next[id]!).length === 0) delete next[id];
      return next;
    });

  /**
   * Keys on an attribute rating: a digit sets it (when in range), Backspace / Delete clears it,
   * ↑ ↓ go to the previous / next attribute (on to the next response's after the last one),
   * ← → to the same attribute of the previous / next response, Esc back to the page's keys.
   */
  function onAttributeKey(e: ReactKeyboardEvent<HTMLSelectElement>, id: string, a: { name: string; min: number; max: number }) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const el = e.currentTarget;
    const all = [...(formRef.current?.querySelectorAll<HTMLSelectElement>("[data-attribute-rating]") ?? [])];
    const here = all.indexOf(el);
    const go = (other: HTMLSelectElement | undefined) => {
      e.preventDefault();
      if (!other) return;
      other.focus({ preventScroll: true });
      other.scrollIntoView({ block: "nearest" });
    };
    if (/^[0-9]$/.test(e.key)) {
      e.preventDefault();
      const v = Number(e.key);
      if (v >= a.min && v <= a.max) setAttribute(id, a.name, v);
    } else if (e.key === "Backspace" || e.key === "Delete") {
      e.preventDefault();
      setAttribute(id, a.name, null);
    } else if (e.key === "ArrowDown") go(all[here + 1]);
    else if (e.key === "ArrowUp") go(all[here - 1]);
    else if (e.key === "ArrowLeft" || e.key === "ArrowRight") {
      const sameName = all.filter((s) => s.dataset.attributeRating === a.name);
      go(sameName[sameName.indexOf(el) + (e.key === "ArrowLeft" ? -1 : 1)]);
    } else if (e.key === "Escape") {
      el.blur();
    }
  }

  const candidateBody = (id: string) => {
    const c = byId.get(id);
    if (!c) return null;
    const name = `Response ${letters[id]}`;
    return (
      <>
        <ResponseLabel name={name}>
          <HintedResponse hints={hints} id={id} content={c.content} /> {/* hints */}
        </ResponseLabel>
        <CandidateHint hints={hints} id={id} /> {/* hints */}
        {withRationale && options.spanLabels.length > 0 && (
          <details className="span-details">
            <summary>Highlight spans in {name}</summary>
            <SpanHighlighter
              candidateId={id}
              name={name}
              content={c.content}
              spans={spans}
              labels={options.spanLabels}
              onAdd={(s) => setSpans((all) => [...all, s])}
              onRemove={(s) => setSpans((all) => all.filter((x) => x !== s))}
            />
          </details>
        )}
        {options.attributes.length > 0 && (
          <fieldset className="attributes">
            <legend>Ratings for {name}</legend>
            {options.attributes.map((a) => (
              <label key={a.name} className="attribute">
                <span>{a.label ?? a.name}</span>
                <select
                  aria-label={`${a.label ?? a.name} of ${name}`}
                  aria-keyshortcuts={`${a.min}-${Math.min(9, a.max)} ArrowUp ArrowDown`}
                  data-attribute-rating={a.name}
                  value={attributes[id]?.[a.name] ?? ""}
                  onKeyDown={(e) => onAttributeKey(e, id, a)}
                  onChange={(e) => setAttribute(id, a.name, e.target.value === "" ? null : Number(e.target.value))}
                >
                  <option value="">–</option>
                  {Array.from({ length: a.max - a.min + 1 }, (_, i) => a.min + i).map((v) => (
                    <option key={v} value={v}>
                      {v}
                    </option>
                  ))}
                </select>
              </label>
            ))}
          </fieldset>
        )}
      </>
    );
  };

  return (
    <form
      ref={formRef}
      className="task"
      aria-label="Task"
      data-assignment-id={task.assignmentId}
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <TaskContext prompt={task.item.prompt} messages={task.item.messages} media={task.item.media} />

      {task.comparison === "pairwise" ? (
        <div className="pair">
          {task.candidates.map((c) => (
            <section
              key={c.id}
              className={`candidate${choice === c.id ? " chosen" : ""}`}
              aria-label={`Response ${letters[c.id]}`}
              data-candidate-id={c.id}
              data-rm-reward={hints.rewardAttr(c.id)}
            >
              <h2>Response {letters[c.id]}</h2>
              {candidateBody(c.id)}
            </section>
          ))}
        </div>
      ) : pickOne ? (
        <div className="kwise-grid">
          {task.candidates.map((c, i) => (
            <section
              key={c.id}
              className={`candidate${choice === c.id ? " chosen" : ""}`}
              aria-label={`Response ${letters[c.id]}`}
              data-candidate-id={c.id}
              data-rm-reward={hints.rewardAttr(c.id)}
            >
              <h2>
                Response {letters[c.id]} <span className="key-hint">({i + 1})</span>
              </h2>
              {candidateBody(c.id)}
            </section>
          ))}
        </div>
      ) : (
        <KwiseRanking
          state={rank}
          onChange={setRank}
          allowTie={options.allowTie}
          letters={letters}
          render={candidateBody}
          rewardOf={hints.rewardAttr}
          pageKeys={!disabled}
        />
      )}

      {withRationale && (
        <div className="rationale">
          <label htmlFor={`rationale-${task.assignmentId}`}>Rationale{options.rationale === "required" ? "" : " (optional)"}</label>
          <textarea
            id={`rationale-${task.assignmentId}`}
            rows={3}
            value={rationale}
            onChange={(e) => setRationale(e.target.value)}
            aria-describedby={`rationale-count-${task.assignmentId}`}
            placeholder="Why is the chosen response better? (Ctrl+Enter submits)"
          />
          <span id={`rationale-count-${task.assignmentId}`} className="muted">
            {trimmed.length} / {options.rationaleMinLength} characters minimum
          </span>
        </div>
      )}
      <div className="decision" role="group" aria-label="Decision">
        {/* One line on wide screens: the choices, the strength inline, submit and skip; the status text is cut short rather than wrapped. */}
        <div className="decision-row">
          {pickOne && (
            <div className="choices" role="group" aria-label={task.comparison === "pairwise" ? "Which response is better?" : "Which response is best?"}>
              {task.candidates.map((c, i) => (
                <button key={c.id} type="button" aria-pressed={choice === c.id} onClick={() => setChoice(c.id)}>
                  {letters[c.id]} is {task.comparison === "pairwise" ? "better" : "best"} <kbd>{i + 1}</kbd>
                </button>
              ))}
              {options.allowTie && (
                <button
                  type="button"
                  aria-pressed={choice === "tie"}
                  onClick={() => {
                    setChoice("tie");
                    setStrength(null);
                  }}
                >
                  Tie <kbd>t</kbd>
                </button>
              )}
              {options.allowBothBad && task.comparison === "pairwise" && (
                <button
                  type="button"
                  aria-pressed={choice === "both_bad"}
                  onClick={() => {
                    setChoice("both_bad");
                    setStrength(null);
                  }}
                >
                  Both bad <kbd>x</kbd>
                </button>
              )}
            </div>
          )}
          {pickOne && options.strengthScale && choice && byId.has(choice) && (
            <div className="strength" role="radiogroup" aria-label="Strength">
              {strengthLabels.map((label, i) => (
                <label key={label} className="radio">
                  <input type="radio" name="strength" value={i + 1} checked={strength === i + 1} onChange={() => setStrength(i + 1)} aria-label={label} />
                  {label.split(" ")[0]} <kbd>⇧{i + 1}</kbd>
                </label>
              ))}
            </div>
          )}
          <div className="submit-row">
            <button type="submit" className="primary" disabled={!ready || disabled} aria-describedby={`problems-${task.assignmentId}`}>
              {asShown && confirmOrder ? "Submit as shown" : "Submit"} <kbd>Enter</kbd>
            </button>
            <button type="button" onClick={() => setSkipping(true)}>
              Skip <kbd>s</kbd>
            </button>
            <span
              id={`problems-${task.assignmentId}`}
              className={`status-text${asShown && confirmOrder && ready ? " confirm" : " muted"}`}
              title={statusText}
              role={asShown && confirmOrder ? "status" : undefined}
            >
              {statusText}
            </span>
          </div>
        </div>
        <HintPanel hints={hints} letters={letters} onSubmitAnyway={submit} /> {/* hints */}
        {skipping && (
          <SkipForm
            onCancel={() => setSkipping(false)}
            onSkip={(reason) => {
              setSkipping(false);
              onSkip(reason);
            }}
          />
        )}
      </div>
    </form>
  );
}

const skipReasons = ["I lack the expertise", "Content is unreadable or broken", "Offensive or unsafe content", "Other"];

function SkipForm({ onSkip, onCancel }: { onSkip: (reason: string) => void; onCancel: () => void }) {
  const [reason, setReason] = useState(skipReasons[0] as string);
  const [other, setOther] = useState("");
  return (
    <div className="card skip-form" role="group" aria-label="Skip this task">
      <label htmlFor="skip-reason">Reason for skipping</label>
      <select id="skip-reason" value={reason} onChange={(e) => setReason(e.target.value)} autoFocus>
        {skipReasons.map((r) => (
          <option key={r}>{r}</option>
        ))}
      </select>
      {reason === "Other" && <input aria-label="Other reason" value={other} onChange={(e) => setOther(e.target.value)} />}
      <p>
        <button type="button" className="primary" onClick={() => onSkip(reason === "Other" ? other || "Other" : reason)}>
          Skip task
        </button>{" "}
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </p>
    </div>
  );
}
