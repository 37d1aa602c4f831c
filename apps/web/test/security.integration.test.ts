import { randomUUID } from "node:crypto";
import { request as httpRequest } from "node:http";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { appDatabase, type AppDatabase } from "../../../scripts/lib/databases.ts";
import { tokenFor } from "../../../scripts/lib/fixtures.ts";
import { expectStatus, http, type HttpResult } from "../../../scripts/lib/http-client.ts";
import { buildExists, launchApp, repoRoot, type RunningApp } from "../../../scripts/lib/launch-app.ts";
import { matrix, type MatrixCall, type MatrixRow } from "./authorization-matrix.ts";
import { discoverRoutes, fillPattern, HTTP_METHODS, type DiscoveredRoute } from "./routes.ts";
import { buildWorld, clientAddress, ROLES, type Role, type World } from "./world.ts";

/**
 * Abuse tests against the production build over HTTP, with rate limits on: the authorization
 * matrix (every route on disk × method × caller), rate limits, CSRF, security headers,
 * oversized / deeply nested / odd-unicode bodies, and a property-based fuzz of every JSON
 * endpoint (no 5xx). Needs `npm run build` first; skipped, saying so, without a build.
 * Figures (requests tried) are printed at the end for RELIABILITY.md.
 */

const built = buildExists();
const routes = discoverRoutes(repoRoot);
const ADMIN = { email: "admin@security.test", password: "security-admin-password" };
const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 15);
const tried = { matrix: 0, csrf: 0, rateLimit: 0, headers: 0, badBodies: 0, fuzz: 0 };

let app: RunningApp;
let database: AppDatabase;
let world: World;

const key = (route: string, method: string) => `${method} ${route}`;

async function send(role: Role, call: MatrixCall, method: string): Promise<HttpResult> {
  const headers = { ...clientAddress(), ...call.headers, ...(call.raw ? { "content-type": call.raw.contentType } : {}) };
  return world.call(role, call.path, { method, headers, ...(call.raw ? { body: call.raw.body } : call.body !== undefined ? { body: call.body } : {}) });
}

/** Signs in through better-auth like the login page does and returns the session cookie. */
async function sessionCookie(email: string, password: string): Promise<string> {
  const result = await http(app.baseUrl, "/api/auth/sign-in/email", { body: { email, password }, headers: { origin: app.baseUrl, ...clientAddress() } });
  expect(result.status, result.text).toBe(200);
  const cookies = result.headers.getSetCookie().map((c) => c.split(";")[0]!);
  expect(cookies.length).toBeGreaterThan(0);
  return cookies.join("; ");
}

/** A raw HTTP request: chunked bodies, declared lengths, bytes as they are. */
function rawRequest(options: {
  method: string;
  path: string;
  headers: Record<string, string>;
  chunks: Array<string | Buffer>;
  endAfterResponse?: boolean;
}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const url = new URL(options.path, app.baseUrl);
    const req = httpRequest(url, { method: options.method, headers: options.headers }, (res) => {
      let body = "";
      res.on("data", (d: Buffer) => (body += d.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      res.on("error", reject);
    });
    req.on("error", reject);
    for (const chunk of options.chunks) req.write(chunk);
    if (!options.endAfterResponse) req.end();
  });
}

/**
 * Extra admins with tokens: a user may make 600 changes a minute, and the hostile-body and fuzz
 * tests send more than that; spread over several admins they stay real requests, not 429s.
 */
async function adminPool(size: number): Promise<string[]> {
  const tokens: string[] = [];
  for (let i = 0; i < size; i++) {
    const email = `extra-admin-${randomUUID().slice(0, 8)}@security.test`;
    const created = await world.call("admin", "/api/v1/users", { body: { email, role: "admin", password: "extra-admin-password" } });
    expect(created.status).toBe(201);
    tokens.push(await tokenFor(app.baseUrl, email, "extra-admin-password", clientAddress()));
  }
  return tokens;
}

function adminRow(route: DiscoveredRoute, method: string): MatrixRow | undefined {
  return matrix.find((row) => row.route === route.pattern && row.method === method);
}

