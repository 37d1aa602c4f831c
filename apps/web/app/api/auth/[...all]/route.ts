import { toNextJsHandler } from "better-auth/next-js";
import { getAuth } from "@arbiter/auth/server";
import { assertSameOrigin, errorResponse } from "@/lib/api";
import { MAX_BODY_BYTES, readBodyWithin } from "@/lib/request-body";

export const dynamic = "force-dynamic";

const SESSION_COOKIE = /(?:^|;\s*)(?:__Secure-|__Host-)?better-auth\./;

export async function GET(request: Request) {
  return toNextJsHandler(getAuth()).GET(request);
}

/**
 * better-auth's POST endpoints (sign-in, sign-out, update-user, change-password, …) behind the
 * rules every other route has: a request carrying a session cookie must come from our own
 * origin (better-auth leaves sign-out unchecked), and the body is read only up to 1 MB — a
 * larger one, declared or chunked, is refused (413) without reading the rest.
 */
export async function POST(request: Request) {
  try {
    if (SESSION_COOKIE.test(request.headers.get("cookie") ?? "")) assertSameOrigin(request);
    const body = await readBodyWithin(request, MAX_BODY_BYTES);
    const headers = new Headers(request.headers);
    headers.delete("transfer-encoding");
    headers.set("content-length", String(body.byteLength));
    const buffered = new Request(request.url, { method: "POST", headers, ...(body.byteLength > 0 ? { body } : {}) });
    return await toNextJsHandler(getAuth()).POST(buffered);
  } catch (error) {
    return errorResponse(error);
  }
}
