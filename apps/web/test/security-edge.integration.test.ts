import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { constants as zlib, createGzip } from "node:zlib";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { appDatabase, type AppDatabase } from "../../../scripts/lib/databases.ts";
import { createCampaign, tokenFor, type Fixture } from "../../../scripts/lib/fixtures.ts";
import { expectStatus, http } from "../../../scripts/lib/http-client.ts";
import { buildExists, launchApp, type RunningApp } from "../../../scripts/lib/launch-app.ts";

/**
 * Issue 13, findings 6, 7, 8 and 12, as attacks over HTTP on the production build (rate limits
 * on, no ARBITER_TRUSTED_PROXIES: the test talks to the app directly, as an outsider would):
 * oversized anonymous bodies, display names, the CSP's nonce and media hosts, a spoofed
 * X-Forwarded-For against the sign-in limit, a gzip bomb and cross-site sign-out. The
 * sign-in limit is per client address and everything here comes from 127.0.0.1, so the spoofing
 * test, which uses the limit up, runs last.
 */

const built = buildExists();
const ADMIN = { email: "admin@security-edge.test", password: "security-edge-admin" };
const MB = 1024 * 1024;

let app: RunningApp;
let database: AppDatabase;
let fixture: Fixture;

/** Signs in through better-auth as the login page does; the session cookie. */
async function sessionCookie(email: string, password: string): Promise<string> {
  const result = await http(app.baseUrl, "/api/auth/sign-in/email", { body: { email, password }, headers: { origin: app.baseUrl } });
  expect(result.status, result.text).toBe(200);
  return result.headers
    .getSetCookie()
    .map((c) => c.split(";")[0]!)
    .join("; ");
}

async function newUser(role: "annotator" | "researcher" | "admin" = "annotator") {
  const email = `edge-${randomUUID().slice(0, 8)}@security-edge.test`;
  const password = "edge-user-password";
  const user = expectStatus(
    await http<{ id: string }>(app.baseUrl, "/api/v1/users", { token: fixture.adminToken, body: { email, role, password } }),
    201,
    "user",
  );
  return { id: user.id, email, password };
}

/** Resident memory of the app's largest process (the Next.js server), in bytes. */
function serverRss(): number {
  const rss = (pid: number) => {
    try {
      return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) * 1024;
    } catch {
      return 0;
    }
  };
  return Math.max(...app.pids().map(rss));
}

/**
 * Sends up to `total` bytes of body (declared, or chunked when no length is given) as fast as the
 * server reads them, and stops as soon as an answer arrives: how many bytes went out by then says
 * whether the server read the body before refusing it.
 */
function streamBody(options: {
  path: string;
  headers: Record<string, string>;
  total: number;
  declare?: boolean;
  timeoutMs?: number;
}): Promise<{ status: number; sent: number; ms: number; text: string }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const headers = { ...options.headers, ...(options.declare ? { "content-length": String(options.total) } : { "transfer-encoding": "chunked" }) };
    let sent = 0;
    let answered = false;
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`no answer after ${options.timeoutMs ?? 20_000} ms (${sent} bytes sent)`));
    }, options.timeoutMs ?? 20_000);
    const req = httpRequest(new URL(options.path, app.baseUrl), { method: "POST", headers }, (res) => {
      answered = true;
      const sentWhenAnswered = sent;
      let text = "";
      res.on("data", (d: Buffer) => (text += d.toString()));
      res.on("end", () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, sent: sentWhenAnswered, ms: Date.now() - started, text });
        req.destroy();
      });
    });
    // Writing after the server closed the connection fails; the answer is what counts. When the
    // server's close wins the race with the client reading its 413 (a busy machine), the write
    // fails first (EPIPE / ECONNRESET): the server still stopped reading — status 0 says so.
    req.on("error", (error: NodeJS.ErrnoException) => {
      if (answered) return;
      clearTimeout(timer);
      if (error.code === "EPIPE" || error.code === "ECONNRESET")
        resolve({ status: 0, sent, ms: Date.now() - started, text: `connection closed by the server (${error.code})` });
      else reject(error);
    });
    const chunk = Buffer.alloc(64 * 1024, "x");
    const pump = () => {
      while (!answered && sent < options.total) {
        const piece = sent === 0 ? Buffer.concat([Buffer.from('{"email":"'), chunk.subarray(10)]) : chunk;
        sent += piece.byteLength;
        if (!req.write(piece)) {
          req.once("drain", pump);
          return;
        }
      }
      if (!answered) req.end();
    };
    pump();
  });
}

