import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { appDatabase, type AppDatabase } from "../../../scripts/lib/databases.ts";
import { expectStatus, http, type HttpInit } from "../../../scripts/lib/http-client.ts";
import { buildExists, launchApp, type RunningApp } from "../../../scripts/lib/launch-app.ts";
import { sleep } from "../../../scripts/lib/wait.ts";
import { freshAccount, issueToken, resetSecret } from "./accounts.ts";
import { buildWorld, clientAddress, type Account, type World } from "./world.ts";

/**
 * Account security over HTTP against the production build (issue 13, finding 5): API tokens are
 * listed, revoked and expire; a password change, a password reset and disabling an account each
 * shut out whoever held the old credentials at once; reset links are single use, expire and are
 * bound to their user; nobody but an admin touches another account. One test per attack.
 * Needs `npm run build` first; skipped, saying so, without a build.
 */

const built = buildExists();
const ADMIN = { email: "admin@accounts.test", password: "accounts-admin-password" };
/** The app under test runs with a token lifetime of its own, to show the setting is what decides. */
const TOKEN_TTL_DAYS = 30;

let app: RunningApp;
let database: AppDatabase;
let world: World;

interface TokenView {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string;
  revokedAt: string | null;
  status: "active" | "expired" | "revoked";
  current: boolean;
}

const as = <T = unknown>(token: string, path: string, init: Omit<HttpInit, "token"> = {}) =>
  http<T>(app.baseUrl, path, { ...init, token, headers: { ...clientAddress(), ...init.headers } });
const withCookie = <T = unknown>(cookie: string, path: string, init: Omit<HttpInit, "cookie"> = {}) =>
  http<T>(app.baseUrl, path, { ...init, cookie, headers: { origin: app.baseUrl, ...clientAddress(), ...init.headers } });
const signIn = (email: string, password: string) =>
  http<{ code?: string }>(app.baseUrl, "/api/auth/sign-in/email", { body: { email, password }, headers: { origin: app.baseUrl, ...clientAddress() } });
const acceptReset = (body: Record<string, unknown>) =>
  http<{ error?: { code: string; message: string } }>(app.baseUrl, "/api/v1/password-resets/accept", { body, headers: clientAddress() });

/** Signs in like the login page and returns the session cookie. */
async function sessionCookie(account: { email: string; password: string }): Promise<string> {
  const result = await signIn(account.email, account.password);
  expect(result.status, result.text).toBe(200);
  return result.headers
    .getSetCookie()
    .map((c) => c.split(";")[0]!)
    .join("; ");
}

const me = (credential: { token?: string; cookie?: string }) => http(app.baseUrl, "/api/v1/me", { ...credential, headers: clientAddress() });

