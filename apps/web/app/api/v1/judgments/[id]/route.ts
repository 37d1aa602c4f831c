import { undoJudgment } from "@arbiter/core";
import { apiRoute } from "@/lib/api";

export const dynamic = "force-dynamic";

/** Undo: the caller's own judgment, within the undo window. */
export const DELETE = apiRoute(async ({ actor, params }) => undoJudgment({ actor, judgmentId: params.id ?? "" }));
