import { NextResponse, type NextRequest } from "next/server";
import { getConfig } from "@arbiter/config";
import { AppError, RateLimiter, translateDatabaseError, type Actor } from "@arbiter/core";
import { resolveActor } from "./actor";

export interface ApiContext {
  request: NextRequest;
  params: Record<string, string>;
  /** The caller, or null when anonymous (domain functions decide what that may do). */
  actor: Actor | null;
  ip: string;
}

type Handler = (ctx: ApiContext) => Promise<Response | unknown>;

const mutationLimiter = new RateLimiter(600, 60_000, getConfig().ARBITER_RATE_LIMIT === "on");

/**
 * Every API route goes through here: the caller is resolved (bearer token or session cookie),
 * cookie-authenticated mutations must come from our own origin (CSRF), domain errors become
 * `{ error: { code, message, details } }` with their status, and anything unexpected is logged
 * and answered with a generic 500.
 */
export function apiRoute(handler: Handler, options: { status?: number; anonymous?: boolean } = {}) {
  return async (request: NextRequest, context: { params: Promise<Record<string, string>> }): Promise<Response> => {
    try {
      const params = (await context.params) ?? {};
      const ip = clientIp(request);
      const actor = options.anonymous ? null : await resolveActor(request);
      if (actor?.via === "session" && isMutation(request.method)) assertSameOrigin(request);
      if (actor && isMutation(request.method)) mutationLimiter.consume(`${actor.userId}`);
      const result = await handler({ request, params, actor, ip });
      if (result instanceof Response) return result;
      if (result === undefined) return new NextResponse(null, { status: 204 });
      return NextResponse.json(result, { status: options.status ?? 200 });
    } catch (error) {
      return errorResponse(error);
    }
  };
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

/** Reads a JSON body with a size cap; malformed JSON is the client's mistake (400). */
export async function readJson(request: Request, maxBytes = 1_000_000): Promise<unknown> {
  const length = Number(request.headers.get("content-length") ?? "0");
  if (length > maxBytes) throw new AppError("payload_too_large", `Request body over ${maxBytes} bytes.`);
  const text = await request.text();
  if (Buffer.byteLength(text) > maxBytes) throw new AppError("payload_too_large", `Request body over ${maxBytes} bytes.`);
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("bad_request", "The request body is not valid JSON.");
  }
}

function isMutation(method: string) {
  return method !== "GET" && method !== "HEAD" && method !== "OPTIONS";
}

function assertSameOrigin(request: NextRequest) {
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

function clientIp(request: NextRequest): string {
  return request.headers.get("x-forwarded-for")?.split(",")[0]?.trim() || request.headers.get("x-real-ip") || "local";
}

function isBodyError(error: unknown): boolean {
  return error instanceof SyntaxError;
}
