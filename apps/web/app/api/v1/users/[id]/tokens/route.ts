import { listUserApiTokens } from "@arbiter/core";
import { apiRoute } from "@/lib/api";

export const dynamic = "force-dynamic";

export const GET = apiRoute(async ({ actor, params }) => listUserApiTokens({ actor, userId: params.id ?? "" }));
