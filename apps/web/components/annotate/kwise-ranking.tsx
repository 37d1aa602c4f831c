"use client";
import { DndContext, PointerSensor, closestCenter, useSensor, useSensors, type DragEndEvent } from "@dnd-kit/core";
import { SortableContext, arrayMove, useSortable, verticalListSortingStrategy } from "@dnd-kit/sortable";
import { CSS } from "@dnd-kit/utilities";
import { useLayoutEffect, useRef, useState, type ReactNode } from "react";
import { isTypingTarget } from "./types";

/** A ranking as an ordered list plus "tied with the one above" flags; groups come from runs of ties. */
export interface RankState {
  order: string[];
  tiedWithAbove: Record<string, boolean>;
}

export function toGroups(state: RankState): string[][] {
  const groups: string[][] = [];
  state.order.forEach((id, index) => {
    const last = groups[groups.length - 1];
    if (index > 0 && state.tiedWithAbove[id] && last) last.push(id);
    else groups.push([id]);
  });
  return groups;
}

function rankOf(state: RankState, id: string): number {
  let rank = 0;
  for (let i = 0; i < state.order.length; i++) {
    const cur = state.order[i] as string;
    if (i === 0 || !state.tiedWithAbove[cur]) rank = i + 1;
    if (cur === id) return rank;
  }
  return rank;
}

function SortableCard({ id, children, label, reward, cursor }: { id: string; label: string; children: ReactNode; reward?: string; cursor: boolean }) {
  const { attributes, listeners, setNodeRef, transform, transition, isDragging } = useSortable({ id });
  return (
    <li
      ref={setNodeRef}
      style={{ transform: CSS.Transform.toString(transform), transition, zIndex: isDragging ? 2 : undefined }}
      className={`rank-card${isDragging ? " dragging" : ""}${cursor ? " cursor" : ""}`}
      data-cursor={cursor ? "true" : undefined}
      data-candidate-id={id}
      data-rm-reward={reward}
      {...attributes}
      role="listitem"
      aria-roledescription="rankable response"
      aria-label={label}
      tabIndex={0}
    >
      <div className="drag-handle" {...listeners} aria-hidden="true" title="Drag to reorder">
        ⠿
      </div>
      <div className="rank-body">{children}</div>
    </li>
  );
}

/** A key the ranking handles, wherever focus is on the page (but in a text box, a select or on a button). */
const RANK_KEYS = /^(ArrowUp|ArrowDown|j|k|t|[1-9])$/;

/**
 * The ranking, best first: drag and drop, the ↑ ↓ = buttons, or the keyboard from page load. The
 * keys act on the *current* response (outlined; the first one at load, then the one last moved,
 * focused or clicked): j / k make the next / previous one current, ↑ ↓ move it, 1…9 put it at
 * that rank, t ties it with the one above. `onChange` also says the ranking was touched.
 */
