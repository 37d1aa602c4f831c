import { NextResponse } from "next/server";
import { getCampaignLeaderboard } from "@arbiter/core";
import { apiRoute } from "@/lib/api";

export const dynamic = "force-dynamic";

/** The body is the contract's plain array; how it was fitted travels in headers. */
export const GET = apiRoute(async ({ actor, params, request }) => {
  const query = Object.fromEntries(new URL(request.url).searchParams);
  const board = await getCampaignLeaderboard({ actor, campaignId: params.id ?? "", query });
  const headers: Record<string, string> = {
    "x-arbiter-method": board.method,
    "x-arbiter-comparisons": String(board.comparisons),
    "x-arbiter-style-control": String(board.styleControl),
  };
  if (board.l2 !== null) headers["x-arbiter-l2"] = String(board.l2);
  if (board.ci !== null) headers["x-arbiter-ci"] = board.ci;
  if (board.live) {
    headers["x-arbiter-include-flagged"] = String(board.live.includeFlagged);
    headers["x-arbiter-flagged-votes-left-out"] = String(board.live.flaggedVotesLeftOut);
  }
  return NextResponse.json(board.entries, { headers });
});
