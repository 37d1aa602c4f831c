import type { TaskView } from "./task-view.ts";
import { loadCampaignHintSource } from "../reward/reward-model-ref.ts";
import { inHintControlArm } from "../reward/hint-condition.ts";
import { findJudgeHintItem, loadJudgeHintState } from "../reward/judge-hint.ts";

/**
 * Adds the hint to a task — `rewardModel` (the model to load), or with `hintSource: "judge"`
 * `judgeHint` (the LLM judge's stored verdict, reward/judge-hint.ts) — unless the campaign's
 * hints are off, there is nothing validated to show (no model yet, or the gate is shut:
 * reward/reward-model-gate.ts, reward/judge-hint-gate.ts), or the assignment is in the no-hint
 * arm (`hintCondition: "control"`, reward/hint-condition.ts). The judge's verdict never goes on a
 * gold or calibration item. Hints are optional: a failed lookup is logged and the task goes out
 * without them.
 */
export async function attachRewardModel<T extends TaskView>(task: T, item: { id: string; isGold: boolean }): Promise<T> {
  if (task.options.hintMode === "off") return task;
  try {
    const { ref, controlShare, hintSource } = await loadCampaignHintSource(task.campaignId);
    if (hintSource === "judge") {
      // Gold and calibration items never carry the judge's verdict, so they are in neither arm (as submitJudgment records it).
      const found = await findJudgeHintItem(item, await loadJudgeHintState(task.campaignId));
      if (!found.eligible) return { ...task, hintCondition: "none", hintSource };
      if (inHintControlArm(task.assignmentId, controlShare)) return { ...task, hintCondition: "control", hintSource };
      const judgeHint = found.hint(task.candidates.map((c) => c.id));
      return judgeHint ? { ...task, judgeHint, hintCondition: "hint", hintSource } : { ...task, hintCondition: "none", hintSource };
    }
    if (inHintControlArm(task.assignmentId, controlShare)) return { ...task, hintCondition: "control", hintSource };
    return ref ? { ...task, rewardModel: ref, hintCondition: "hint", hintSource } : { ...task, hintCondition: "none", hintSource };
  } catch (error) {
    console.warn("[arbiter] hint lookup failed; the task goes out without hints", error);
    return task;
  }
}
