import { exportDataset } from "@arbiter/core";
import { apiRoute } from "@/lib/api";
import { attachment, streamBody } from "./download";

export const dynamic = "force-dynamic";
export const maxDuration = 3600;

/** A dataset file streamed from the database (see docs/API.md, "Export"). Admins and researchers. */
export const GET = apiRoute(async ({ actor, params, request }) => {
  const query = Object.fromEntries(new URL(request.url).searchParams);
  const download = await exportDataset({ actor, campaignId: params.id ?? "", query });
  return new Response(streamBody(download.body), {
    headers: {
      "content-type": download.contentType,
      "content-disposition": attachment(download.filename),
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
});