describe.skipIf(!built)("security edge cases over HTTP (issue 13: findings 6, 7, 8, 12)", () => {
  beforeAll(async () => {
    database = await appDatabase({ embedded: inject("embeddedDb"), prefix: "arbiter_security_edge" });
    app = await launchApp({ database, rateLimit: "on", adminEmail: ADMIN.email, adminPassword: ADMIN.password, baseEnv: process.env });
    fixture = { baseUrl: app.baseUrl, adminToken: await tokenFor(app.baseUrl, ADMIN.email, ADMIN.password), headers: {} };
  }, 240_000);

  afterAll(async () => {
    await app?.stop();
    await database?.drop();
  });

  describe("body limits (finding 6)", () => {
    it("an anonymous 60 MB sign-in body with a declared length is refused (413) at once, before it is sent", async () => {
      const before = serverRss();
      const result = await streamBody({
        path: "/api/auth/sign-in/email",
        headers: { "content-type": "application/json", origin: app.baseUrl },
        total: 60 * MB,
        declare: true,
        timeoutMs: 10_000,
      });
      expect(result.status, result.text).toBe(413);
      expect(result.sent, "bytes the client had sent when the answer came").toBeLessThan(16 * MB);
      expect(result.ms).toBeLessThan(5_000);
      expect(serverRss() - before).toBeLessThan(64 * MB);
    });

    it("a chunked 60 MB body (no length) is refused (413) once it passes 1 MB, on better-auth's routes and ours, without reading the rest", async () => {
      for (const path of ["/api/auth/sign-in/email", "/api/auth/sign-out", "/api/v1/tokens", "/api/v1/invites/accept"]) {
        const before = serverRss();
        const result = await streamBody({ path, headers: { "content-type": "application/json", origin: app.baseUrl }, total: 60 * MB });
        expect([413, 0], `${path}: ${result.text}`).toContain(result.status);
        expect(result.sent, `${path}: bytes sent before the answer`).toBeLessThan(16 * MB);
        expect(serverRss() - before, path).toBeLessThan(64 * MB);
      }
      // The app is fine afterwards, and a normal sign-in still works.
      expect(
        (await http(app.baseUrl, "/api/auth/sign-in/email", { body: { email: ADMIN.email, password: ADMIN.password }, headers: { origin: app.baseUrl } }))
          .status,
      ).toBe(200);
    });
  });

  describe("display names (finding 6)", () => {
    it("a name over 200 characters, with NUL or with a lone surrogate is 422 on update-user, the users API and invite acceptance — never a 5xx, nothing stored", async () => {
      const user = await newUser();
      const cookie = await sessionCookie(user.email, user.password);
      const updateName = (name: string) => http(app.baseUrl, "/api/auth/update-user", { cookie, body: { name }, headers: { origin: app.baseUrl } });
      const invite = async () =>
        expectStatus(
          await http<{ url: string }>(app.baseUrl, "/api/v1/invites", { token: fixture.adminToken, body: { role: "annotator" } }),
          201,
          "invite",
        ).url.split("/invite/")[1]!;
      const hostile: Array<[string, string]> = [
        ["201 characters", "n".repeat(201)],
        ["900 KB", "n".repeat(900_000)],
        ["NUL", "Ann\u0000Otator"],
        ["lone high surrogate", "Ann\ud800"],
        ["lone low surrogate", "\udc00Ann"],
      ];
      for (const [label, name] of hostile) {
        const updated = await updateName(name);
        expect(updated.status, `update-user ${label}: ${updated.text.slice(0, 200)}`).toBe(422);
        const created = await http(app.baseUrl, "/api/v1/users", {
          token: fixture.adminToken,
          body: { email: `n-${randomUUID().slice(0, 8)}@security-edge.test`, role: "annotator", name },
        });
        expect(created.status, `users API ${label}: ${created.text.slice(0, 200)}`).toBe(422);
        const accepted = await http(app.baseUrl, "/api/v1/invites/accept", {
          body: { token: await invite(), email: `i-${randomUUID().slice(0, 8)}@security-edge.test`, password: "invited-password", name },
        });
        expect(accepted.status, `invite ${label}: ${accepted.text.slice(0, 200)}`).toBe(422);
      }
      // 5 MB is over the 1 MB body limit before the name is looked at: refused on the declared length, the rest never read.
      const oversized = await streamBody({
        path: "/api/auth/update-user",
        headers: { "content-type": "application/json", cookie, origin: app.baseUrl },
        total: 5 * MB,
        declare: true,
      });
      // 413, or the connection closed by the server when its close wins the race with our read (see streamBody); never the whole body read.
      expect([413, 0], oversized.text).toContain(oversized.status);
      expect(oversized.sent).toBeLessThan(5 * MB);
      // Nothing was stored; a name of exactly 200 characters is fine.
      const session = await http<{ user: { name: string } }>(app.baseUrl, "/api/auth/get-session", { cookie });
      expect(session.data.user.name).toBe(user.email.split("@")[0]);
      expect((await updateName("é".repeat(200))).status).toBe(200);
      const users = expectStatus(await http<Array<{ name: string }>>(app.baseUrl, "/api/v1/users", { token: fixture.adminToken }), 200, "users");
      expect(users.every((u) => [...u.name].length <= 200 && !u.name.includes("\u0000"))).toBe(true);
    });
  });

  describe("Content-Security-Policy (findings 7 and 8)", () => {
    const directive = (csp: string, name: string) =>
      csp
        .split(";")
        .map((d) => d.trim())
        .find((d) => d.startsWith(`${name} `)) ?? "";

    it("every page has a fresh nonce in script-src and no 'unsafe-inline'; every script on the page carries that nonce", async () => {
      const seen = new Set<string>();
      for (const path of ["/login", "/login", "/no-such-page", "/invite/not-a-real-token"]) {
        const page = await http<string>(app.baseUrl, path);
        const csp = page.headers.get("content-security-policy") ?? "";
        const scriptSrc = directive(csp, "script-src");
        const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(scriptSrc)?.[1];
        expect(nonce, `${path}: ${scriptSrc}`).toBeTruthy();
        expect(nonce!.length).toBeGreaterThanOrEqual(22);
        expect(scriptSrc, path).not.toContain("'unsafe-inline'");
        expect(scriptSrc, path).not.toMatch(/'unsafe-eval'|\*|https?:/);
        expect(seen.has(nonce!), `${path}: the nonce repeats`).toBe(false);
        seen.add(nonce!);
        const scripts = [...page.text.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
        expect(scripts.length, path).toBeGreaterThan(0);
        for (const tag of scripts) expect(tag, path).toContain(`nonce="${nonce}"`);
      }
      // API answers and static files: the same policy, without a nonce and without 'unsafe-inline'.
      for (const path of ["/api/health", "/api/v1/me"]) {
        const csp = (await http(app.baseUrl, path)).headers.get("content-security-policy") ?? "";
        expect(directive(csp, "script-src"), path).toBe("script-src 'self' 'wasm-unsafe-eval'");
      }
    });

    it("img-src and media-src allow no remote host except, on a campaign's annotation page, the hosts its admin allowed — and only for those who may open it", async () => {
      const member = await newUser();
      const outsider = await newUser();
      const campaign = await createCampaign(fixture, {
        name: `Media ${randomUUID().slice(0, 8)}`,
        config: { overlap: 1, goldRate: 0, mediaHosts: ["Images.Example.org", "127.0.0.1:9999", "*.cdn.example"] },
      });
      expectStatus(
        await http(app.baseUrl, `/api/v1/campaigns/${campaign.id}/members`, { token: fixture.adminToken, body: { userId: member.id } }),
        201,
        "member",
      );
      const stored = expectStatus(
        await http<{ config: { mediaHosts: string[] } }>(app.baseUrl, `/api/v1/campaigns/${campaign.id}`, { token: fixture.adminToken }),
        200,
        "campaign",
      );
      expect(stored.config.mediaHosts).toEqual(["images.example.org", "127.0.0.1:9999", "*.cdn.example"]);

      const memberCookie = await sessionCookie(member.email, member.password);
      const outsiderCookie = await sessionCookie(outsider.email, outsider.password);
      const csp = async (path: string, cookie?: string) =>
        (await http(app.baseUrl, path, cookie ? { cookie } : {})).headers.get("content-security-policy") ?? "";
      const allowed = "'self' data: blob: images.example.org 127.0.0.1:9999 *.cdn.example";
      const none = "'self' data: blob:";
      const onPage = await csp(`/annotate/${campaign.id}`, memberCookie);
      expect(directive(onPage, "img-src")).toBe(`img-src ${allowed}`);
      expect(directive(onPage, "media-src")).toBe(`media-src ${allowed}`);
      for (const [label, value] of [
        ["annotator's campaign list", await csp("/annotate", memberCookie)],
        ["outsider on the campaign's page", await csp(`/annotate/${campaign.id}`, outsiderCookie)],
        ["anonymous on the campaign's page", await csp(`/annotate/${campaign.id}`)],
        ["login", await csp("/login")],
        ["API", await csp(`/api/v1/campaigns/${campaign.id}`)],
      ]) {
        expect(directive(value!, "img-src"), label).toBe(`img-src ${none}`);
        expect(directive(value!, "media-src"), label).toBe(`media-src ${none}`);
      }

      // Hosts are validated: no schemes, paths, wildcards alone or CSP syntax.
      for (const bad of ["https://images.example.org", "images.example.org/x", "*", "example.org; script-src *", "'unsafe-inline'", "a b"]) {
        const refused = await http(app.baseUrl, `/api/v1/campaigns/${campaign.id}`, {
          method: "PATCH",
          token: fixture.adminToken,
          body: { config: { ...stored.config, mediaHosts: [bad] } },
        });
        expect(refused.status, `${bad}: ${refused.text.slice(0, 200)}`).toBe(422);
      }
    });
  });

  describe("imports (finding 12)", () => {
    it("a gzip bomb (1 MB that inflates past 1 GiB) is refused with 413 and imports nothing", async () => {
      const campaign = await createCampaign(fixture, { name: `Bomb ${randomUUID().slice(0, 8)}` });
      const gzip = createGzip({ level: 1, strategy: zlib.Z_RLE });
      const parts: Buffer[] = [];
      gzip.on("data", (d: Buffer) => parts.push(d));
      const ended = new Promise((resolve) => gzip.on("end", resolve));
      gzip.write(JSON.stringify({ id: "fine", prompt: "p", responses: [{ content: "a" }, { content: "b" }] }) + '\n{"id":"');
      const filler = Buffer.alloc(MB, "x");
      for (let i = 0; i < 1024 + 16; i++) if (!gzip.write(filler)) await new Promise((resolve) => gzip.once("drain", resolve));
      gzip.end();
      await ended;
      const bomb = Buffer.concat(parts);
      expect(bomb.byteLength).toBeLessThan(2 * MB);

      const result = await http<{ error: { code: string } }>(app.baseUrl, `/api/v1/campaigns/${campaign.id}/items?format=native`, {
        token: fixture.adminToken,
        body: new Uint8Array(bomb),
        headers: { "content-type": "application/gzip" },
        timeoutMs: 120_000,
      });
      expect(result.status, result.text.slice(0, 300)).toBe(413);
      expect(result.data.error.code).toBe("payload_too_large");
      const after = expectStatus(
        await http<{ progress: { itemCount: number } }>(app.baseUrl, `/api/v1/campaigns/${campaign.id}`, { token: fixture.adminToken }),
        200,
        "campaign",
      );
      expect(after.progress.itemCount).toBe(0);
    }, 120_000);
  });

  describe("origins and forwarded headers (finding 12)", () => {
    it("sign-out with a session cookie from a foreign origin, or with no Origin, is 403 and the session stays; from our origin it signs out", async () => {
      const user = await newUser();
      const cookie = await sessionCookie(user.email, user.password);
      const signOut = (headers: Record<string, string>) => http(app.baseUrl, "/api/auth/sign-out", { method: "POST", cookie, body: {}, headers });
      const signedIn = async () =>
        (await http<{ user?: { email: string } } | null>(app.baseUrl, "/api/auth/get-session", { cookie })).data?.user?.email ?? null;
      for (const origin of ["http://evil.example", "null", `${app.baseUrl}.evil.example`, `http://127.0.0.1:${app.port + 1}`]) {
        const result = await signOut({ origin });
        expect(result.status, `origin ${origin}: ${result.text}`).toBe(403);
        expect(await signedIn()).toBe(user.email);
      }
      expect((await signOut({})).status).toBe(403);
      expect(await signedIn()).toBe(user.email);
      expect((await signOut({ origin: app.baseUrl })).status).toBe(200);
      expect(await signedIn()).toBeNull();
    });

    it("X-Forwarded-Host from a client that is not a trusted proxy cannot make a foreign Origin look like ours", async () => {
      const user = await newUser("admin");
      const cookie = await sessionCookie(user.email, user.password);
      const result = await http(app.baseUrl, "/api/v1/campaigns", {
        cookie,
        body: { name: "forged origin", taskType: "pairwise" },
        headers: { origin: "http://evil.example", "x-forwarded-host": "evil.example" },
      });
      expect(result.status, result.text).toBe(403);
    });

    // Last: it uses up this address's sign-in allowance for a minute.
    it("a spoofed X-Forwarded-For (or our own client-address header) does not escape the per-address limits: sign-in, then tokens", async () => {
      const user = await newUser();
      const spoofed = (i: number) => ({
        "x-forwarded-for": `203.0.113.${i}`,
        "x-real-ip": `198.51.100.${i}`,
        "x-arbiter-client-address": `192.0.2.${i}`,
        forwarded: `for=192.0.2.${i}`,
      });
      const signIn = (i: number, password: string) =>
        http(app.baseUrl, "/api/auth/sign-in/email", { body: { email: user.email, password }, headers: { origin: app.baseUrl, ...spoofed(i) } });
      const statuses: number[] = [];
      for (let i = 1; i <= 11; i++) statuses.push((await signIn(i, "wrong-password")).status);
      expect(statuses, "10 sign-ins a minute per address, whatever the headers say").toContain(429);
      expect(
        statuses.slice(statuses.indexOf(429)).every((s) => s === 429),
        statuses.join(","),
      ).toBe(true);
      expect((await signIn(99, user.password)).status, "the right password, from yet another 'address'").toBe(429);

      const tokens: number[] = [];
      for (let i = 1; i <= 11; i++)
        tokens.push((await http(app.baseUrl, "/api/v1/tokens", { body: { email: user.email, password: "wrong-password" }, headers: spoofed(i) })).status);
      expect(tokens, tokens.join(",")).toContain(429);
      expect((await http(app.baseUrl, "/api/v1/tokens", { body: { email: user.email, password: user.password }, headers: spoofed(100) })).status).toBe(429);
    });
  });
});

if (!built) {
  it.skip("security edge tests need the production build: apps/web/.next/BUILD_ID is missing — run `npm run build`", () => undefined);
}
