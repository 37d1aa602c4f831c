import { requireActor, type Actor } from "../access/actor.ts";
import { isUuid } from "../access/campaign-access.ts";
import { AppError } from "../errors.ts";
import { findAssignmentWithTask } from "../store/assignments.ts";
import { toTaskView, type TaskView } from "./task-view.ts";
import { attachRewardModel } from "./attach-reward-model.ts";

/** One of the caller's own assignments, as the task it shows (e.g. to return to it after undo). */
export async function getTask(options: { actor: Actor | null; assignmentId: string }): Promise<TaskView & { status: string }> {
  const actor = requireActor(options.actor);
  if (!isUuid(options.assignmentId)) throw new AppError("not_found", "Assignment not found.");
  const assignment = await findAssignmentWithTask(options.assignmentId);
  if (!assignment || assignment.userId !== actor.userId) throw new AppError("not_found", "Assignment not found.");
  const task = toTaskView(assignment.campaign, assignment, assignment.item, assignment.item.responses);
  return { ...(await attachRewardModel(task, assignment.item)), status: assignment.status };
}
