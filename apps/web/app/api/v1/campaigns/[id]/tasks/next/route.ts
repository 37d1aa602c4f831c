import { assignNextTask } from "@arbiter/core";
import { apiRoute } from "@/lib/api";

export const dynamic = "force-dynamic";

export const GET = apiRoute(async ({ actor, params }) => {
  const task = await assignNextTask({ actor, campaignId: params.id ?? "" });
  return task ?? new Response(null, { status: 204 });
});
