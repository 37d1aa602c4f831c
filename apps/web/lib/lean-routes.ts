import type { IncomingMessage, ServerResponse } from "node:http";
import { gzip } from "node:zlib";
import { getConfig } from "@arbiter/config";
import { assignNextTask, submitJudgmentOrBattleVote } from "@arbiter/core";
import { admitMutation, errorResponse } from "./api";
import { resolveActor } from "./actor";
import { bodyTooLarge, MAX_BODY_BYTES, parseJsonText } from "./request-body";
import { apiSecurityHeaders } from "./security-headers";

/**
 * The annotation loop's two hot routes — `GET /api/v1/campaigns/:id/tasks/next` and
 * `POST /api/v1/assignments/:id/judgment` — served straight from Node's request, without
 * Next.js's routing and Request/Response layers, which cost more CPU per request than the
 * domain work does (BENCHMARKS.md, "Annotation loop at 500 annotators"). Same domain
 * functions, same checks in the same order as `apiRoute` (body limit, caller, CSRF, mutation
 * limit), same answers and headers; the Next.js route files stay for `next dev` and for
 * `ARBITER_LEAN_ROUTES=off`. Registered on globalThis by instrumentation.ts, so the web server
 * (scripts/web-server.ts) calls the code Next.js compiled, sharing its modules and pool.
 */
export interface LeanRoutes {
  /** True when the request is one of the lean routes and has been (or is being) answered. */
  handle(request: IncomingMessage, response: ServerResponse): boolean;
}

const TASKS_NEXT = /^\/api\/v1\/campaigns\/([^/]+)\/tasks\/next$/;
const JUDGMENT = /^\/api\/v1\/assignments\/([^/]+)\/judgment$/;

export function registerLeanRoutes(): void {
  if (getConfig().ARBITER_LEAN_ROUTES !== "on") return;
  (globalThis as { arbiterLeanRoutes?: LeanRoutes }).arbiterLeanRoutes = { handle };
  console.log("[arbiter] lean routes: tasks/next and judgment submit are answered without Next.js's request layers");
}

function handle(request: IncomingMessage, response: ServerResponse): boolean {
  const url = request.url ?? "";
  const queryAt = url.indexOf("?");
  const path = queryAt === -1 ? url : url.slice(0, queryAt);
  if (request.method === "GET") {
    const match = TASKS_NEXT.exec(path);
    const campaignId = match && decodeParam(match[1]!);
    if (campaignId === null) return false;
    const exclude = queryAt === -1 ? [] : new URLSearchParams(url.slice(queryAt + 1)).getAll("exclude");
    void answer(request, response, async (actor) => (await assignNextTask({ actor, campaignId, exclude })) ?? null, 200);
    return true;
  }
  if (request.method === "POST") {
    const match = JUDGMENT.exec(path);
    const assignmentId = match && decodeParam(match[1]!);
    if (assignmentId === null) return false;
    void answer(
      request,
      response,
      async (actor, headers) => {
        const result = await submitJudgmentOrBattleVote({
          actor,
          assignmentId,
          idempotencyKey: headers.get("idempotency-key"),
          input: await readJsonBody(request),
        });
        return {
          body: { id: result.id, ...(result.revealed ? { revealed: result.revealed } : {}) },
          headers: result.replayed ? { "idempotent-replayed": "true" } : {},
        };
      },
      201,
    );
    return true;
  }
  return false;
}

/** Next.js decodes a dynamic segment; a segment that does not decode is left to Next.js (its 400/404). */
function decodeParam(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

type Outcome = { body: unknown; headers: Record<string, string> } | null | object;

async function answer(
  request: IncomingMessage,
  response: ServerResponse,
  work: (actor: Awaited<ReturnType<typeof resolveActor>>, headers: Headers) => Promise<Outcome>,
  status: number,
): Promise<void> {
  try {
    const headers = toHeaders(request);
    const declared = headers.get("content-length");
    if (declared !== null && Number(declared) > MAX_BODY_BYTES) throw bodyTooLarge(MAX_BODY_BYTES);
    const actor = await resolveActor({ headers });
    if (actor && request.method !== "GET") await admitMutation(actor, { headers });
    const outcome = await work(actor, headers);
    if (outcome === null) return send(request, response, 204, null, {});
    if (status === 201) {
      const { body, headers: extra } = outcome as { body: unknown; headers: Record<string, string> };
      return send(request, response, 201, JSON.stringify(body), extra);
    }
    send(request, response, status, JSON.stringify(outcome), {});
  } catch (error) {
    const failure = errorResponse(error);
    const extra: Record<string, string> = {};
    failure.headers.forEach((value, key) => {
      if (key !== "content-type" && key !== "content-length") extra[key] = value;
    });
    send(request, response, failure.status, await failure.text(), extra);
  }
}

/** Bodies under this go out as they are: gzip would save a few bytes and cost more CPU than the write. */
const GZIP_FROM_BYTES = 1024;

function send(request: IncomingMessage, response: ServerResponse, status: number, json: string | null, extra: Record<string, string>): void {
  if (response.headersSent) return;
  for (const { key, value } of leanHeaders()) response.setHeader(key, value);
  for (const [key, value] of Object.entries(extra)) response.setHeader(key, value);
  if (json === null) {
    response.writeHead(status).end();
    return;
  }
  response.setHeader("content-type", "application/json");
  response.setHeader("vary", "Accept-Encoding");
  if (json.length < GZIP_FROM_BYTES || !/\bgzip\b/.test(String(request.headers["accept-encoding"] ?? ""))) {
    response.setHeader("content-length", Buffer.byteLength(json));
    response.writeHead(status).end(json);
    return;
  }
  // A long task (multi-turn chat, long answers) is compressed as Next.js would, on libuv's thread pool rather than this thread.
  gzip(json, { level: 6 }, (error, compressed) => {
    if (error) {
      response.setHeader("content-length", Buffer.byteLength(json));
      response.writeHead(status).end(json);
      return;
    }
    response.setHeader("content-encoding", "gzip");
    response.setHeader("content-length", compressed.byteLength);
    response.writeHead(status).end(compressed);
  });
}

let cachedHeaders: Array<{ key: string; value: string }> | null = null;
function leanHeaders(): Array<{ key: string; value: string }> {
  cachedHeaders ??= apiSecurityHeaders();
  return cachedHeaders;
}

function toHeaders(request: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [key, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const one of value) headers.append(key, one);
    else headers.set(key, value);
  }
  return headers;
}

/** The body as JSON, read up to the route limit (413 past it, and the rest is never read), as readJson does for Next.js's Request. */
function readJsonBody(request: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const onData = (chunk: Buffer) => {
      total += chunk.byteLength;
      if (total <= MAX_BODY_BYTES) return void chunks.push(chunk);
      // Stop reading without destroying the socket: the 413 still has to go out on it.
      request.pause();
      request.off("data", onData).off("end", onEnd).off("error", reject);
      reject(bodyTooLarge(MAX_BODY_BYTES));
    };
    const onEnd = () => {
      try {
        resolve(parseJsonText(Buffer.concat(chunks).toString("utf8")));
      } catch (error) {
        reject(error);
      }
    };
    request.on("data", onData).on("end", onEnd).on("error", reject);
  });
}
