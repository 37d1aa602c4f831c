import { NextResponse } from "next/server";
import { submitJudgmentOrBattleVote } from "@arbiter/core";
import { apiRoute, readJson } from "@/lib/api";

export const dynamic = "force-dynamic";

export const POST = apiRoute(async ({ actor, params, request }) => {
  const result = await submitJudgmentOrBattleVote({
    actor,
    assignmentId: params.id ?? "",
    idempotencyKey: request.headers.get("idempotency-key"),
    input: await readJson(request),
  });
  return NextResponse.json(
    { id: result.id, ...(result.revealed ? { revealed: result.revealed } : {}) },
    { status: 201, headers: result.replayed ? { "idempotent-replayed": "true" } : {} },
  );
});