export function KwiseRanking({
  state,
  onChange,
  allowTie,
  letters,
  render,
  rewardOf,
  pageKeys = true,
}: {
  /** false (the builder's preview): keys act only on a focused card, never page-wide. */
  pageKeys?: boolean;
  state: RankState;
  onChange: (next: RankState) => void;
  allowTie: boolean;
  letters: Record<string, string>;
  render: (id: string) => ReactNode;
  /** Reward-model hints: the candidate's reward for `data-rm-reward` (components/hints). */
  rewardOf?: (id: string) => string | undefined;
}) {
  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 4 } }));
  const listRef = useRef<HTMLOListElement>(null);
  const [cursor, setCursor] = useState<string>(state.order[0] ?? "");

  const focusCard = (id: string) => {
    setCursor(id);
    requestAnimationFrame(() => {
      const card = listRef.current?.querySelector<HTMLElement>(`[data-candidate-id="${id}"]`);
      if (!card) return;
      card.focus({ preventScroll: true });
      card.scrollIntoView({ block: "nearest" });
    });
  };
  const moveTo = (id: string, position: number) => {
    const from = state.order.indexOf(id);
    const to = Math.max(0, Math.min(state.order.length - 1, position));
    setCursor(id);
    if (from < 0 || from === to) return;
    onChange({ ...state, order: arrayMove(state.order, from, to) });
    focusCard(id);
  };

  function onDragEnd(event: DragEndEvent) {
    const { active, over } = event;
    if (!over || active.id === over.id) return;
    moveTo(String(active.id), state.order.indexOf(String(over.id)));
  }

  /** The response the keys act on: the focused card, else the current one. */
  function target(e: KeyboardEvent): string | null {
    const el = e.target instanceof Element ? e.target : null;
    const card = el?.closest<HTMLElement>(".rank-card");
    if (card && listRef.current?.contains(card)) {
      // Keys on a card's own buttons are the buttons' (Enter, Space); the card's keys act on the card itself.
      if (el !== card) return null;
      return card.dataset.candidateId ?? null;
    }
    if (!pageKeys) return null;
    if (el && el !== document.body && el.closest("button, a, summary, [role=button], [data-raw-text], details")) return null;
    return state.order.includes(cursor) ? cursor : (state.order[0] ?? null);
  }

  function onKey(e: KeyboardEvent) {
    if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || !RANK_KEYS.test(e.key) || isTypingTarget(e.target)) return;
    const id = target(e);
    if (!id) return;
    const index = state.order.indexOf(id);
    e.preventDefault();
    if (e.key === "ArrowUp" || e.key === "ArrowDown") moveTo(id, index + (e.key === "ArrowUp" ? -1 : 1));
    else if (/^[1-9]$/.test(e.key)) {
      if (Number(e.key) <= state.order.length) moveTo(id, Number(e.key) - 1);
    } else if (e.key === "t") {
      if (allowTie && index > 0) onChange({ ...state, tiedWithAbove: { ...state.tiedWithAbove, [id]: !state.tiedWithAbove[id] } });
      setCursor(id);
    } else {
      const neighbour = state.order[index + (e.key === "j" ? 1 : -1)];
      focusCard(neighbour ?? id);
    }
  }

  // Registered on window while mounted, in a layout effect: the keys work from the first frame the ranking is on screen.
  useLayoutEffect(() => {
    const handler = (e: KeyboardEvent) => onKey(e);
    window.addEventListener("keydown", handler);
    return () => window.removeEventListener("keydown", handler);
  });

  return (
    <DndContext sensors={sensors} collisionDetection={closestCenter} onDragEnd={onDragEnd}>
      <SortableContext items={state.order} strategy={verticalListSortingStrategy}>
        <ol
          ref={listRef}
          className="rank-list"
          aria-label="Ranking, best first"
          onFocus={(e) => {
            const card = (e.target as Element).closest<HTMLElement>(".rank-card");
            if (card?.dataset.candidateId) setCursor(card.dataset.candidateId);
          }}
        >
          {state.order.map((id, index) => {
            const rank = rankOf(state, id);
            const name = `Response ${letters[id]}`;
            return (
              <SortableCard
                key={id}
                id={id}
                reward={rewardOf?.(id)}
                label={`${name}, rank ${rank}${state.tiedWithAbove[id] && index > 0 ? " (tied)" : ""}${id === cursor ? " (current)" : ""}`}
                cursor={id === cursor}
              >
                <div className="rank-head">
                  <span className="rank-number" aria-hidden="true">
                    #{rank}
                  </span>
                  <strong>{name}</strong>
                  <span className="rank-actions">
                    <button type="button" onClick={() => moveTo(id, index - 1)} disabled={index === 0} aria-label={`Move ${name} up`}>
                      ↑
                    </button>
                    <button type="button" onClick={() => moveTo(id, index + 1)} disabled={index === state.order.length - 1} aria-label={`Move ${name} down`}>
                      ↓
                    </button>
                    {allowTie && index > 0 && (
                      <button
                        type="button"
                        aria-pressed={Boolean(state.tiedWithAbove[id])}
                        onClick={() => onChange({ ...state, tiedWithAbove: { ...state.tiedWithAbove, [id]: !state.tiedWithAbove[id] } })}
                        aria-label={`Tie ${name} with the one above`}
                      >
                        =
                      </button>
                    )}
                  </span>
                </div>
                {render(id)}
              </SortableCard>
            );
          })}
        </ol>
      </SortableContext>
    </DndContext>
  );
}
