import { NextResponse, type NextRequest } from "next/server";
import { getConfig } from "@arbiter/config";
import { AppError, CLIENT_ADDRESS_HEADER, isClientAddressStamped, RateLimiter, translateDatabaseError, type Actor } from "@arbiter/core";
import { resolveActor } from "./actor";
import { assertDeclaredLengthWithin, MAX_BODY_BYTES, parseJsonText, readBodyWithin } from "./request-body";

export interface ApiContext {
  request: NextRequest;
  params: Record<string, string>;
  /** The caller, or null when anonymous (domain functions decide what that may do). */
  actor: Actor | null;
  ip: string;
}

type Handler = (ctx: ApiContext) => Promise<Response | unknown>;

const mutationLimiter = new RateLimiter("mutations", 600, 60_000, getConfig().ARBITER_RATE_LIMIT === "on");

/**
 * Every API route goes through here: a body declared over the route's limit (1 MB unless
 * `maxBodyBytes` says otherwise) is refused before anything else, the caller is resolved (bearer
 * token or session cookie), cookie-authenticated mutations must come from our own origin (CSRF),
 * domain errors become `{ error: { code, message, details } }` with their status, and anything
 * unexpected is logged and answered with a generic 500.
 */
export function apiRoute(handler: Handler, options: { status?: number; anonymous?: boolean; maxBodyBytes?: number } = {}) {
  return async (request: NextRequest, context: { params: Promise<Record<string, string>> }): Promise<Response> => {
    try {
      assertDeclaredLengthWithin(request, options.maxBodyBytes ?? MAX_BODY_BYTES);
      const params = (await context.params) ?? {};
      const ip = clientIp(request);
      const actor = options.anonymous ? null : await resolveActor(request);
      if (actor && isMutation(request.method)) await admitMutation(actor, request);
      const result = await handler({ request, params, actor, ip });
      if (result instanceof Response) return result;
      if (result === undefined) return new NextResponse(null, { status: 204 });
      return NextResponse.json(result, { status: options.status ?? 200 });
    } catch (error) {
      return errorResponse(error);
    }
  };
}

/** A change by a signed-in caller: from our own origin when cookie-authenticated (CSRF), and within the per-user mutation rate. */
export async function admitMutation(actor: Actor, request: Pick<Request, "headers">): Promise<void> {
  if (actor.via === "session") assertSameOrigin(request);
  await mutationLimiter.consume(actor.userId);
}

export function errorResponse(error: unknown): Response {
  const known = translateDatabaseError(error) ?? (isBodyError(error) ? new AppError("bad_request", "The request body is not valid JSON.") : null);
  if (known) {
    const body = { error: { code: known.code, message: known.message, ...(known.details ? { details: known.details } : {}) } };
    return NextResponse.json(body, { status: known.status, headers: known.headers });
  }
  console.error("[arbiter] unexpected error", error);
  return NextResponse.json({ error: { code: "internal", message: "Something went wrong on our side." } }, { status: 500 });
}

/** Reads a JSON body with a size cap (streamed: never more than the cap is held); malformed JSON is the client's mistake (400). */
export async function readJson(request: Request, maxBytes = MAX_BODY_BYTES): Promise<unknown> {
  return parseJsonText(new TextDecoder().decode(await readBodyWithin(request, maxBytes)));
}

function isMutation(method: string) {
  return method !== "GET" && method !== "HEAD" && method !== "OPTIONS";
}

/** CSRF: a cookie-authenticated change must name our own origin (the host it was sent to, or ARBITER_BASE_URL). */
export function assertSameOrigin(request: Pick<Request, "headers">) {
  const origin = request.headers.get("origin");
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  if (!origin) throw new AppError("forbidden", "Cross-site request refused (no Origin header on a cookie-authenticated change).");
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    throw new AppError("forbidden", "Cross-site request refused.");
  }
  if (originHost !== host && origin !== getConfig().baseUrl) throw new AppError("forbidden", "Cross-site request refused.");
}

let warnedUnstamped = false;

/**
 * The client address the web server resolved (its peer, or the right-most untrusted
 * X-Forwarded-For entry behind ARBITER_TRUSTED_PROXIES). Started some other way (a bare
 * `next start`), nothing sets that header reliably: every caller shares one bucket then.
 */
export function clientIp(request: Request): string {
  if (!isClientAddressStamped()) {
    if (!warnedUnstamped)
      console.warn("[arbiter] not started through scripts/web-server.ts: client addresses are unknown, and per-address rate limits are shared by every caller");
    warnedUnstamped = true;
    return "unknown";
  }
  return request.headers.get(CLIENT_ADDRESS_HEADER) ?? "unknown";
}

function isBodyError(error: unknown): boolean {
  return error instanceof SyntaxError;
}
