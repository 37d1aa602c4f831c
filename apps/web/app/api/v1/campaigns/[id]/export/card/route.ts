import { getDatasetCard } from "@arbiter/core";
import { apiRoute } from "@/lib/api";
import { attachment } from "../download";

export const dynamic = "force-dynamic";
export const maxDuration = 3600;

/** The dataset card (README.md) for the export the same query string gives. */
export const GET = apiRoute(async ({ actor, params, request }) => {
  const url = new URL(request.url);
  const query = Object.fromEntries(url.searchParams);
  const inline = query.inline === "1" || query.inline === "true";
  delete query.inline;
  const card = await getDatasetCard({ actor, campaignId: params.id ?? "", query });
  return new Response(card.markdown, {
    headers: {
      "content-type": "text/markdown; charset=utf-8",
      ...(inline ? {} : { "content-disposition": attachment(card.filename) }),
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
});
