import type { TaskView } from "./task-view.ts";
import { loadCampaignHintSource } from "../reward/reward-model-ref.ts";
import { inHintControlArm } from "../reward/hint-condition.ts";

/**
 * Adds `rewardModel` (the model to load for hints) to a task, unless the campaign's hints are
 * off, it has no model yet, the gate is shut (reward/reward-model-gate.ts), or the assignment is
 * in the no-hint arm (`hintCondition: "control"`, reward/hint-condition.ts). Hints are optional:
 * a failed lookup is logged and the task goes out without them.
 */
export async function attachRewardModel<T extends TaskView>(task: T): Promise<T> {
  if (task.options.hintMode === "off") return task;
  try {
    const { ref, controlShare } = await loadCampaignHintSource(task.campaignId);
    if (inHintControlArm(task.assignmentId, controlShare)) return { ...task, hintCondition: "control" };
    return ref ? { ...task, rewardModel: ref, hintCondition: "hint" } : { ...task, hintCondition: "none" };
  } catch (error) {
    console.warn("[arbiter] reward model lookup failed; the task goes out without hints", error);
    return task;
  }
}
