import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { parseHostRules } from "./host-rules.ts";
import { OutboundError, OutboundHttpError } from "./outbound-error.ts";
import { createOutboundPolicy, verifyDestination, type Resolver } from "./outbound-policy.ts";
import { requestJson, sendOutboundRequest } from "./send-request.ts";

interface TestServer {
  port: number;
  url: string;
  hits: Array<{ method: string; path: string; host: string; body: string }>;
  /** TCP connections accepted, answered or not. */
  connections: number;
  close(): Promise<void>;
}

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function startServer(handle: (req: IncomingMessage, res: ServerResponse, body: string) => void): Promise<TestServer> {
  const hits: TestServer["hits"] = [];
  let connections = 0;
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (d: Buffer) => (body += d.toString()));
    req.on("end", () => {
      hits.push({ method: req.method ?? "", path: req.url ?? "", host: req.headers.host ?? "", body });
      handle(req, res, body);
    });
  });
  server.on("connection", () => connections++);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const result: TestServer = {
    port,
    url: `http://127.0.0.1:${port}`,
    hits,
    get connections() {
      return connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  servers.push(result);
  return result;
}

const SECRET_BODY = '{"error":{"message":"internal: DATABASE_URL=postgres://admin:TopSecret-9f2c@db.internal/prod"}}';

async function failure(promise: Promise<unknown>): Promise<OutboundError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof OutboundError) return error;
    throw error;
  }
  throw new Error("expected an OutboundError");
}

describe("sendOutboundRequest: redirects", () => {
  for (const status of [301, 302, 303, 307, 308]) {
    it(`a ${status} is an error with its status; the target is never requested, not even when it is allowed`, async () => {
      const internal = await startServer((_req, res) => res.end("internal secrets"));
      const redirector = await startServer((_req, res) => {
        res.writeHead(status, { location: `${internal.url}/latest/meta-data/` });
        res.end("moved");
      });
      const policy = createOutboundPolicy({ allowedHosts: parseHostRules(`127.0.0.1:${redirector.port},127.0.0.1:${internal.port}`) });
      const error = await failure(requestJson({ url: `${redirector.url}/v1/chat/completions?api-key=k-123`, json: { model: "m" }, policy, timeoutMs: 5_000 }));
      expect(error).toMatchObject({ code: "redirect_refused", status, refused: true });
      expect(error.message).toBe(`POST ${redirector.url}/v1/chat/completions?api-key=REDACTED answered ${status} (a redirect); redirects are not followed`);
      expect(redirector.hits).toHaveLength(1);
      expect(redirector.hits[0]).toMatchObject({ method: "POST", body: '{"model":"m"}' });
      expect(internal.hits).toHaveLength(0);
      expect(internal.connections).toBe(0);
    });
  }
});