describe.skipIf(!built)("security of the production build over HTTP", () => {
  beforeAll(async () => {
    database = await appDatabase({ embedded: inject("embeddedDb"), prefix: "arbiter_security" });
    // The test talks to the app over loopback as if through a reverse proxy there: each call's own
    // X-Forwarded-For (world.ts clientAddress) is then its client address and rate-limit bucket.
    // Without a trusted proxy a spoofed header changes nothing (security-edge.integration.test.ts).
    // The matrix's judge test goes to a closed port on 127.0.0.1, which the app reaches only when listed.
    app = await launchApp({
      database,
      rateLimit: "on",
      adminEmail: ADMIN.email,
      adminPassword: ADMIN.password,
      baseEnv: process.env,
      env: { ARBITER_TRUSTED_PROXIES: "127.0.0.1, ::1", ARBITER_ALLOWED_HOSTS: "127.0.0.1:9" },
    });
    world = await buildWorld(app.baseUrl, ADMIN);
  }, 240_000);

  afterAll(async () => {
    await app?.stop();
    await database?.drop();
    console.log(`[security] requests tried: ${JSON.stringify(tried)} (total ${Object.values(tried).reduce((a, b) => a + b, 0)})`);
  });

  describe("authorization matrix", () => {
    it("covers every route and method on disk, and names no route that is gone", () => {
      const onDisk = new Set(routes.flatMap((r) => r.methods.map((m) => key(r.pattern, m))));
      const inTable = new Set(matrix.map((row) => key(row.route, row.method)));
      const missing = [...onDisk].filter((k) => !inTable.has(k));
      const stale = [...inTable].filter((k) => !onDisk.has(k));
      expect(routes.length).toBeGreaterThan(20);
      expect(missing, "routes with no row in apps/web/test/authorization-matrix.ts — add one with the expected status per caller").toEqual([]);
      expect(stale, "rows for routes that no longer exist").toEqual([]);
    });

    it("every API route goes through apiRoute (caller resolution, CSRF check, error mapping) unless it is health or better-auth", () => {
      const bare = routes.filter((r) => !r.usesApiRoute && r.pattern !== "/api/health" && !r.pattern.startsWith("/api/auth/"));
      expect(bare.map((r) => r.file)).toEqual([]);
    });

    for (const row of matrix) {
      it(`${row.method} ${row.route}`, async () => {
        const mismatches: string[] = [];
        // Requests are built one after another (some make fresh resources), then sent at once.
        const calls: MatrixCall[] = [];
        for (const role of ROLES) calls.push(await row.request(world, role));
        const results = await Promise.all(ROLES.map((role, i) => send(role, calls[i]!, row.method)));
        for (const [i, role] of ROLES.entries()) {
          const result = results[i]!;
          tried.matrix++;
          if (result.status !== row.expect[role]) mismatches.push(`${role}: expected ${row.expect[role]}, got ${result.status} ${result.text.slice(0, 200)}`);
          const body = row.body?.[role];
          if (body && !body.test(result.text)) mismatches.push(`${role}: the answer does not match ${body}: ${result.text.slice(0, 200)}`);
          if (result.status >= 400 && row.route.startsWith("/api/v1/")) {
            const error = (result.data as { error?: { code?: string; message?: string } } | null)?.error;
            if (!error?.code || !error.message)
              mismatches.push(`${role}: a ${result.status} without the {error: {code, message}} body: ${result.text.slice(0, 200)}`);
          }
        }
        expect(mismatches).toEqual([]);
      });
    }

    it("unknown and malformed ids are 404s (never 5xx) on every dynamic route", async () => {
      const problems: string[] = [];
      const bogusValues = [randomUUID(), "not-a-uuid", "../../users", "%00", "\u0000x", "x".repeat(300), "ü\u202e"];
      for (const route of routes.filter((r) => r.params.length > 0 && !r.pattern.startsWith("/api/auth/"))) {
        for (const method of route.methods) {
          for (const bogus of bogusValues) {
            // Keep the campaign real where a second id follows, so the second one is what is probed.
            const values = Object.fromEntries(route.params.map((p, i) => [p, route.params.length > 1 && i === 0 ? world.campaignA : bogus]));
            const path = fillPattern(route.pattern, values);
            const result = await world.call("admin", path, {
              method,
              headers: clientAddress(),
              ...(method === "GET" || method === "DELETE" ? {} : { body: {} }),
            });
            tried.badBodies++;
            // A well-formed id that names nothing is a 404 for reads and deletes; malformed ones may also be refused as such (422).
            const ok =
              (method === "GET" || method === "DELETE") && bogus === bogusValues[0] ? result.status === 404 : result.status >= 400 && result.status < 500;
            if (!ok) problems.push(`${method} ${path}: ${result.status} ${result.text.slice(0, 150)}`);
          }
        }
      }
      expect(problems).toEqual([]);
    });

    it("methods a route does not export answer 405", async () => {
      const problems: string[] = [];
      for (const route of routes.filter((r) => !r.pattern.startsWith("/api/auth/"))) {
        const missing = HTTP_METHODS.filter((m) => !route.methods.includes(m) && m !== "HEAD" && m !== "OPTIONS");
        const values = Object.fromEntries(route.params.map((p) => [p, world.campaignA]));
        for (const method of missing.slice(0, 2)) {
          const result = await world.call("admin", fillPattern(route.pattern, values), { method, headers: clientAddress() });
          tried.matrix++;
          if (result.status !== 405) problems.push(`${method} ${route.pattern}: ${result.status}`);
        }
      }
      expect(problems).toEqual([]);
    });

    it("bad credentials are 401 and never fall back to anonymous or another user", async () => {
      const bad = ["Bearer ", "Bearer not-a-token", `Bearer ${world.accounts.member.token}x`, "Basic YWRtaW46YWRtaW4=", `bearer ${"a".repeat(5000)}`];
      for (const authorization of bad) {
        const result = await http(app.baseUrl, "/api/v1/me", { headers: { authorization } });
        tried.matrix++;
        expect(result.status, authorization.slice(0, 30)).toBe(401);
        const list = await http(app.baseUrl, "/api/v1/campaigns", { headers: { authorization } });
        expect(list.status).toBe(401);
      }
    });

    it("lists show only what the caller may see: campaigns by membership, no emails to researchers, pseudonymous exports, secret values never returned", async () => {
      type Campaign = { id: string };
      const ids = async (role: Role) => (await world.call<Campaign[]>(role, "/api/v1/campaigns")).data.map((c) => c.id);
      expect(await ids("outsider")).not.toContain(world.campaignA);
      expect(await ids("outsider")).toContain(world.campaignB);
      expect(await ids("member")).toContain(world.campaignA);
      expect(await ids("member")).not.toContain(world.campaignB);

      await world.judgment("otherMember");
      const asResearcher = await world.call("researcher", `/api/v1/campaigns/${world.campaignA}/judgments?source=human`);
      expect(asResearcher.status).toBe(200);
      expect(asResearcher.text).not.toContain(world.accounts.otherMember.email);
      const asAdmin = await world.call("admin", `/api/v1/campaigns/${world.campaignA}/judgments?source=human`);
      expect(asAdmin.text).toContain(world.accounts.otherMember.email);
      const stats = await world.call("researcher", `/api/v1/campaigns/${world.campaignA}/stats`);
      expect(stats.status).toBe(200);
      expect(stats.text).not.toContain("@matrix.test");
      for (const role of ["admin", "researcher"] as const) {
        const exported = await world.call(role, `/api/v1/campaigns/${world.campaignA}/export?format=raw&source=all`);
        expect(exported.status).toBe(200);
        expect(exported.text.length).toBeGreaterThan(0);
        expect(exported.text).not.toContain("@matrix.test");
        expect(exported.text).not.toContain(world.accounts.otherMember.id);
      }

      const value = `sk-${randomUUID()}`;
      expect((await world.call("admin", `/api/v1/campaigns/${world.campaignA}/secrets/LEAK_CHECK`, { method: "PUT", body: { value } })).text).not.toContain(
        value,
      );
      for (const path of ["/secrets", "/judge", "", "/routing"]) {
        for (const role of ["admin", "researcher"] as const) {
          const result = await world.call(role, `/api/v1/campaigns/${world.campaignA}${path}`);
          expect(result.status).toBe(200);
          expect(result.text, `${role} GET ${path}`).not.toContain(value);
        }
      }
      expect((await world.call("admin", "/api/v1/users")).text).not.toMatch(/password|passwordHash|scrypt/i);
    });
  });

  describe("rate limits (on in this app instance)", () => {
    it("sign-in: 10 per minute per client address, then 429 — the right password included", async () => {
      const address = clientAddress();
      const statuses: number[] = [];
      for (let i = 0; i < 10; i++) {
        statuses.push(
          (
            await http(app.baseUrl, "/api/auth/sign-in/email", {
              body: { email: world.accounts.member.email, password: "wrong-password" },
              headers: { origin: app.baseUrl, ...address },
            })
          ).status,
        );
      }
      expect(
        statuses.every((s) => s === 401),
        statuses.join(","),
      ).toBe(true);
      const blocked = await http(app.baseUrl, "/api/auth/sign-in/email", {
        body: { email: world.accounts.member.email, password: world.accounts.member.password },
        headers: { origin: app.baseUrl, ...address },
      });
      tried.rateLimit += 11;
      expect(blocked.status).toBe(429);
      expect(Number(blocked.headers.get("x-retry-after"))).toBeGreaterThan(0);
      // Another client is not affected.
      expect(
        (
          await http(app.baseUrl, "/api/auth/sign-in/email", {
            body: { email: world.accounts.member.email, password: world.accounts.member.password },
            headers: { origin: app.baseUrl, ...clientAddress() },
          })
        ).status,
      ).toBe(200);
    });

    it("POST /api/v1/tokens: 10 per minute per client address, then 429 with retry-after", async () => {
      const address = clientAddress();
      const statuses: number[] = [];
      for (let i = 0; i < 10; i++)
        statuses.push(
          (await http(app.baseUrl, "/api/v1/tokens", { body: { email: world.accounts.member.email, password: "wrong-password" }, headers: address })).status,
        );
      expect(
        statuses.every((s) => s === 401),
        statuses.join(","),
      ).toBe(true);
      const blocked = await http<{ error: { code: string } }>(app.baseUrl, "/api/v1/tokens", {
        body: { email: world.accounts.member.email, password: world.accounts.member.password },
        headers: address,
      });
      tried.rateLimit += 11;
      expect(blocked.status).toBe(429);
      expect(blocked.data.error.code).toBe("rate_limited");
      expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(
        (
          await http(app.baseUrl, "/api/v1/tokens", {
            body: { email: world.accounts.member.email, password: world.accounts.member.password },
            headers: clientAddress(),
          })
        ).status,
      ).toBe(201);
    });

    it("POST /api/v1/invites/accept: 20 per minute per client address", async () => {
      const address = clientAddress();
      for (let i = 0; i < 20; i++)
        expect(
          (await http(app.baseUrl, "/api/v1/invites/accept", { body: { token: `guess-${randomUUID()}`, password: "guess-password" }, headers: address }))
            .status,
        ).toBe(404);
      const blocked = await http(app.baseUrl, "/api/v1/invites/accept", {
        body: { token: await world.inviteToken(), password: "guess-password" },
        headers: address,
      });
      tried.rateLimit += 21;
      expect(blocked.status).toBe(429);
    });

    it("judgments: 600 changes per minute per user, then 429; other users go on", async () => {
      const campaignId = await world.freshCampaign({ items: 4 });
      const limited = await world.freshUser();
      const addMember = await world.call("admin", `/api/v1/campaigns/${campaignId}/members`, { body: { userId: limited.id } });
      expect(addMember.status).toBe(201);
      const token = await tokenFor(app.baseUrl, limited.email, limited.password, clientAddress());
      const as = (path: string, init: Parameters<typeof http>[2] = {}) => http(app.baseUrl, path, { ...init, token });

      const first = (await as(`/api/v1/campaigns/${campaignId}/tasks/next`)).data as { assignmentId: string; candidates: Array<{ id: string }> };
      expect(
        (
          await as(`/api/v1/assignments/${first.assignmentId}/judgment`, {
            body: { winner: first.candidates[0]!.id },
            headers: { "idempotency-key": randomUUID() },
          })
        ).status,
      ).toBe(201);
      // 599 more submissions (to assignments that do not exist: each still counts as a change).
      const statuses = new Map<number, number>();
      const queue = Array.from({ length: 599 }, () => randomUUID());
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          for (let id = queue.pop(); id; id = queue.pop()) {
            const s = (await as(`/api/v1/assignments/${id}/judgment`, { body: { winner: "tie" }, headers: { "idempotency-key": randomUUID() } })).status;
            statuses.set(s, (statuses.get(s) ?? 0) + 1);
          }
        }),
      );
      expect(Object.fromEntries(statuses)).toEqual({ 404: 599 });
      const next = (await as(`/api/v1/campaigns/${campaignId}/tasks/next`)).data as { assignmentId: string; candidates: Array<{ id: string }> };
      const blocked = await as(`/api/v1/assignments/${next.assignmentId}/judgment`, {
        body: { winner: next.candidates[0]!.id },
        headers: { "idempotency-key": randomUUID() },
      });
      tried.rateLimit += 601;
      expect(blocked.status).toBe(429);
      expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
      // Reading is not limited, and someone else still submits.
      expect((await as(`/api/v1/campaigns/${campaignId}/tasks/next`)).status).toBe(200);
      const other = await world.task("otherMember", campaignId);
      expect(
        (
          await world.call("otherMember", `/api/v1/assignments/${other.assignmentId}/judgment`, {
            body: { winner: other.candidates[0]!.id },
            headers: { "idempotency-key": randomUUID() },
          })
        ).status,
      ).toBe(201);
    }, 120_000);
  });

  describe("CSRF: cookie-authenticated changes need the app's own Origin", () => {
    it("every cookie-authenticated mutation from a foreign origin, or with no Origin, is 403; the same request from the app's origin works", async () => {
      const cookie = await sessionCookie(ADMIN.email, ADMIN.password);
      const mutations = routes
        .filter((r) => r.usesApiRoute && !r.anonymous)
        .flatMap((r) => r.methods.filter((m) => m !== "GET" && m !== "HEAD").map((m) => ({ route: r, method: m })));
      expect(mutations.length).toBeGreaterThan(10);
      const problems: string[] = [];
      const foreign = ["http://evil.example", "null", `${app.baseUrl}.evil.example`, `http://127.0.0.1:${app.port + 1}`, "not a url"];
      for (const { route, method } of mutations) {
        const path = fillPattern(route.pattern, Object.fromEntries(route.params.map((p) => [p, randomUUID()])));
        for (const origin of [...foreign, undefined]) {
          const result = await http(app.baseUrl, path, { method, cookie, body: {}, headers: { ...clientAddress(), ...(origin ? { origin } : {}) } });
          tried.csrf++;
          if (result.status !== 403) problems.push(`${method} ${route.pattern} origin=${origin}: ${result.status}`);
        }
      }
      expect(problems).toEqual([]);
      const ok = await http(app.baseUrl, "/api/v1/campaigns", {
        cookie,
        body: { name: "from the browser", taskType: "pairwise" },
        headers: { origin: app.baseUrl },
      });
      expect(ok.status).toBe(201);
      // Bearer tokens are not cookies: no Origin needed.
      expect((await world.call("admin", "/api/v1/campaigns", { body: { name: "from a script", taskType: "pairwise" } })).status).toBe(201);
      // A cookie-carrying POST to better-auth (sign-in, sign-out, …) must come from our origin
      // (apps/web/app/api/auth/[...all]/route.ts; sign-out: security-edge.integration.test.ts).
      // A browser signing in from a foreign page (login CSRF) says so in its fetch metadata.
      const browserish = { origin: "http://evil.example", "sec-fetch-site": "cross-site", "sec-fetch-mode": "cors", "sec-fetch-dest": "empty" };
      expect(
        (
          await http(app.baseUrl, "/api/auth/sign-in/email", {
            body: { email: ADMIN.email, password: ADMIN.password },
            headers: { ...browserish, ...clientAddress() },
          })
        ).status,
      ).toBe(403);
      expect(
        (
          await http(app.baseUrl, "/api/auth/sign-in/email", {
            cookie,
            body: { email: ADMIN.email, password: ADMIN.password },
            headers: { origin: "http://evil.example", ...clientAddress() },
          })
        ).status,
      ).toBe(403);
    });
  });

  describe("security headers", () => {
    it("pages, API answers, errors and static files all carry the CSP and the other headers", async () => {
      const paths = [
        "/login",
        "/",
        "/annotate",
        "/admin",
        "/no-such-page",
        "/api/health",
        "/api/v1/me",
        "/api/v1/campaigns/not-a-uuid",
        "/api/auth/get-session",
        "/favicon.ico",
      ];
      for (const path of paths) {
        const result = await http(app.baseUrl, path);
        tried.headers++;
        const h = result.headers;
        const csp = h.get("content-security-policy") ?? "";
        expect(csp, path).toContain("default-src 'self'");
        expect(csp, path).toContain("frame-ancestors 'none'");
        expect(csp, path).toContain("object-src 'none'");
        expect(csp, path).toContain("base-uri 'self'");
        expect(csp, path).toContain("form-action 'self'");
        expect(csp, path).not.toMatch(/script-src[^;]*'unsafe-eval'/);
        expect(csp, path).not.toMatch(/script-src[^;]*(\*|https:|http:)/);
        expect(h.get("x-frame-options"), path).toBe("DENY");
        expect(h.get("x-content-type-options"), path).toBe("nosniff");
        expect(h.get("referrer-policy"), path).toBe("strict-origin-when-cross-origin");
        expect(h.get("cross-origin-opener-policy"), path).toBe("same-origin");
        expect(h.get("permissions-policy"), path).toContain("camera=()");
        expect(h.get("x-powered-by"), path).toBeNull();
      }
    });

    it("the session cookie is HttpOnly and SameSite", async () => {
      const result = await http(app.baseUrl, "/api/auth/sign-in/email", {
        body: { email: ADMIN.email, password: ADMIN.password },
        headers: { origin: app.baseUrl, ...clientAddress() },
      });
      const session = result.headers.getSetCookie().find((c) => /session_token/.test(c));
      expect(session).toBeTruthy();
      expect(session).toMatch(/HttpOnly/i);
      expect(session).toMatch(/SameSite=(Lax|Strict)/i);
    });
  });

  describe("hostile bodies", () => {
    const jsonRoutes = () => routes.flatMap((r) => r.readsJson.map((m) => ({ route: r, method: m })));
    const adminCall = async (route: DiscoveredRoute, method: string): Promise<MatrixCall> => {
      const row = adminRow(route, method);
      if (!row) throw new Error(`no matrix row for ${method} ${route.pattern}`);
      return row.request(world, "admin");
    };

    it("JSON bodies over 1 MB are 413 on every JSON route, with a declared length or chunked", async () => {
      const problems: string[] = [];
      const big = JSON.stringify({ name: "x".repeat(1_100_000) });
      for (const { route, method } of jsonRoutes()) {
        const { path } = await adminCall(route, method);
        const declared = await http(app.baseUrl, path, {
          method,
          token: world.accounts.admin.token,
          body: big,
          headers: { "content-type": "application/json", ...clientAddress() },
        });
        const chunked = await rawRequest({
          method,
          path,
          headers: {
            authorization: `Bearer ${world.accounts.admin.token}`,
            "content-type": "application/json",
            "transfer-encoding": "chunked",
            ...clientAddress(),
          },
          chunks: Array.from({ length: 12 }, (_, i) => (i === 0 ? '{"name":"' : "y".repeat(100_000))),
        });
        tried.badBodies += 2;
        if (declared.status !== 413) problems.push(`${method} ${route.pattern} (content-length): ${declared.status}`);
        if (chunked.status !== 413) problems.push(`${method} ${route.pattern} (chunked): ${chunked.status}`);
      }
      expect(problems).toEqual([]);
    });

    it("a declared body far over the limit is refused without being read", async () => {
      const path = `/api/v1/campaigns`;
      const result = await rawRequest({
        method: "POST",
        path,
        headers: { authorization: `Bearer ${world.accounts.admin.token}`, "content-type": "application/json", "content-length": String(50 * 1024 * 1024) },
        chunks: ['{"name":"'],
        endAfterResponse: true,
      });
      tried.badBodies++;
      expect(result.status).toBe(413);
    });

    it("malformed, deeply nested and odd-unicode JSON is answered with a 4xx on every JSON route", async () => {
      const admins = await adminPool(3);
      let turn = 0;
      const deepArray = (n: number) => "[".repeat(n) + "]".repeat(n);
      const deepObject = (n: number) => '{"a":'.repeat(n) + "1" + "}".repeat(n);
      const strings: Record<string, string> = {
        nul: "a\u0000b",
        loneHigh: "\ud800",
        loneLow: "x\udc00y",
        rtlOverride: "\u202egnp.exe\u202c",
        zeroWidth: "\u200b\u200d\ufeff",
        combining: "e" + "\u0301".repeat(500),
        astral: "\u{1F600}\u{10FFFF}",
        controls: "\u0001\u0007\u001b[31m\u007f",
        long: "z".repeat(900_000),
      };
      const problems: string[] = [];
      for (const { route, method } of jsonRoutes()) {
        const call = await adminCall(route, method);
        const headers = { "content-type": "application/json", ...call.headers };
        const sendText = async (label: string, text: string, expectation: (s: number) => boolean) => {
          // Fresh resources for calls that change state (a status change, say) each time.
          const fresh = await adminCall(route, method);
          const token = admins[turn++ % admins.length]!;
          const result = await http(app.baseUrl, fresh.path, { method, token, body: text, headers: { ...headers, ...clientAddress() } });
          tried.badBodies++;
          if (!expectation(result.status)) problems.push(`${method} ${route.pattern} ${label}: ${result.status} ${result.text.slice(0, 160)}`);
        };
        const clientError = (s: number) => s >= 400 && s < 500;
        const notServerError = (s: number) => s < 500;
        await sendText("not JSON", '{"a":', clientError);
        await sendText("deep array", deepArray(100_000), clientError);
        await sendText("deep object", deepObject(20_000), clientError);
        await sendText("NUL in raw JSON", '{"name":"a\u0000"}', clientError);
        const template = call.body && typeof call.body === "object" && !Array.isArray(call.body) ? (call.body as Record<string, unknown>) : {};
        // Every field gets deep nesting and the strings a database chokes on; the first field gets every odd string.
        for (const [index, field] of Object.keys(template).entries()) {
          await sendText(`${field}=deep`, JSON.stringify({ ...template, [field]: "__DEEP__" }).replace('"__DEEP__"', deepObject(5_000)), notServerError);
          for (const [label, value] of Object.entries(strings)) {
            if (index > 0 && !["nul", "loneHigh", "rtlOverride"].includes(label)) continue;
            await sendText(`${field}=${label}`, JSON.stringify({ ...template, [field]: value }), notServerError);
          }
        }
      }
      expect(problems).toEqual([]);
    }, 180_000);

    it("text the database cannot store (NUL) is a 422, and odd unicode in campaign names is stored as sent", async () => {
      const nul = await world.call("admin", "/api/v1/campaigns", { body: { name: "a\u0000b", taskType: "pairwise" } });
      expect(nul.status).toBe(422);
      for (const name of ["\u202eevil\u202c", "\u{1F600} e\u0301", "\u200bzero"]) {
        const created = await world.call<{ id: string; name: string }>("admin", "/api/v1/campaigns", { body: { name, taskType: "pairwise" } });
        expect(created.status).toBe(201);
        const read = await world.call<{ name: string }>("admin", `/api/v1/campaigns/${created.data.id}`);
        expect(read.data.name).toBe(name);
      }
    });

    it("items import: hostile content in every field is a clean 4xx or stored as text; nothing partial on a bad line", async () => {
      const campaignId = await world.freshCampaign({ items: 0 });
      const item = (id: string, patch: Record<string, unknown>) =>
        JSON.stringify({
          id,
          prompt: "p",
          responses: [
            { id: "a", content: "x" },
            { id: "b", content: "y" },
          ],
          ...patch,
        });
      const importLines = (lines: string[]) =>
        http<{ imported?: number }>(app.baseUrl, `/api/v1/campaigns/${campaignId}/items?format=native`, {
          token: world.accounts.admin.token,
          body: lines.join("\n"),
          headers: { "content-type": "application/x-ndjson" },
        });
      const count = async () =>
        (await world.call<{ progress?: { items?: number }; items?: number; itemCount?: number }>("admin", `/api/v1/campaigns/${campaignId}/stats`)).data
          .progress?.items ?? -1;
      const hostile = ["a\u0000b", "\ud800", "\u202e", "<script>alert(1)</script>", "x".repeat(2_000_000)];
      const problems: string[] = [];
      let n = 0;
      for (const value of hostile) {
        const patches: Record<string, unknown>[] = [
          { prompt: value },
          { prompt: undefined, messages: [{ role: "user", content: value }] },
          { prompt: undefined, messages: [{ role: value.slice(0, 30), content: "x" }] },
          {
            responses: [
              { id: "a", content: value },
              { id: "b", content: "y" },
            ],
          },
          {
            responses: [
              { id: value.slice(0, 200), content: "x" },
              { id: "b", content: "y" },
            ],
          },
          {
            responses: [
              { id: "a", content: "x", model: value.slice(0, 200) },
              { id: "b", content: "y" },
            ],
          },
          { metadata: { note: value } },
          { metadata: { [value.slice(0, 100) || "k"]: 1 } },
          { media: [{ type: "image", url: value.slice(0, 2000) }] },
        ];
        for (const patch of patches) {
          n++;
          const before = await count();
          const result = await importLines([item(`ok-${n}`, {}), item(`bad-${n}`, patch)]);
          tried.badBodies++;
          if (result.status >= 500) problems.push(`${JSON.stringify(patch).slice(0, 80)}: ${result.status} ${result.text.slice(0, 120)}`);
          if (result.status !== 200 && (await count()) !== before)
            problems.push(`${JSON.stringify(patch).slice(0, 80)}: refused (${result.status}) but items were added`);
        }
      }
      const deep = await importLines([
        item("deep-1", {}),
        `{"id":"deep-2","prompt":"p","metadata":${'{"a":'.repeat(5000)}1${"}".repeat(5000)},"responses":[{"content":"x"},{"content":"y"}]}`,
      ]);
      tried.badBodies++;
      if (deep.status >= 500) problems.push(`deeply nested metadata: ${deep.status}`);
      expect(problems).toEqual([]);
    }, 120_000);
  });

  describe("fuzz (fast-check): no JSON endpoint answers 5xx", () => {
    const hostileString = fc.oneof(
      fc.string({ unit: "binary", maxLength: 40 }),
      fc.constantFrom(
        "",
        " ",
        "\u0000",
        "\ud800",
        "\udfff",
        "\u202e",
        "null",
        "[]",
        "{}",
        "../",
        "%00",
        "<script>",
        "' OR 1=1 --",
        "x".repeat(5000),
        "1e999",
        "-0",
        "NaN",
        "__proto__",
        "constructor",
      ),
    );
    const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
      { weight: 3, arbitrary: hostileString },
      { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
      { weight: 1, arbitrary: fc.constantFrom(null, true, false, 0, -1, 1.5, 2 ** 53, -(2 ** 63), 1e308, [], {}, [[[]]], { __proto__: { admin: true } }) },
      { weight: 1, arbitrary: fc.integer({ min: 1, max: 3000 }).map((n) => JSON.parse("[".repeat(n) + "]".repeat(n)) as unknown) },
    );
    /** A body near the template: each field kept, dropped or replaced, plus stray fields; or any JSON at all. */
    const bodyNear = (template: unknown): fc.Arbitrary<unknown> => {
      if (!template || typeof template !== "object" || Array.isArray(template)) return fc.oneof(hostileValue, fc.jsonValue());
      const entries = Object.entries(template as Record<string, unknown>);
      const fieldArb = (value: unknown): fc.Arbitrary<unknown> =>
        fc.oneof(
          { weight: 3, arbitrary: fc.constant(value) },
          { weight: 2, arbitrary: hostileValue },
          { weight: 1, arbitrary: value && typeof value === "object" ? bodyNear(value) : fc.constant(undefined) },
        );
      const near = fc
        .tuple(
          fc.tuple(...entries.map(([, v]) => fieldArb(v))),
          fc.dictionary(
            hostileString.filter((s) => s.length < 30),
            hostileValue,
            { maxKeys: 2 },
          ),
        )
        .map(([values, extra]) => {
          const out: Record<string, unknown> = Math.random() < 0.2 ? { ...extra } : {};
          entries.forEach(([k], i) => {
            if (values[i] !== undefined) out[k] = values[i];
          });
          return out;
        });
      return fc.oneof({ weight: 4, arbitrary: near }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }) }, { weight: 1, arbitrary: hostileValue });
    };
    const queryKeys = [
      "format",
      "source",
      "file",
      "bundle",
      "since",
      "until",
      "limit",
      "cursor",
      "method",
      "rounds",
      "seed",
      "l2",
      "styleControl",
      "bucket",
      "series",
      "annotatorId",
      "itemId",
      "exclude",
      "aggregate",
      "promptStyle",
      "license",
      "inline",
      "expandRankings",
      "onDuplicate",
      "preferenceAsGold",
      "labelsAsGold",
      "mediaBaseUrl",
    ];
    const queryArb = fc.array(
      fc.tuple(
        fc.oneof(
          fc.constantFrom(...queryKeys),
          hostileString.filter((s) => s.length < 20),
        ),
        fc.oneof(
          hostileString,
          fc.constantFrom(
            "raw",
            "trl",
            "parquet",
            "zip",
            "all",
            "judge",
            "csv",
            "json",
            "bt",
            "elo",
            "arena",
            "0",
            "1",
            "true",
            "-1",
            "99999999",
            "2020-01-01",
            "9999-99-99",
          ),
        ),
      ),
      { maxLength: 4 },
    );
    const toQuery = (pairs: Array<[string, string]>) => {
      const params = new URLSearchParams();
      for (const [k, v] of pairs) params.append(k, v);
      return params.toString();
    };
    const problems: string[] = [];
    /** fast-check stops at the first failing run (no shrinking: every run is a request); its report is kept. */
    const failed = (error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      if (!problems.some((p) => message.includes(p.slice(0, 60)))) problems.push(`fast-check: ${message.slice(0, 600)}`);
    };
    const record = (label: string, result: HttpResult) => {
      tried.fuzz++;
      if (result.status >= 500) problems.push(`${label}: ${result.status} ${result.text.slice(0, 200)}`);
      return result.status < 500;
    };

    let fuzzAdmins: string[] = [];
    beforeAll(async () => {
      fuzzAdmins = await adminPool(4);
    });

    it("request bodies of every JSON route", async () => {
      const bodyRoutes = routes.flatMap((r) => r.readsJson.map((m) => ({ route: r, method: m })));
      expect(bodyRoutes.length).toBeGreaterThan(10);
      let index = 0;
      for (const { route, method } of bodyRoutes) {
        const row = adminRow(route, method)!;
        const token = fuzzAdmins[index++ % fuzzAdmins.length]!;
        const annotated = route.pattern.startsWith("/api/v1/assignments/");
        const fuzzCampaign = annotated ? await world.freshCampaign({ items: FUZZ_RUNS + 5, config: { overlap: 1 } }) : null;
        const template = await row.request(world, annotated ? "member" : "admin");
        await fc
          .assert(
            fc.asyncProperty(bodyNear(template.body), async (body) => {
              let path = template.path;
              let callerToken = token;
              if (annotated && fuzzCampaign) {
                // The annotator's own open task each time (a valid body uses it up).
                const task = await world.task("member", fuzzCampaign);
                path = template.path.replace(/assignments\/[^/]+/, `assignments/${task.assignmentId}`);
                callerToken = world.accounts.member.token;
              }
              const text = JSON.stringify(body) ?? "null";
              const result = await http(app.baseUrl, path, {
                method,
                token: callerToken,
                body: text,
                headers: { "content-type": "application/json", "idempotency-key": randomUUID(), ...template.headers, ...clientAddress() },
              });
              return record(`${method} ${route.pattern} ${text.slice(0, 200)}`, result);
            }),
            { numRuns: FUZZ_RUNS, endOnFailure: true },
          )
          .catch(failed);
      }
      expect(problems).toEqual([]);
    }, 300_000);

    it("query strings of every route that reads one, and path ids of every dynamic route", async () => {
      const readers = routes.filter((r) => r.readsQuery && r.methods.includes("GET"));
      let index = 0;
      for (const route of readers) {
        const token = fuzzAdmins[index++ % fuzzAdmins.length]!;
        const path = fillPattern(route.pattern, Object.fromEntries(route.params.map((p) => [p, world.campaignA])));
        await fc
          .assert(
            fc.asyncProperty(queryArb, async (pairs) =>
              record(`GET ${path}?${toQuery(pairs)}`, await http(app.baseUrl, `${path}?${toQuery(pairs)}`, { token, timeoutMs: 30_000 })),
            ),
            { numRuns: FUZZ_RUNS, endOnFailure: true },
          )
          .catch(failed);
      }
      const dynamic = routes.filter((r) => r.params.length > 0 && !r.pattern.startsWith("/api/auth/"));
      for (const route of dynamic) {
        const token = fuzzAdmins[index++ % fuzzAdmins.length]!;
        const method = route.methods.includes("GET") ? "GET" : route.methods[0]!;
        await fc
          .assert(
            fc.asyncProperty(
              fc.array(
                hostileString.filter((s) => s.length > 0),
                { minLength: route.params.length, maxLength: route.params.length },
              ),
              async (values) => {
                const safe = values.map((v) => v.replace(/[\ud800-\udfff]/g, "\ufffd"));
                const path = fillPattern(route.pattern, Object.fromEntries(route.params.map((p, i) => [p, safe[i]!])));
                return record(
                  `${method} ${path}`,
                  await http(app.baseUrl, path, { method, token, ...(method === "GET" || method === "DELETE" ? {} : { body: {} }), headers: clientAddress() }),
                );
              },
            ),
            { numRuns: Math.max(5, Math.floor(FUZZ_RUNS / 2)), endOnFailure: true },
          )
          .catch(failed);
      }
      expect(problems).toEqual([]);
    }, 300_000);

    it("items import files (JSONL lines near a valid item, or any JSON)", async () => {
      const campaignId = await world.freshCampaign({ items: 0 });
      const template = {
        id: "t",
        prompt: "p",
        messages: undefined,
        responses: [
          { id: "a", content: "x", model: "m" },
          { id: "b", content: "y" },
        ],
        metadata: { k: 1 },
        gold: { winner: "a" },
      };
      await fc
        .assert(
          fc.asyncProperty(
            fc.array(bodyNear(template), { minLength: 1, maxLength: 4 }),
            fc.constantFrom("native", "auto", "trl", "hh-rlhf", "csv", "llmbar", "imagereward"),
            async (lines, format) => {
              const body = lines.map((l) => JSON.stringify(l) ?? "null").join("\n");
              return record(
                `items ${format} ${body.slice(0, 200)}`,
                await http(app.baseUrl, `/api/v1/campaigns/${campaignId}/items?format=${format}&onDuplicate=skip`, {
                  token: fuzzAdmins[0]!,
                  body,
                  headers: { "content-type": "application/x-ndjson" },
                }),
              );
            },
          ),
          { numRuns: FUZZ_RUNS * 2, endOnFailure: true },
        )
        .catch(failed);
      expect(problems).toEqual([]);
    }, 300_000);

    it("better-auth sign-in bodies", async () => {
      await fc
        .assert(
          fc.asyncProperty(bodyNear({ email: world.accounts.member.email, password: "x-password", rememberMe: true }), async (body) =>
            record(
              `sign-in ${JSON.stringify(body)?.slice(0, 200)}`,
              await http(app.baseUrl, "/api/auth/sign-in/email", {
                body: JSON.stringify(body) ?? "null",
                headers: { "content-type": "application/json", origin: app.baseUrl, ...clientAddress() },
              }),
            ),
          ),
          { numRuns: FUZZ_RUNS, endOnFailure: true },
        )
        .catch(failed);
      expect(problems).toEqual([]);
    }, 120_000);
  });

  describe("invites never claim an existing account (issue 13, finding 1)", () => {
    const invite = async (body: Record<string, unknown>) =>
      expectStatus(await world.call<{ url: string }>("admin", "/api/v1/invites", { body, headers: clientAddress() }), 201, "invite").url.split("/invite/")[1]!;
    const accept = (token: string, body: Record<string, unknown>) =>
      http(app.baseUrl, "/api/v1/invites/accept", { body: { token, ...body }, headers: clientAddress() });
    const signIn = (email: string, password: string) =>
      http(app.baseUrl, "/api/auth/sign-in/email", { body: { email, password }, headers: { origin: app.baseUrl, ...clientAddress() } });

    it("an unbound invite cannot set the password of an admin created without one; the admin's own link still works", async () => {
      const email = `boss-${randomUUID().slice(0, 8)}@security.test`;
      const boss = expectStatus(
        await world.call<{ id: string; inviteUrl: string }>("admin", "/api/v1/users", { body: { email, role: "admin" }, headers: clientAddress() }),
        201,
        "admin without password",
      );
      const attack = await accept(await invite({ role: "annotator" }), { email, password: "attacker-password" });
      expect(attack.status, attack.text).toBe(409);
      expect((await signIn(email, "attacker-password")).status).toBe(401);
      // The real user's own (bound) link is untouched and sets their password.
      const own = await accept(boss.inviteUrl.split("/invite/")[1]!, { password: "the-real-boss-password" });
      expect(own.status, own.text).toBe(201);
      expect((await signIn(email, "the-real-boss-password")).status).toBe(200);
      const users = expectStatus(await world.call<Array<{ id: string; role: string }>>("admin", "/api/v1/users"), 200, "users");
      expect(users.find((u) => u.id === boss.id)?.role).toBe("admin");
    });

    it("an unbound invite answers 409 for any existing email and changes nothing; a bound admin invite never raises an existing account's role", async () => {
      const member = world.accounts.member;
      expect((await accept(await invite({ role: "admin" }), { email: member.email, password: "taken-over-password" })).status).toBe(409);
      expect((await signIn(member.email, "taken-over-password")).status).toBe(401);
      const bound = await accept(await invite({ role: "admin", email: member.email }), { password: "taken-over-password" });
      expect(bound.status).toBe(409);
      const me = expectStatus(await world.call<{ role: string }>("member", "/api/v1/me"), 200, "me");
      expect(me.role).toBe("annotator");
    });

    it("an unbound invite still creates a new account", async () => {
      const email = `new-${randomUUID().slice(0, 8)}@security.test`;
      expect((await accept(await invite({ role: "annotator" }), { email, password: "a-new-password" })).status).toBe(201);
      expect((await signIn(email, "a-new-password")).status).toBe(200);
    });
  });
});

if (!built) {
  it.skip("security tests need the production build: apps/web/.next/BUILD_ID is missing — run `npm run build` (or `npm test -- build integration`)", () =>
    undefined);
}
