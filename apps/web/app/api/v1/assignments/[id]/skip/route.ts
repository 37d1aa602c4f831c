import { skipTask } from "@arbiter/core";
import { apiRoute, readJson } from "@/lib/api";

export const dynamic = "force-dynamic";

export const POST = apiRoute(async ({ actor, params, request }) => skipTask({ actor, assignmentId: params.id ?? "", input: await readJson(request) }));
