import type { TaskView } from "./task-view.ts";
import { loadRewardModelRef } from "../reward/reward-model-ref.ts";

/**
 * Adds `rewardModel` (the model to load for hints) to a task, unless the campaign's hints are
 * off or it has no model yet. Hints are optional: a failed lookup is logged and the task goes
 * out without them.
 */
export async function attachRewardModel<T extends TaskView>(task: T): Promise<T> {
  if (task.options.hintMode === "off") return task;
  try {
    const ref = await loadRewardModelRef(task.campaignId);
    return ref ? { ...task, rewardModel: ref } : task;
  } catch (error) {
    console.warn("[arbiter] reward model lookup failed; the task goes out without hints", error);
    return task;
  }
}
