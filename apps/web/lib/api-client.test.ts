import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiCallError, callApi, downloadBytes, downloadJson } from "./api-client";

/** The browser's API client against a real HTTP server answering the way our API and better-auth do. */

let server: Server;
let base: string;
const seen: Array<{ method: string; url: string; contentType?: string; key?: string; body: string }> = [];

const answers: Record<string, { status: number; type?: string; body?: string }> = {
  "/ok": { status: 200, type: "application/json", body: '{"id":"j1"}' },
  "/empty": { status: 204 },
  "/conflict": {
    status: 409,
    type: "application/json",
    body: JSON.stringify({ error: { code: "conflict", message: "Changes need confirmation.", details: [{ path: "overlap", reason: "needs_confirmation" }] } }),
  },
  "/better-auth": { status: 403, type: "application/json", body: JSON.stringify({ code: "ACCOUNT_DISABLED", message: "Account disabled" }) },
  "/gateway": { status: 502, type: "text/html", body: "<h1>Bad gateway</h1>" },
  "/bytes": { status: 200, type: "application/octet-stream", body: "\u0001\u0002\u0003" },
  "/not-json": { status: 200, type: "application/json", body: "{corrupt" },
};

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = "";
    request.on("data", (d: Buffer) => (body += d.toString()));
    request.on("end", () => {
      seen.push({
        method: request.method!,
        url: request.url!,
        contentType: request.headers["content-type"],
        key: request.headers["idempotency-key"] as string | undefined,
        body,
      });
      const answer = answers[request.url!] ?? { status: 404, type: "application/json", body: '{"error":{"code":"not_found","message":"Not found."}}' };
      response.writeHead(answer.status, answer.type ? { "content-type": answer.type } : {});
      response.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function failure(promise: Promise<unknown>): Promise<ApiCallError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiCallError);
  return error as ApiCallError;
}

describe("callApi", () => {
  it("GETs without a body, POSTs JSON with one, with the caller's headers; 204 is null", async () => {
    expect(await callApi(`${base}/ok`)).toEqual({ id: "j1" });
    expect(await callApi(`${base}/ok`, { body: { winner: "a" }, headers: { "idempotency-key": "k1" } })).toEqual({ id: "j1" });
    expect(await callApi(`${base}/empty`, { method: "DELETE" })).toBeNull();
    expect(seen.slice(-3).map(({ method, contentType, key, body }) => ({ method, contentType, key, body }))).toEqual([
      { method: "GET", contentType: undefined, key: undefined, body: "" },
      { method: "POST", contentType: "application/json", key: "k1", body: '{"winner":"a"}' },
      { method: "DELETE", contentType: undefined, key: undefined, body: "" },
    ]);
  });

  it("an error answer keeps the API's status, code, message and details", async () => {
    const error = await failure(callApi(`${base}/conflict`, { method: "PATCH", body: {} }));
    expect({ status: error.status, code: error.code, message: error.message, details: error.details, unreachable: error.unreachable }).toEqual({
      status: 409,
      code: "conflict",
      message: "Changes need confirmation.",
      details: [{ path: "overlap", reason: "needs_confirmation" }],
      unreachable: false,
    });
  });

  it("reads better-auth's top-level { code, message } too", async () => {
    const error = await failure(callApi(`${base}/better-auth`, { body: {} }));
    expect([error.status, error.code, error.message]).toEqual([403, "ACCOUNT_DISABLED", "Account disabled"]);
  });

  it("an answer with no error body gets the caller's fallback message, or `Request failed (status)`", async () => {
    expect((await failure(callApi(`${base}/gateway`))).message).toBe("Request failed (502)");
    expect((await failure(callApi(`${base}/gateway`, { fallbackMessage: "Undo failed." }))).message).toBe("Undo failed.");
    const error = await failure(callApi(`${base}/gateway`, { fallbackMessage: (status) => `HTTP ${status}` }));
    expect([error.status, error.code, error.message]).toEqual([502, "error", "HTTP 502"]);
  });

  it("no answer at all is status 0, `network_error`, unreachable", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await failure(callApi(`http://127.0.0.1:${port}/ok`, { fallbackMessage: "never used" }));
    expect([error.status, error.code, error.unreachable]).toEqual([0, "network_error", true]);
    expect(error.message).not.toBe("never used");
  });
});

describe("downloads", () => {
  it("bytes come back as they are; a refused download is an ApiCallError with its status", async () => {
    expect([...new Uint8Array(await downloadBytes(`${base}/bytes`))]).toEqual([1, 2, 3]);
    expect((await failure(downloadBytes(`${base}/missing`))).status).toBe(404);
  });

  it("a JSON file that is not JSON is an error (a corrupt file), not null", async () => {
    await expect(downloadJson(`${base}/not-json`)).rejects.toThrow(SyntaxError);
    expect(await downloadJson(`${base}/ok`)).toEqual({ id: "j1" });
  });
});