describe("sendOutboundRequest: error answers never carry their body", () => {
  it("a 500 with a secret in its body: status and code only, in the message, inspect and JSON", async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(500, { "content-type": "application/json", "retry-after": "3", "x-internal-token": "TopSecret-header" });
      res.end(SECRET_BODY);
    });
    const policy = createOutboundPolicy({ allowedHosts: parseHostRules(`127.0.0.1:${server.port}`) });
    const error = await failure(requestJson({ url: `${server.url}/v1/chat/completions`, json: {}, policy, timeoutMs: 5_000 }));
    expect(error).toBeInstanceOf(OutboundHttpError);
    expect(error).toMatchObject({ code: "http_status", status: 500, refused: false });
    expect(error.message).toBe(`POST ${server.url}/v1/chat/completions answered 500`);
    for (const shown of [error.message, String(error), inspect(error, { depth: 10, showHidden: true }), JSON.stringify(error), error.stack ?? ""]) {
      expect(shown).not.toContain("TopSecret");
    }
    const http = error as OutboundHttpError;
    expect(http.header("retry-after")).toBe("3");
    expect(http.bodyMatches(/DATABASE_URL/)).toBe(true);
    expect(http.bodyMatches(/response_format/)).toBe(false);
  });

  it("a 2xx that is not JSON fails without quoting it", async () => {
    const server = await startServer((_req, res) => res.end("<html>TopSecret proxy page</html>"));
    const policy = createOutboundPolicy({ allowedHosts: parseHostRules("127.0.0.1") });
    const error = await failure(requestJson({ url: `${server.url}/v1`, policy, timeoutMs: 5_000 }));
    expect(error).toMatchObject({ code: "invalid_json", status: 200 });
    expect(error.message).not.toContain("TopSecret");
  });

  it("an answer over the byte limit is cut off", async () => {
    const server = await startServer((_req, res) => res.end("x".repeat(100_000)));
    const policy = createOutboundPolicy({ allowedHosts: parseHostRules("127.0.0.1") });
    await expect(sendOutboundRequest({ url: server.url, policy, timeoutMs: 5_000, maxResponseBytes: 10_000 })).rejects.toMatchObject({
      code: "response_too_large",
    });
  });

  it("a server that never answers times out", async () => {
    const server = await startServer(() => undefined);
    const policy = createOutboundPolicy({ allowedHosts: parseHostRules("127.0.0.1") });
    const started = Date.now();
    await expect(sendOutboundRequest({ url: server.url, policy, timeoutMs: 300 })).rejects.toMatchObject({ code: "timeout" });
    expect(Date.now() - started).toBeLessThan(3_000);
  });
});

