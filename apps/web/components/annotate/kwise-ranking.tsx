"use client";
import { DndContext, PointerSensor, closestCenter, useSensor, useSensors, type DragEndEvent } from "@dnd-kit/core";
import { SortableContext, arrayMove, useSortable, verticalListSortingStrategy } from "@dnd-kit/sortable";
import { CSS } from "@dnd-kit/utilities";
import { useRef, type KeyboardEvent, type ReactNode } from "react";

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

function SortableCard({
  id,
  children,
  label,
  onKeyDown,
  reward,
}: {
  id: string;
  label: string;
  children: ReactNode;
  onKeyDown: (e: KeyboardEvent<HTMLLIElement>) => void;
  reward?: string;
}) {
  const { attributes, listeners, setNodeRef, transform, transition, isDragging } = useSortable({ id });
  return (
    <li
      ref={setNodeRef}
      style={{ transform: CSS.Transform.toString(transform), transition, zIndex: isDragging ? 2 : undefined }}
      className={`rank-card${isDragging ? " dragging" : ""}`}
      data-candidate-id={id}
      data-rm-reward={reward}
      {...attributes}
      role="listitem"
      aria-roledescription="rankable response"
      aria-label={label}
      tabIndex={0}
      onKeyDown={onKeyDown}
    >
      <div className="drag-handle" {...listeners} aria-hidden="true" title="Drag to reorder">
        ⠿
      </div>
      <div className="rank-body">{children}</div>
    </li>
  );
}

export function KwiseRanking({
  state,
  onChange,
  allowTie,
  letters,
  render,
  rewardOf,
}: {
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

  const focusCard = (id: string) => requestAnimationFrame(() => listRef.current?.querySelector<HTMLElement>(`[data-candidate-id="${id}"]`)?.focus());
  const moveTo = (id: string, position: number) => {
    const from = state.order.indexOf(id);
    const to = Math.max(0, Math.min(state.order.length - 1, position));
    if (from < 0 || from === to) return;
    onChange({ ...state, order: arrayMove(state.order, from, to) });
    focusCard(id);
  };

  function onDragEnd(event: DragEndEvent) {
    const { active, over } = event;
    if (!over || active.id === over.id) return;
    moveTo(String(active.id), state.order.indexOf(String(over.id)));
  }

  function onCardKey(id: string, e: KeyboardEvent<HTMLLIElement>) {
    if (e.target !== e.currentTarget || e.altKey || e.ctrlKey || e.metaKey) return;
    const index = state.order.indexOf(id);
    if (e.key === "ArrowUp" || e.key === "ArrowDown") {
      e.preventDefault();
      moveTo(id, index + (e.key === "ArrowUp" ? -1 : 1));
    } else if (/^[1-9]$/.test(e.key) && Number(e.key) <= state.order.length) {
      e.preventDefault();
      e.stopPropagation();
      moveTo(id, Number(e.key) - 1);
    } else if (e.key === "t" && allowTie) {
      e.preventDefault();
      e.stopPropagation();
      if (index > 0) onChange({ ...state, tiedWithAbove: { ...state.tiedWithAbove, [id]: !state.tiedWithAbove[id] } });
    } else if (e.key === "j" || e.key === "k") {
      e.preventDefault();
      const neighbour = state.order[index + (e.key === "j" ? 1 : -1)];
      if (neighbour) focusCard(neighbour);
    }
  }

  return (
    <DndContext sensors={sensors} collisionDetection={closestCenter} onDragEnd={onDragEnd}>
      <SortableContext items={state.order} strategy={verticalListSortingStrategy}>
        <ol ref={listRef} className="rank-list" aria-label="Ranking, best first">
          {state.order.map((id, index) => {
            const rank = rankOf(state, id);
            const name = `Response ${letters[id]}`;
            return (
              <SortableCard
                key={id}
                id={id}
                reward={rewardOf?.(id)}
                label={`${name}, rank ${rank}${state.tiedWithAbove[id] && index > 0 ? " (tied)" : ""}`}
                onKeyDown={(e) => onCardKey(id, e)}
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
