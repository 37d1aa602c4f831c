"use client";
import { TaskForm } from "@/components/annotate/task-form";
import type { Task } from "@/components/annotate/types";
import { comparisonOf, type BuilderState } from "./config-form-state";

const sampleAnswers = [
  "Water boils at **100 °C** at sea level. At higher altitudes the air pressure is lower, so it boils at a lower temperature — about 95 °C in Denver.",
  "It boils at 100 degrees.",
  "Boiling point depends on pressure:\n\n| altitude | boiling point |\n|---|---|\n| sea level | 100 °C |\n| 1,600 m | ~95 °C |",
  "```python\nprint('100 °C')\n```",
  "Around 212 °F, which is 100 °C.",
  "I am not sure; it varies.",
  "At sea level, 100 °C (212 °F).",
  "Water boils when its vapour pressure equals the surrounding pressure.",
  "",
];

/** A sample task as the annotator page would show it with these settings; nothing can be submitted. */
export function TaskPreview({ state }: { state: BuilderState }) {
  const comparison = comparisonOf(state);
  const count = comparison === "pairwise" ? 2 : Math.min(Math.max(state.k, 2), 9);
  const task: Task = {
    assignmentId: "preview",
    expiresAt: new Date(0).toISOString(),
    campaignId: "preview",
    taskType: state.taskType,
    comparison,
    item: { id: "preview", prompt: "At what temperature does water boil?", messages: null, media: null },
    candidates: sampleAnswers.slice(0, count).map((content, i) => ({ id: `preview-${i}`, content })),
    options: {
      allowTie: state.allowTie,
      allowBothBad: state.allowBothBad,
      strengthScale: state.strengthScale,
      kwiseMode: state.kwiseMode,
      rationale: state.rationale,
      rationaleMinLength: state.rationaleMinLength,
      attributes: state.attributes.filter((a) => a.name.trim() && a.max > a.min),
      spanLabels: state.spanLabels
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
      hintMode: state.hintMode,
    },
  };
  // Remount when the shape changes, so the form's own state starts fresh.
  const key = JSON.stringify([comparison, count, state.kwiseMode, state.rationale, state.strengthScale]);
  return (
    <section className="card builder-preview" aria-label="Annotator preview">
      <h2>Preview of the annotator page</h2>
      <p className="muted">A sample task with these settings: try the controls; submitting is disabled here.</p>
      <TaskForm key={key} task={task} onSubmit={() => undefined} onSkip={() => undefined} disabled />
    </section>
  );
}
