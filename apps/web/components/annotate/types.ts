import type { TaskView } from "@arbiter/core/client";

export type Task = TaskView & { status?: string };
export type Span = { candidateId: string; start: number; end: number; label: string };
export type Attributes = Record<string, Record<string, number>>;

export const letter = (index: number) => String.fromCharCode(65 + index);

export function isTypingTarget(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  const tag = el.tagName;
  return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || el.isContentEditable;
}
