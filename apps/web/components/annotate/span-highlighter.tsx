"use client";
import { useMemo, useRef, useState, type KeyboardEvent } from "react";
import type { Span } from "./types";

/** The words of `content` (runs of non-space) with their offsets: what the keyboard caret steps over. */
export function wordsOf(content: string): Array<{ start: number; end: number }> {
  const out: Array<{ start: number; end: number }> = [];
  for (const m of content.matchAll(/\S+/g)) out.push({ start: m.index, end: m.index + m[0].length });
  return out;
}

/** The word index that starts the sentence holding word `i` (after a word ending in . ! ? or a line break), or ends it. */
function sentenceEdge(content: string, words: Array<{ start: number; end: number }>, i: number, dir: -1 | 1): number {
  const ends = (w: number) =>
    /[.!?]["')\]]?$/.test(content.slice(words[w]!.start, words[w]!.end)) || content.slice(words[w]!.end, words[w + 1]?.start ?? words[w]!.end).includes("\n");
  let j = i;
  if (dir < 0) while (j > 0 && !ends(j - 1)) j--;
  else while (j < words.length - 1 && !ends(j)) j++;
  return j;
}

/**
 * The response's raw text with its tagged spans marked. Selecting text here maps exactly to
 * character offsets in the stored content (rendered markdown would not).
 *
 * By mouse: select text, then a "Tag selection" button. By keyboard, with the text focused (`h`
 * on the page, or Tab): a caret on one word, ← → move it a word, ⇧← ⇧→ extend the selection a
 * word, ⇧↑ ⇧↓ extend it to the sentence's start / end, Home / End to the text's, 1…9 tag the
 * selection with that label (the buttons' order), Esc drops the selection (a second Esc leaves).
 */
export function SpanHighlighter({
  candidateId,
  content,
  spans,
  labels,
  onAdd,
  onRemove,
  name,
}: {
  candidateId: string;
  content: string;
  spans: Span[];
  labels: string[];
  name: string;
  onAdd: (span: Span) => void;
  onRemove: (span: Span) => void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const [selection, setSelection] = useState<{ start: number; end: number } | null>(null);
  const mine = spans.filter((s) => s.candidateId === candidateId).sort((a, b) => a.start - b.start);
  const words = useMemo(() => wordsOf(content), [content]);
  /** The keyboard selection: words `anchor` … `caret` (either order); null until the text is focused. */
  const [caret, setCaret] = useState<{ anchor: number; caret: number } | null>(null);
  const [announce, setAnnounce] = useState("");

  function selectWords(anchor: number, at: number) {
    const lo = Math.min(anchor, at);
    const hi = Math.max(anchor, at);
    setCaret({ anchor, caret: at });
    const range = { start: words[lo]!.start, end: words[hi]!.end };
    setSelection(range);
    setAnnounce(`Selected “${content.slice(range.start, range.end).slice(0, 80)}”`);
  }

  function tag(label: string, range: { start: number; end: number }) {
    onAdd({ candidateId, start: range.start, end: range.end, label });
    setSelection(null);
    setAnnounce(`Tagged “${content.slice(range.start, range.end).slice(0, 80)}” as ${label}`);
    window.getSelection()?.removeAllRanges();
    if (caret) setCaret({ anchor: caret.caret, caret: caret.caret });
  }

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    if (e.ctrlKey || e.metaKey || e.altKey || words.length === 0) return;
    const at = caret?.caret ?? 0;
    const anchor = caret?.anchor ?? at;
    const last = words.length - 1;
    const step = (to: number, extend: boolean) => {
      e.preventDefault();
      const next = Math.max(0, Math.min(last, to));
      if (extend) selectWords(anchor, next);
      else selectWords(next, next);
    };
    if (e.key === "ArrowRight") step(caret ? at + 1 : 0, e.shiftKey);
    else if (e.key === "ArrowLeft") step(caret ? at - 1 : 0, e.shiftKey);
    else if (e.key === "ArrowUp" && e.shiftKey) step(sentenceEdge(content, words, at, -1), true);
    else if (e.key === "ArrowDown" && e.shiftKey) step(sentenceEdge(content, words, at, 1), true);
    else if (e.key === "Home") step(0, e.shiftKey);
    else if (e.key === "End") step(last, e.shiftKey);
    else if (/^[1-9]$/.test(e.key)) {
      // Digits belong to the text while it has focus (not to the page's "choose a response").
      e.preventDefault();
      const label = labels[Number(e.key) - 1];
      if (label && selection) tag(label, selection);
    } else if (e.key === "Escape") {
      if (selection) {
        e.preventDefault();
        e.stopPropagation();
        setSelection(null);
        setCaret(caret ? { anchor: at, caret: at } : null);
        setAnnounce("Selection cleared");
      } else e.currentTarget.blur();
    }
  }

  const caretRange = caret
    ? { start: words[Math.min(caret.anchor, caret.caret)]?.start ?? 0, end: words[Math.max(caret.anchor, caret.caret)]?.end ?? 0 }
    : null;

  function readSelection() {
    const sel = window.getSelection();
    const root = ref.current;
    if (!sel || sel.rangeCount === 0 || !root || sel.isCollapsed) return setSelection(null);
    const range = sel.getRangeAt(0);
    if (!root.contains(range.startContainer) || !root.contains(range.endContainer)) return setSelection(null);
    const offset = (node: Node, within: number) => {
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      let total = 0;
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        if (n === node) return total + within;
        total += n.textContent?.length ?? 0;
      }
      return total;
    };
    const start = offset(range.startContainer, range.startOffset);
    const end = offset(range.endContainer, range.endOffset);
    setSelection(end > start ? { start, end } : null);
  }

  const pieces: Array<{ text: string; from: number; span?: Span }> = [];
  let cursor = 0;
  for (const span of mine) {
    if (span.start < cursor) continue;
    if (span.start > cursor) pieces.push({ text: content.slice(cursor, span.start), from: cursor });
    pieces.push({ text: content.slice(span.start, span.end), from: span.start, span });
    cursor = span.end;
  }
  if (cursor < content.length) pieces.push({ text: content.slice(cursor), from: cursor });

  return (
    <div className="span-highlighter">
      <div
        ref={ref}
        className="raw-text"
        data-raw-text={candidateId}
        onMouseUp={() => {
          setCaret(null);
          readSelection();
        }}
        onKeyDown={onKeyDown}
        tabIndex={0}
        role="textbox"
        aria-readonly="true"
        aria-multiline="true"
        aria-label={`Text of ${name} for highlighting`}
        aria-description="Arrow keys move a word, Shift extends the selection, 1 to 9 tag it"
        data-keyboard-selection={caretRange && selection ? `${selection.start}-${selection.end}` : undefined}
      >
        {pieces.map((p, i) =>
          p.span ? (
            <mark key={i} className={`span-${p.span.label}`} title={p.span.label}>
              {p.text}
            </mark>
          ) : (
            <KeyboardSelected key={i} text={p.text} from={p.from} range={caretRange && selection ? selection : null} />
          ),
        )}
      </div>
      <span className="sr-only" aria-live="polite">
        {announce}
      </span>
      <div className="span-tools" role="group" aria-label={`Tag selected text in ${name}`}>
        {labels.map((label) => (
          <button
            key={label}
            type="button"
            disabled={!selection}
            onClick={() => {
              if (selection) tag(label, selection);
            }}
          >
            Tag selection in {name} as {label} <kbd className="key-hint">{labels.indexOf(label) + 1}</kbd>
          </button>
        ))}
      </div>
      {mine.length > 0 && (
        <ul className="span-list" aria-label={`Tagged spans in ${name}`}>
          {mine.map((s) => (
            <li key={`${s.start}-${s.end}-${s.label}`}>
              <span className={`badge span-${s.label}`}>{s.label}</span> “{content.slice(s.start, s.end)}”{" "}
              <button type="button" className="link-button" onClick={() => onRemove(s)}>
                Remove span “{content.slice(s.start, s.end).slice(0, 20)}”
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Unmarked text with the keyboard selection (if it falls here) shown as a selection. */
function KeyboardSelected({ text, from, range }: { text: string; from: number; range: { start: number; end: number } | null }) {
  const to = from + text.length;
  if (!range || range.end <= from || range.start >= to) return <span>{text}</span>;
  const a = Math.max(range.start, from) - from;
  const b = Math.min(range.end, to) - from;
  return (
    <span>
      {text.slice(0, a)}
      <span className="kbd-selection">{text.slice(a, b)}</span>
      {text.slice(b)}
    </span>
  );
}
