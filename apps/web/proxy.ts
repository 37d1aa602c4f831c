import { NextResponse, type NextRequest } from "next/server";
import { campaignMediaHostsFor } from "@arbiter/core";
import { resolveActor } from "@/lib/actor";
import { contentSecurityPolicy, newNonce } from "@/lib/content-security-policy";
import { MAX_BODY_BYTES } from "@/lib/request-body";

/**
 * Runs before every page (not /api or /_next: those get their headers from next.config.ts, and
 * their bodies never pass through here). Each page gets a fresh CSP nonce, which Next.js reads
 * from the request's Content-Security-Policy header and puts on its scripts; the annotation
 * page's policy also names the media hosts its campaign allows. Pages take no request bodies:
 * one declared over 1 MB is refused here.
 */
export async function proxy(request: NextRequest) {
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > MAX_BODY_BYTES) {
    return NextResponse.json(
      { error: { code: "payload_too_large", message: `Request body over ${MAX_BODY_BYTES} bytes.` } },
      { status: 413, headers: { "content-security-policy": contentSecurityPolicy(), connection: "close" } },
    );
  }
  const nonce = newNonce();
  const csp = contentSecurityPolicy({ nonce, mediaHosts: await annotationMediaHosts(request) });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("content-security-policy", csp);
  requestHeaders.set("x-nonce", nonce);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("content-security-policy", csp);
  return response;
}

const annotationPage =
  /^\/(?:annotate\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})|campaigns\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/items\/[^/]+)\/?$/i;

/** The campaign's allowed media hosts on a full load of its annotation page or a researcher's item page (for callers who may open it); none elsewhere. */
async function annotationMediaHosts(request: NextRequest): Promise<string[]> {
  const match = annotationPage.exec(request.nextUrl.pathname);
  // A client-side navigation's RSC payload keeps the CSP of the document it was loaded in.
  if (!match || request.headers.has("rsc")) return [];
  // A database error leaves the page without remote media rather than failing here: the page reports it.
  const actor = await resolveActor(request).catch(() => null);
  return campaignMediaHostsFor({ actor, campaignId: (match[1] ?? match[2])! }).catch(() => []);
}

export const config = {
  matcher: ["/((?!api/|_next/).*)"],
};