describe.skipIf(!built)("account security of the production build over HTTP (issue 13, finding 5)", () => {
  beforeAll(async () => {
    database = await appDatabase({ embedded: inject("embeddedDb"), prefix: "arbiter_accounts" });
    // Each call's own X-Forwarded-For (clientAddress) is its rate-limit bucket: loopback is the trusted proxy.
    app = await launchApp({
      database,
      rateLimit: "on",
      adminEmail: ADMIN.email,
      adminPassword: ADMIN.password,
      baseEnv: process.env,
      env: { ARBITER_TOKEN_TTL_DAYS: String(TOKEN_TTL_DAYS), ARBITER_TRUSTED_PROXIES: "127.0.0.1, ::1" },
    });
    world = await buildWorld(app.baseUrl, ADMIN);
  }, 240_000);

  afterAll(async () => {
    const errors = app?.unexpectedErrors() ?? [];
    await app?.stop();
    await database?.drop();
    expect(errors, "the app logged unexpected errors (500s)").toEqual([]);
  });

  describe("API tokens", () => {
    it("a user lists their own tokens — name, prefix, created, last used, expiry, status — and never a secret again", async () => {
      const account = await freshAccount(world, "annotator");
      const named = await issueToken(world, account, { name: "nightly export" });
      const list = expectStatus(await as<TokenView[]>(named.token, "/api/v1/tokens"), 200, "token list");
      expect(list).toHaveLength(2);
      expect(list[0]!.id, "newest first").toBe(named.id);
      const entry = list.find((t) => t.id === named.id)!;
      expect(entry).toMatchObject({ name: "nightly export", prefix: named.token.slice(0, 10), status: "active", revokedAt: null, current: true });
      expect(entry.lastUsedAt).not.toBeNull();
      expect(Object.keys(entry).sort()).toEqual(["createdAt", "current", "expiresAt", "id", "lastUsedAt", "name", "prefix", "revokedAt", "status"]);
      const text = (await as(named.token, "/api/v1/tokens")).text + (await world.call("admin", `/api/v1/users/${account.id}/tokens`)).text;
      for (const secret of [named.token, account.token]) expect(text).not.toContain(secret.slice(10));
      expect(text).not.toMatch(/tokenHash|token_hash/);
      // Someone else's list never holds them.
      expect((await world.call("member", "/api/v1/tokens")).text).not.toContain(named.id);
    });

    it("a revoked token is refused (401) at once; revoking again changes nothing; the user's other tokens keep working", async () => {
      const account = await freshAccount(world, "researcher");
      const doomed = await issueToken(world, account, { name: "leaked" });
      expect((await me({ token: doomed.token })).status).toBe(200);
      const revoked = expectStatus(await as<TokenView>(account.token, `/api/v1/tokens/${doomed.id}`, { method: "DELETE" }), 200, "revoke");
      expect(revoked).toMatchObject({ id: doomed.id, status: "revoked" });
      expect((await me({ token: doomed.token })).status).toBe(401);
      expect((await as(doomed.token, "/api/v1/campaigns")).status).toBe(401);
      expect((await me({ token: account.token })).status).toBe(200);
      const again = expectStatus(await as<TokenView>(account.token, `/api/v1/tokens/${doomed.id}`, { method: "DELETE" }), 200, "revoke again");
      expect(again.revokedAt).toBe(revoked.revokedAt);
      // A token may revoke itself (a script cleaning up after itself).
      expect((await as(account.token, `/api/v1/tokens/${(await listIds(account.token))[0]}`, { method: "DELETE" })).status).toBe(200);
      expect((await me({ token: account.token })).status).toBe(401);
    });

    it("an annotator or researcher cannot see, revoke or list another user's tokens (404 / 403); an admin revokes anyone's", async () => {
      const victim = await freshAccount(world, "annotator");
      for (const role of ["member", "outsider", "researcher"] as const) {
        expect(
          (await world.call(role, `/api/v1/tokens/${(await listIds(victim.token))[0]}`, { method: "DELETE", headers: clientAddress() })).status,
          role,
        ).toBe(404);
        expect((await world.call(role, `/api/v1/users/${victim.id}/tokens`)).status, role).toBe(403);
      }
      expect((await me({ token: victim.token })).status).toBe(200);
      const seen = expectStatus(await world.call<TokenView[]>("admin", `/api/v1/users/${victim.id}/tokens`), 200, "admin list");
      expect(seen).toHaveLength(1);
      expect(seen[0]!.current).toBe(false);
      expect((await world.call("admin", `/api/v1/tokens/${seen[0]!.id}`, { method: "DELETE", headers: clientAddress() })).status).toBe(200);
      expect((await me({ token: victim.token })).status).toBe(401);
      expect((await world.call("admin", `/api/v1/users/${randomUUID()}/tokens`)).status).toBe(404);
    });

    it("every token expires: the default is ARBITER_TOKEN_TTL_DAYS, longer is refused (422), and an expired token is refused (401)", async () => {
      const account = await freshAccount(world, "annotator");
      const standard = await issueToken(world, account);
      const days = (Date.parse(standard.expiresAt) - Date.now()) / 86_400_000;
      expect(days).toBeGreaterThan(TOKEN_TTL_DAYS - 0.01);
      expect(days).toBeLessThanOrEqual(TOKEN_TTL_DAYS);
      for (const asked of [{ expiresInDays: TOKEN_TTL_DAYS + 1 }, { expiresInSeconds: TOKEN_TTL_DAYS * 86_400 + 1 }, { expiresInDays: 3650 }]) {
        const refused = await http<{ error: { code: string; message: string } }>(app.baseUrl, "/api/v1/tokens", {
          body: { email: account.email, password: account.password, ...asked },
          headers: clientAddress(),
        });
        expect(refused.status, JSON.stringify(asked)).toBe(422);
        expect(refused.data.error.message).toContain(`${TOKEN_TTL_DAYS} days`);
      }
      const shortLived = await issueToken(world, account, { expiresInSeconds: 1, name: "one second" });
      await sleep(1_500);
      expect((await me({ token: shortLived.token })).status).toBe(401);
      const listed = expectStatus(await as<TokenView[]>(account.token, "/api/v1/tokens"), 200, "list");
      expect(listed.find((t) => t.id === shortLived.id)?.status).toBe("expired");
    });
  });

  describe("a password change shuts out whoever held the old credentials", () => {
    it("ends every other session and revokes every token; the session that made the change stays signed in", async () => {
      const account = await freshAccount(world, "annotator");
      const here = await sessionCookie(account);
      const elsewhere = await sessionCookie(account);
      const script = await issueToken(world, account, { name: "script" });
      const changed = await withCookie<{ revokedTokens: number; endedSessions: number }>(here, "/api/v1/me/password", {
        body: { currentPassword: account.password, newPassword: "a-brand-new-password" },
      });
      expect(changed.status, changed.text).toBe(200);
      expect(changed.data).toEqual({ revokedTokens: 2, endedSessions: 1 });
      expect((await me({ cookie: elsewhere })).status).toBe(401);
      expect((await me({ token: script.token })).status).toBe(401);
      expect((await me({ token: account.token })).status).toBe(401);
      expect((await me({ cookie: here })).status).toBe(200);
      expect((await signIn(account.email, account.password)).status).toBe(401);
      expect((await signIn(account.email, "a-brand-new-password")).status).toBe(200);
    });

    it("through a token: every token is revoked, the one it came with included, and every session ends", async () => {
      const account = await freshAccount(world, "researcher");
      const session = await sessionCookie(account);
      const changed = await as<{ revokedTokens: number; endedSessions: number }>(account.token, "/api/v1/me/password", {
        body: { currentPassword: account.password, newPassword: "another-new-password" },
      });
      expect(changed.status, changed.text).toBe(200);
      expect(changed.data).toEqual({ revokedTokens: 1, endedSessions: 1 });
      expect((await me({ token: account.token })).status).toBe(401);
      expect((await me({ cookie: session })).status).toBe(401);
    });

    it("needs the current password (403, nothing changes), and guessing it is limited to 10 tries a minute", async () => {
      const account = await freshAccount(world, "annotator");
      const statuses: number[] = [];
      for (let i = 0; i < 10; i++)
        statuses.push(
          (await as(account.token, "/api/v1/me/password", { body: { currentPassword: `guess-${i}-password`, newPassword: "attacker-password" } })).status,
        );
      expect(
        statuses.every((s) => s === 403),
        statuses.join(","),
      ).toBe(true);
      expect((await me({ token: account.token })).status).toBe(200);
      const blocked = await as(account.token, "/api/v1/me/password", { body: { currentPassword: account.password, newPassword: "attacker-password" } });
      expect(blocked.status).toBe(429);
      expect((await signIn(account.email, account.password)).status).toBe(200);
    });

    it("better-auth's own password routes, which would leave sessions and tokens working, are closed (404)", async () => {
      const account = await freshAccount(world, "annotator");
      const cookie = await sessionCookie(account);
      const bypass = await withCookie(cookie, "/api/auth/change-password", {
        body: { currentPassword: account.password, newPassword: "bypass-password-1", revokeOtherSessions: true },
      });
      expect(bypass.status).toBe(404);
      for (const path of ["/api/auth/reset-password", "/api/auth/request-password-reset"]) {
        expect((await withCookie(cookie, path, { body: { newPassword: "bypass-password-1", token: "x", email: account.email } })).status, path).toBe(404);
      }
      expect((await signIn(account.email, "bypass-password-1")).status).toBe(401);
      expect((await me({ token: account.token })).status).toBe(200);
    });
  });

  describe("disabling a user", () => {
    it("their token and session stop at once, sign-in and new tokens are refused, their leases go back to the pool; enabling lets them sign in, old tokens stay dead", async () => {
      const campaignId = await world.freshCampaign({ items: 1, config: { overlap: 1 } });
      const account = await freshAccount(world, "annotator", { campaignId });
      const cookie = await sessionCookie(account);
      const task = expectStatus(await as<{ assignmentId: string }>(account.token, `/api/v1/campaigns/${campaignId}/tasks/next`), 200, "lease");
      expect((await world.call("otherMember", `/api/v1/campaigns/${campaignId}/tasks/next`)).status).toBe(204);

      const disabled = await world.call<{ disabled: boolean; revokedTokens: number; endedSessions: number; releasedLeases: number }>(
        "admin",
        `/api/v1/users/${account.id}/status`,
        { body: { status: "disabled" }, headers: clientAddress() },
      );
      expect(disabled.status, disabled.text).toBe(200);
      expect(disabled.data).toMatchObject({ disabled: true, revokedTokens: 1, endedSessions: 1, releasedLeases: 1 });

      expect((await me({ token: account.token })).status).toBe(401);
      expect((await me({ cookie })).status).toBe(401);
      expect((await http(app.baseUrl, "/annotate", { cookie })).headers.get("location") ?? "").toContain("/login");
      expect(
        (
          await as(account.token, `/api/v1/assignments/${task.assignmentId}/judgment`, {
            body: { winner: "tie" },
            headers: { "idempotency-key": randomUUID() },
          })
        ).status,
      ).toBe(401);
      const refused = await signIn(account.email, account.password);
      expect(refused.status).toBe(403);
      expect(refused.data.code).toBe("ACCOUNT_DISABLED");
      expect(refused.headers.getSetCookie().some((c) => /session_token=[^;]+/.test(c) && !/Max-Age=0/i.test(c))).toBe(false);
      expect((await http(app.baseUrl, "/api/v1/tokens", { body: { email: account.email, password: account.password }, headers: clientAddress() })).status).toBe(
        403,
      );
      // The item they held is someone else's to do now.
      expect((await world.call("otherMember", `/api/v1/campaigns/${campaignId}/tasks/next`)).status).toBe(200);
      const users = expectStatus(await world.call<Array<{ id: string; disabled: boolean }>>("admin", "/api/v1/users"), 200, "users");
      expect(users.find((u) => u.id === account.id)?.disabled).toBe(true);

      expect((await world.call("admin", `/api/v1/users/${account.id}/status`, { body: { status: "active" }, headers: clientAddress() })).status).toBe(200);
      expect((await signIn(account.email, account.password)).status).toBe(200);
      expect((await me({ token: account.token })).status).toBe(401);
    });

    it("an annotator or researcher cannot disable, enable or issue a reset link for anyone, themselves included (403)", async () => {
      const target = await freshAccount(world, "annotator");
      for (const role of ["member", "outsider", "researcher"] as const) {
        for (const id of [target.id, world.accounts[role].id, world.accounts.admin.id]) {
          expect(
            (await world.call(role, `/api/v1/users/${id}/status`, { body: { status: "disabled" }, headers: clientAddress() })).status,
            `${role} disables ${id}`,
          ).toBe(403);
          expect((await world.call(role, `/api/v1/users/${id}/password-reset`, { body: {}, headers: clientAddress() })).status, `${role} resets ${id}`).toBe(
            403,
          );
        }
      }
      expect((await me({ token: target.token })).status).toBe(200);
      expect((await me({ token: world.accounts.admin.token })).status).toBe(200);
    });

    it("an admin cannot disable themselves (409); two admins disabling each other at once never both succeed", async () => {
      const admin = await freshAccount(world, "admin");
      const self = await as<{ error: { message: string } }>(admin.token, `/api/v1/users/${admin.id}/status`, { body: { status: "disabled" } });
      expect(self.status).toBe(409);
      expect(self.data.error.message).toContain("your own account");
      expect((await me({ token: admin.token })).status).toBe(200);
      for (let round = 0; round < 4; round++) {
        const [a, b] = await Promise.all([freshAccount(world, "admin"), freshAccount(world, "admin")]);
        const disable = (actor: Account, target: Account) => as(actor.token, `/api/v1/users/${target.id}/status`, { body: { status: "disabled" } });
        const results = await Promise.all([disable(a, b), disable(b, a)]);
        const statuses = results.map((r) => r.status).sort();
        expect(
          statuses.filter((s) => s === 200),
          `round ${round}: ${statuses.join(",")}`,
        ).toHaveLength(1);
        expect(
          statuses.every((s) => s === 200 || s === 401 || s === 403),
          statuses.join(","),
        ).toBe(true);
        const users = expectStatus(await world.call<Array<{ id: string; disabled: boolean }>>("admin", "/api/v1/users"), 200, "users");
        expect(users.filter((u) => (u.id === a.id || u.id === b.id) && !u.disabled)).toHaveLength(1);
      }
    });
  });

  describe("password reset links", () => {
    it("a reset link sets the password once: every session and token of the account ends, the link is spent", async () => {
      const account = await freshAccount(world, "annotator");
      const cookie = await sessionCookie(account);
      const secret = await resetSecret(world, account.id);
      const used = await acceptReset({ token: secret, password: "reset-by-link-password" });
      expect(used.status, used.text).toBe(200);
      expect(used.data).toEqual({ email: account.email });
      expect((await me({ token: account.token })).status).toBe(401);
      expect((await me({ cookie })).status).toBe(401);
      expect((await signIn(account.email, account.password)).status).toBe(401);
      expect((await signIn(account.email, "reset-by-link-password")).status).toBe(200);
      const again = await acceptReset({ token: secret, password: "second-use-password" });
      expect(again.status).toBe(404);
      expect((await signIn(account.email, "second-use-password")).status).toBe(401);
    });

    it("an expired link, a used link, a replaced link and a made-up one get the same answer, and the page names no one", async () => {
      const account = await freshAccount(world, "annotator");
      const other = await freshAccount(world, "annotator");
      const expiring = await resetSecret(world, other.id, { expiresInSeconds: 1 });
      await sleep(1_500);
      const older = await resetSecret(world, account.id);
      const newer = await resetSecret(world, account.id);
      const spent = await resetSecret(world, (await freshAccount(world, "annotator")).id);
      expect((await acceptReset({ token: spent, password: "spent-link-password" })).status).toBe(200);
      const answers = [];
      for (const token of [expiring, older, spent, `made-up-${randomUUID()}`]) {
        const answer = await acceptReset({ token, password: "attacker-password" });
        expect(answer.status).toBe(404);
        answers.push(answer.data.error);
        const page = await http<string>(app.baseUrl, `/reset-password/${token}`);
        expect(page.status).toBe(200);
        expect(page.text).toContain("This reset link is not valid");
        expect(page.text).not.toContain(account.email);
        expect(page.text).not.toContain(other.email);
      }
      expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
      expect((await signIn(account.email, "attacker-password")).status).toBe(401);
      expect((await signIn(other.email, "attacker-password")).status).toBe(401);
      // The newest link still works, for its own user.
      expect((await http<string>(app.baseUrl, `/reset-password/${newer}`)).text).toContain(account.email);
      expect((await acceptReset({ token: newer, password: "newest-link-password" })).status).toBe(200);
      expect((await signIn(account.email, "newest-link-password")).status).toBe(200);
    });

    it("a link is bound to its user: an email or user id in the body is refused (422) and changes nothing; it never changes a role", async () => {
      const account = await freshAccount(world, "annotator");
      const secret = await resetSecret(world, account.id);
      for (const extra of [{ email: ADMIN.email }, { userId: world.accounts.admin.id }, { role: "admin" }]) {
        expect((await acceptReset({ token: secret, password: "hijack-password-1", ...extra })).status, JSON.stringify(extra)).toBe(422);
      }
      expect((await signIn(ADMIN.email, "hijack-password-1")).status).toBe(401);
      expect((await signIn(ADMIN.email, ADMIN.password)).status).toBe(200);
      expect((await acceptReset({ token: secret, password: "own-new-password" })).status).toBe(200);
      const token = (await issueToken(world, { email: account.email, password: "own-new-password" })).token;
      expect(expectStatus(await as<{ role: string; email: string }>(token, "/api/v1/me"), 200, "me")).toMatchObject({
        role: "annotator",
        email: account.email,
      });
    });

    it("with invites (finding 1): a reset link claims no other account, and an invite never overrides a password a reset link set", async () => {
      const email = `pending-${randomUUID().slice(0, 8)}@accounts.test`;
      const pending = expectStatus(
        await world.call<{ id: string; inviteUrl: string }>("admin", "/api/v1/users", { body: { email, role: "researcher" }, headers: clientAddress() }),
        201,
        "user without password",
      );
      const secret = await resetSecret(world, pending.id);
      expect((await acceptReset({ token: secret, password: "set-by-reset-link" })).status).toBe(200);
      const invite = pending.inviteUrl.split("/invite/")[1]!;
      const claimed = await http(app.baseUrl, "/api/v1/invites/accept", { body: { token: invite, password: "set-by-invite-link" }, headers: clientAddress() });
      expect(claimed.status).toBe(409);
      expect((await signIn(email, "set-by-invite-link")).status).toBe(401);
      expect((await signIn(email, "set-by-reset-link")).status).toBe(200);
      // An invite's secret is no reset secret, nor the other way round.
      const inviteSecret = await world.inviteToken();
      expect((await acceptReset({ token: inviteSecret, password: "cross-use-password" })).status).toBe(404);
      const resetForMember = await resetSecret(world, (await freshAccount(world, "annotator")).id);
      expect(
        (
          await http(app.baseUrl, "/api/v1/invites/accept", {
            body: { token: resetForMember, password: "cross-use-password", email: `x-${randomUUID().slice(0, 6)}@accounts.test` },
            headers: clientAddress(),
          })
        ).status,
      ).toBe(404);
    });

    it("accepting links is limited to 20 tries a minute per client address", async () => {
      const address = clientAddress();
      for (let i = 0; i < 20; i++) {
        expect(
          (
            await http(app.baseUrl, "/api/v1/password-resets/accept", {
              body: { token: `guess-${randomUUID()}`, password: "guess-password" },
              headers: address,
            })
          ).status,
        ).toBe(404);
      }
      const secret = await resetSecret(world, (await freshAccount(world, "annotator")).id);
      expect(
        (await http(app.baseUrl, "/api/v1/password-resets/accept", { body: { token: secret, password: "guess-password" }, headers: address })).status,
      ).toBe(429);
    });
  });
});

async function listIds(token: string): Promise<string[]> {
  return expectStatus(await as<TokenView[]>(token, "/api/v1/tokens"), 200, "token list")
    .filter((t) => t.status === "active")
    .map((t) => t.id);
}

if (!built) {
  it.skip("account security tests need the production build: apps/web/.next/BUILD_ID is missing — run `npm run build`", () => undefined);
}
