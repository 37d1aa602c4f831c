import { assignNextTask } from "@arbiter/core";
import { apiRoute } from "@/lib/api";

export const dynamic = "force-dynamic";

/** `?exclude=<assignmentId>` asks for the task after the one on screen (prefetch). */
export const GET = apiRoute(async ({ actor, params, request }) => {
  const exclude = new URL(request.url).searchParams.getAll("exclude");
  const task = await assignNextTask({ actor, campaignId: params.id ?? "", exclude });
  return task ?? new Response(null, { status: 204 });
});
