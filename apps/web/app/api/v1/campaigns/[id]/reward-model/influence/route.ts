import { getHintInfluence } from "@arbiter/core";
import { apiRoute } from "@/lib/api";

export const dynamic = "force-dynamic";

/** What hints do to labels: the hint arm against the no-hint arm (admins and researchers). */
export const GET = apiRoute(async ({ actor, params }) => getHintInfluence({ actor, campaignId: params.id ?? "" }));
