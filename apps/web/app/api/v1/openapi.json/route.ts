import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api";
import { openApiDocument } from "@/lib/openapi/document";

export const dynamic = "force-dynamic";

/** The OpenAPI 3.1 description of this API (lib/openapi), public like the contract it describes; rendered at /docs/api. */
export const GET = apiRoute(async () => NextResponse.json(openApiDocument(), { headers: { "cache-control": "public, max-age=300" } }), { anonymous: true });