describe("sendOutboundRequest: host rules at connect time", () => {
  it("refuses loopback without an allow-list, before connecting", async () => {
    const server = await startServer((_req, res) => res.end("{}"));
    const policy = createOutboundPolicy({ allowedHosts: null });
    for (const url of [server.url, `http://localhost:${server.port}/`, `http://2130706433:${server.port}/`, `http://[::ffff:127.0.0.1]:${server.port}/`]) {
      await expect(sendOutboundRequest({ url, policy, timeoutMs: 2_000 })).rejects.toMatchObject({ code: "address_not_allowed" });
    }
    expect(server.connections).toBe(0);
  });

  it("refuses a name whose DNS answer is private, and one that rebinds between the check and the connection", async () => {
    const server = await startServer((_req, res) => res.end("{}"));
    const toLoopback: Resolver = async () => [{ address: "127.0.0.1", family: 4 }];
    const direct = createOutboundPolicy({ allowedHosts: null, resolve: toLoopback });
    await expect(sendOutboundRequest({ url: `http://judge.example.com:${server.port}/v1`, policy: direct, timeoutMs: 2_000 })).rejects.toMatchObject({
      code: "address_not_allowed",
    });

    let lookups = 0;
    const rebinding: Resolver = async () => (lookups++ === 0 ? [{ address: "93.184.216.34", family: 4 }] : [{ address: "127.0.0.1", family: 4 }]);
    const policy = createOutboundPolicy({ allowedHosts: null, resolve: rebinding });
    const url = `http://rebind.example.com:${server.port}/v1`;
    await expect(verifyDestination(url, policy)).resolves.toMatchObject({ listed: false });
    await expect(sendOutboundRequest({ url, policy, timeoutMs: 2_000 })).rejects.toMatchObject({ code: "address_not_allowed" });
    expect(lookups).toBe(2);
    expect(server.connections).toBe(0);
  });

  it("connects a listed name to exactly the address it resolved to", async () => {
    const server = await startServer((_req, res) => res.end('{"ok":true}'));
    const resolved: string[] = [];
    const policy = createOutboundPolicy({
      allowedHosts: parseHostRules(`judge.test:${server.port}`),
      resolve: async (hostname) => {
        resolved.push(hostname);
        return [{ address: "127.0.0.1", family: 4 }];
      },
    });
    const reply = await requestJson<{ ok: boolean }>({ url: `http://judge.test:${server.port}/v1/models`, policy, timeoutMs: 2_000 });
    expect(reply.data).toEqual({ ok: true });
    expect(resolved).toEqual(["judge.test"]);
    expect(server.hits[0]).toMatchObject({ method: "GET", path: "/v1/models", host: `judge.test:${server.port}` });
  });

  it("sends user info as Basic auth unless an Authorization header is given; the URL's credentials never reach a message", async () => {
    const seen: string[] = [];
    const server = await startServer((req, res) => {
      seen.push(req.headers.authorization ?? "");
      res.writeHead(401);
      res.end();
    });
    const policy = createOutboundPolicy({ allowedHosts: parseHostRules("127.0.0.1") });
    const url = server.url.replace("http://", "http://al%40ice:s3cr%3At@");
    const basic = await failure(requestJson({ url, policy, timeoutMs: 2_000 }));
    await requestJson({ url, policy, timeoutMs: 2_000, headers: { authorization: "Bearer sk-1" } }).catch(() => undefined);
    expect(seen).toEqual([`Basic ${Buffer.from("al@ice:s3cr:t").toString("base64")}`, "Bearer sk-1"]);
    expect(basic.message).toBe(`GET ${server.url.replace("http://", "http://REDACTED:REDACTED@")}/ answered 401`);
  });

  it("refuses a host not on the allow-list, public or not", async () => {
    const policy = createOutboundPolicy({ allowedHosts: parseHostRules("api.example.com") });
    await expect(sendOutboundRequest({ url: "https://api.openai.com/v1", policy, timeoutMs: 2_000 })).rejects.toMatchObject({ code: "host_not_allowed" });
  });

  it("a closed port is a connection error; a cancelled request is aborted", async () => {
    const policy = createOutboundPolicy({ allowedHosts: parseHostRules("127.0.0.1") });
    await expect(sendOutboundRequest({ url: "http://127.0.0.1:9/", policy, timeoutMs: 2_000 })).rejects.toMatchObject({ code: "connection" });
    const server = await startServer(() => undefined);
    const controller = new AbortController();
    const pending = sendOutboundRequest({ url: server.url, policy, timeoutMs: 5_000, signal: controller.signal });
    setTimeout(() => controller.abort(new Error("stop")), 50);
    await expect(pending).rejects.toMatchObject({ code: "aborted" });
  });

  it("hands a 2xx stream over chunk by chunk as it arrives, and collects an error answer as usual", async () => {
    const policy = createOutboundPolicy({ allowedHosts: parseHostRules("127.0.0.1") });
    const server = await startServer((req, res) => {
      if (req.url === "/fail") {
        res.writeHead(500, { "content-type": "application/json" });
        res.end('{"error":"no"}');
        return;
      }
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write("data: one\n\n");
      setTimeout(() => res.end("data: two\n\n"), 80);
    });
    const arrivals: Array<{ text: string; at: number }> = [];
    const started = Date.now();
    const answer = await sendOutboundRequest({
      url: server.url,
      policy,
      timeoutMs: 2_000,
      onChunk: (chunk) => arrivals.push({ text: chunk.toString(), at: Date.now() - started }),
    });
    expect(answer.status).toBe(200);
    expect(answer.body.length).toBe(0);
    expect(arrivals.map((a) => a.text).join("")).toBe("data: one\n\ndata: two\n\n");
    expect(arrivals.length).toBeGreaterThanOrEqual(2);
    expect(arrivals[arrivals.length - 1]!.at - arrivals[0]!.at).toBeGreaterThanOrEqual(50);
    const failed = await sendOutboundRequest({
      url: `${server.url}/fail`,
      policy,
      timeoutMs: 2_000,
      onChunk: () => expect.fail("no chunk of an error answer"),
    });
    expect(failed.status).toBe(500);
    expect(failed.body.toString()).toBe('{"error":"no"}');
  });
});
