"use client";
import { useRef, useState } from "react";
import type { Span } from "./types";

/**
 * The response's raw text with its tagged spans marked. Selecting text here maps exactly to
 * character offsets in the stored content (rendered markdown would not).
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

  const pieces: Array<{ text: string; span?: Span }> = [];
  let cursor = 0;
  for (const span of mine) {
    if (span.start < cursor) continue;
    if (span.start > cursor) pieces.push({ text: content.slice(cursor, span.start) });
    pieces.push({ text: content.slice(span.start, span.end), span });
    cursor = span.end;
  }
  if (cursor < content.length) pieces.push({ text: content.slice(cursor) });

  return (
    <div className="span-highlighter">
      <div
        ref={ref}
        className="raw-text"
        data-raw-text={candidateId}
        onMouseUp={readSelection}
        onKeyUp={readSelection}
        tabIndex={0}
        aria-label={`Text of ${name} for highlighting`}
      >
        {pieces.map((p, i) =>
          p.span ? (
            <mark key={i} className={`span-${p.span.label}`} title={p.span.label}>
              {p.text}
            </mark>
          ) : (
            <span key={i}>{p.text}</span>
          ),
        )}
      </div>
      <div className="span-tools" role="group" aria-label={`Tag selected text in ${name}`}>
        {labels.map((label) => (
          <button
            key={label}
            type="button"
            disabled={!selection}
            onClick={() => {
              if (!selection) return;
              onAdd({ candidateId, start: selection.start, end: selection.end, label });
              setSelection(null);
              window.getSelection()?.removeAllRanges();
            }}
          >
            Tag selection in {name} as {label}
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
