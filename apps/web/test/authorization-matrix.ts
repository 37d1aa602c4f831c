import { randomUUID } from "node:crypto";
import { freshAccount, issueToken, resetSecret } from "./accounts.ts";
import type { HttpMethod } from "./routes.ts";
import type { Role, World } from "./world.ts";

/**
 * The authorization matrix: every API route × method × caller → the status the product
 * promises (docs/API.md): admins may do everything; researchers read campaigns, stats and
 * exports; annotators work only on their own tasks in campaigns they belong to, and campaigns
 * they do not belong to do not exist for them (404). `security.integration.test.ts` fails when
 * a route on disk is missing here, or a row names a route that is gone — a new route must be
 * added to this table, with what each caller may do.
 *
 * Each row builds its own request per caller, on fresh resources where the call changes state,
 * and with a valid body, so an allowed caller gets a 2xx (not a 422 that would hide a hole).
 */

export interface MatrixCall {
  path: string;
  body?: unknown;
  /** A body sent as is (with its own content type). */
  raw?: { body: string; contentType: string };
  headers?: Record<string, string>;
}

export interface MatrixRow {
  route: string;
  method: HttpMethod;
  /** The request `role` sends (resources belong to `member` or to the target campaign). */
  request(world: World, role: Role): Promise<MatrixCall>;
  expect: Record<Role, number>;
  /**
   * When allowed and refused callers get the same status (a 404 for a file that is not there), the
   * answer must still show which it was: the body of each named caller matches.
   */
  body?: Partial<Record<Role, RegExp>>;
  /** Why a surprising cell is what it is. */
  note?: string;
}

type Cells = Partial<Record<Role, number>>;

/** Admins only: every other signed-in caller is refused for their role (403) before any campaign is looked at. */
const adminOnly = (ok: number, override: Cells = {}): Record<Role, number> => ({
  anonymous: 401,
  member: 403,
  otherMember: 403,
  outsider: 403,
  researcher: 403,
  admin: ok,
  ...override,
});
/** Admins and researchers read; annotators of the campaign are refused (403), others do not see it (404). */
const staffRead = (override: Cells = {}): Record<Role, number> => ({
  anonymous: 401,
  member: 403,
  otherMember: 403,
  outsider: 404,
  researcher: 200,
  admin: 200,
  ...override,
});
/** Admins and researchers only, checked by role before the campaign (every annotator 403). */
const staffOnly = (override: Cells = {}): Record<Role, number> => ({
  anonymous: 401,
  member: 403,
  otherMember: 403,
  outsider: 403,
  researcher: 200,
  admin: 200,
  ...override,
});

const campaignPath =
  (suffix = "") =>
  (w: World) =>
    `/api/v1/campaigns/${w.campaignA}${suffix}`;
const get =
  (path: (w: World) => string) =>
  async (w: World): Promise<MatrixCall> => ({ path: path(w) });

/** A pairwise judgment body for a task. */
const winnerOf = (candidates: Array<{ id: string }>) => ({ winner: candidates[0]!.id });

export const matrix: MatrixRow[] = [
  {
    route: "/api/health",
    method: "GET",
    request: async () => ({ path: "/api/health" }),
    expect: { anonymous: 200, member: 200, otherMember: 200, outsider: 200, researcher: 200, admin: 200 },
  },
  {
    route: "/api/v1/openapi.json",
    method: "GET",
    // The API's description is public, like the contract it describes (and the reference page /docs/api).
    request: async () => ({ path: "/api/v1/openapi.json" }),
    expect: { anonymous: 200, member: 200, otherMember: 200, outsider: 200, researcher: 200, admin: 200 },
  },
  {
    route: "/api/auth/*",
    method: "GET",
    // better-auth answers the session for the cookie it is sent (none here: bearer tokens are ours, not better-auth's).
    request: async () => ({ path: "/api/auth/get-session" }),
    expect: { anonymous: 200, member: 200, otherMember: 200, outsider: 200, researcher: 200, admin: 200 },
  },
  {
    route: "/api/auth/*",
    method: "POST",
    // Open sign-up is off: accounts come from admins and invites only, whoever asks.
    request: async (w) => ({
      path: "/api/auth/sign-up/email",
      body: { email: `signup-${randomUUID().slice(0, 8)}@matrix.test`, password: "sign-up-password", name: "x" },
      headers: { origin: w.baseUrl },
    }),
    expect: { anonymous: 400, member: 400, otherMember: 400, outsider: 400, researcher: 400, admin: 400 },
    note: "sign-up is disabled (emailAndPassword.disableSignUp)",
  },
  {
    route: "/api/v1/me",
    method: "GET",
    request: async () => ({ path: "/api/v1/me" }),
    expect: { anonymous: 401, member: 200, otherMember: 200, outsider: 200, researcher: 200, admin: 200 },
  },
  {
    route: "/api/v1/tokens",
    method: "POST",
    // Anonymous by design (it is how a script signs in): the body's credentials decide, not the caller.
    request: async (w) => ({ path: "/api/v1/tokens", body: { email: w.accounts.member.email, password: w.accounts.member.password, expiresInDays: 1 } }),
    expect: { anonymous: 201, member: 201, otherMember: 201, outsider: 201, researcher: 201, admin: 201 },
  },
  {
    route: "/api/v1/tokens",
    method: "GET",
    request: async () => ({ path: "/api/v1/tokens" }),
    expect: { anonymous: 401, member: 200, otherMember: 200, outsider: 200, researcher: 200, admin: 200 },
    note: "everyone lists their own tokens",
  },
  {
    route: "/api/v1/tokens/:id",
    method: "DELETE",
    // A fresh token of `member` for each caller: its owner and admins revoke it; to anyone else it does not exist.
    request: async (w) => ({ path: `/api/v1/tokens/${(await issueToken(w, w.accounts.member)).id}` }),
    expect: { anonymous: 401, member: 200, otherMember: 404, outsider: 404, researcher: 404, admin: 200 },
  },
  {
    route: "/api/v1/me/password",
    method: "POST",
    // Everyone signed in changes their own password. The change revokes the caller's tokens, so each
    // cell is a fresh account of the caller's role, sending its own token.
    request: async (w, role) => {
      if (role === "anonymous") return { path: "/api/v1/me/password", body: { currentPassword: "whatever-password", newPassword: "changed-password-1" } };
      const account = await freshAccount(w, role === "admin" ? "admin" : role === "researcher" ? "researcher" : "annotator");
      return {
        path: "/api/v1/me/password",
        body: { currentPassword: account.password, newPassword: "changed-password-1" },
        headers: { authorization: `Bearer ${account.token}` },
      };
    },
    expect: { anonymous: 401, member: 200, otherMember: 200, outsider: 200, researcher: 200, admin: 200 },
  },
  { route: "/api/v1/users", method: "GET", request: async () => ({ path: "/api/v1/users" }), expect: adminOnly(200) },
  {
    route: "/api/v1/users/:id/tokens",
    method: "GET",
    request: async (w) => ({ path: `/api/v1/users/${w.accounts.member.id}/tokens` }),
    expect: adminOnly(200),
  },
  {
    route: "/api/v1/users/:id/status",
    method: "POST",
    request: async (w) => ({ path: `/api/v1/users/${(await w.freshUser()).id}/status`, body: { status: "disabled" } }),
    expect: adminOnly(200),
    note: "an annotator or researcher disabling anyone is refused",
  },
  {
    route: "/api/v1/users/:id/password-reset",
    method: "POST",
    request: async (w) => ({ path: `/api/v1/users/${(await w.freshUser()).id}/password-reset`, body: { expiresInSeconds: 3600 } }),
    expect: adminOnly(201),
    note: "a reset link takes over the account: admins only",
  },
  {
    route: "/api/v1/password-resets/accept",
    method: "POST",
    // Anonymous by design: the single-use secret in the body is the credential (a fresh link for a fresh user per caller).
    request: async (w) => ({
      path: "/api/v1/password-resets/accept",
      body: { token: await resetSecret(w, (await w.freshUser()).id), password: "reset-password-1" },
    }),
    expect: { anonymous: 200, member: 200, otherMember: 200, outsider: 200, researcher: 200, admin: 200 },
  },
  {
    route: "/api/v1/users",
    method: "POST",
    request: async () => ({
      path: "/api/v1/users",
      body: { email: `new-${randomUUID().slice(0, 8)}@matrix.test`, role: "admin", password: "new-user-password" },
    }),
    expect: adminOnly(201),
    note: "creating an admin is the escalation to refuse",
  },
  { route: "/api/v1/invites", method: "POST", request: async () => ({ path: "/api/v1/invites", body: { role: "admin" } }), expect: adminOnly(201) },
  {
    route: "/api/v1/invites/accept",
    method: "POST",
    // Anonymous by design: the single-use secret in the body is the credential.
    request: async (w) => ({
      path: "/api/v1/invites/accept",
      body: { token: await w.inviteToken(), password: "invited-password", email: `invited-${randomUUID().slice(0, 8)}@matrix.test` },
    }),
    expect: { anonymous: 201, member: 201, otherMember: 201, outsider: 201, researcher: 201, admin: 201 },
  },
  {
    route: "/api/v1/campaigns",
    method: "GET",
    // Everyone signed in gets a list; what is in it is checked separately (an outsider never sees campaign A).
    request: async () => ({ path: "/api/v1/campaigns" }),
    expect: { anonymous: 401, member: 200, otherMember: 200, outsider: 200, researcher: 200, admin: 200 },
  },
  {
    route: "/api/v1/campaigns",
    method: "POST",
    request: async () => ({ path: "/api/v1/campaigns", body: { name: "made by", taskType: "pairwise" } }),
    expect: adminOnly(201),
  },
  {
    route: "/api/v1/campaigns/:id",
    method: "GET",
    request: get(campaignPath()),
    expect: { anonymous: 401, member: 200, otherMember: 200, outsider: 404, researcher: 200, admin: 200 },
  },
  {
    route: "/api/v1/campaigns/:id",
    method: "PATCH",
    request: async (w) => ({ path: campaignPath()(w), body: { description: `changed ${Date.now()}` } }),
    expect: adminOnly(200),
  },
  {
    route: "/api/v1/campaigns/:id/duplicate",
    method: "POST",
    request: async (w) => ({ path: campaignPath("/duplicate")(w), body: { name: "copy" } }),
    expect: adminOnly(201),
  },
  {
    route: "/api/v1/campaigns/:id/status",
    method: "POST",
    // A fresh draft per caller: activating it is the change an admin may make.
    request: async (w) => ({ path: `/api/v1/campaigns/${await w.freshCampaign({ status: "draft" })}/status`, body: { status: "active" } }),
    expect: adminOnly(200),
  },
  {
    route: "/api/v1/campaigns/:id/items",
    method: "POST",
    request: async (w) => ({
      path: campaignPath("/items?format=native")(w),
      raw: {
        contentType: "application/x-ndjson",
        body: JSON.stringify({ id: `m-${randomUUID()}`, prompt: "added by", responses: [{ content: "x" }, { content: "y" }] }),
      },
    }),
    expect: adminOnly(200),
  },
  { route: "/api/v1/campaigns/:id/members", method: "GET", request: get(campaignPath("/members")), expect: adminOnly(200) },
  {
    route: "/api/v1/campaigns/:id/members",
    method: "POST",
    request: async (w) => ({ path: campaignPath("/members")(w), body: { userId: (await w.freshUser()).id } }),
    expect: adminOnly(201),
    note: "an annotator adding someone (or themselves) to a campaign is refused",
  },
  {
    route: "/api/v1/campaigns/:id/members/:userId/status",
    method: "POST",
    // Pausing the other member: an annotator must not pause a colleague (nor resume themselves).
    request: async (w) => ({ path: campaignPath(`/members/${w.accounts.otherMember.id}/status`)(w), body: { status: "active" } }),
    expect: adminOnly(200),
  },
  {
    route: "/api/v1/campaigns/:id/tasks/next",
    method: "GET",
    request: get(campaignPath("/tasks/next")),
    expect: { anonymous: 401, member: 200, otherMember: 200, outsider: 404, researcher: 403, admin: 200 },
    note: "admins may annotate any campaign",
  },
  {
    route: "/api/v1/campaigns/:id/my-progress",
    method: "GET",
    request: get(campaignPath("/my-progress")),
    expect: { anonymous: 401, member: 200, otherMember: 200, outsider: 404, researcher: 403, admin: 200 },
    note: "whoever may annotate the campaign sees their own progress in it",
  },
  { route: "/api/v1/campaigns/:id/judgments", method: "GET", request: get(campaignPath("/judgments")), expect: staffOnly() },
  {
    route: "/api/v1/campaigns/:id/items/:itemId",
    method: "GET",
    // The researcher's item drill-down: every judgment of one item. Annotators never, members included.
    request: get(campaignPath("/items/a-0")),
    expect: staffOnly(),
  },
  { route: "/api/v1/campaigns/:id/export", method: "GET", request: get(campaignPath("/export?format=raw")), expect: staffOnly() },
  { route: "/api/v1/campaigns/:id/export/card", method: "GET", request: get(campaignPath("/export/card?format=raw")), expect: staffOnly() },
  { route: "/api/v1/campaigns/:id/stats", method: "GET", request: get(campaignPath("/stats")), expect: staffRead() },
  { route: "/api/v1/campaigns/:id/stats/series", method: "GET", request: get(campaignPath("/stats/series")), expect: staffRead() },
  { route: "/api/v1/campaigns/:id/leaderboard", method: "GET", request: get(campaignPath("/leaderboard")), expect: staffRead() },
  { route: "/api/v1/campaigns/:id/judge", method: "GET", request: get(campaignPath("/judge")), expect: staffOnly() },
  {
    route: "/api/v1/campaigns/:id/judge",
    method: "PUT",
    request: async (w) => ({ path: campaignPath("/judge")(w), body: { enabled: false } }),
    expect: adminOnly(200),
  },
  { route: "/api/v1/campaigns/:id/judge/retry", method: "POST", request: get(campaignPath("/judge/retry")), expect: adminOnly(200) },
  {
    route: "/api/v1/campaigns/:id/judge/test",
    method: "POST",
    // A judge on a closed port: the test answers 200 with each item's error, quickly.
    request: async (w) => ({
      path: campaignPath("/judge/test")(w),
      body: { settings: { enabled: true, baseUrl: "http://127.0.0.1:9/v1", model: "matrix-judge", maxRetries: 0, timeoutMs: 2000 } },
    }),
    expect: adminOnly(200),
  },
  {
    route: "/api/v1/campaigns/:id/live/test",
    method: "POST",
    // A contestant on a closed port: the test answers 200 with the failure, quickly.
    request: async (w) => ({
      path: campaignPath("/live/test")(w),
      body: { contestant: { name: "matrix", baseUrl: "http://127.0.0.1:9/v1", model: "matrix-model", timeoutMs: 2000 }, prompt: "hi" },
    }),
    expect: adminOnly(200),
  },
  { route: "/api/v1/campaigns/:id/routing", method: "GET", request: get(campaignPath("/routing")), expect: staffOnly() },
  {
    route: "/api/v1/campaigns/:id/routing",
    method: "PUT",
    request: async (w) => ({ path: campaignPath("/routing")(w), body: { mode: "all_human" } }),
    expect: adminOnly(200),
  },
  { route: "/api/v1/campaigns/:id/routing/run", method: "POST", request: get(campaignPath("/routing/run")), expect: adminOnly(202) },
  { route: "/api/v1/campaigns/:id/secrets", method: "GET", request: get(campaignPath("/secrets")), expect: staffOnly() },
  {
    route: "/api/v1/campaigns/:id/secrets/:name",
    method: "PUT",
    request: async (w, role) => ({ path: campaignPath(`/secrets/MATRIX_${role.toUpperCase()}`)(w), body: { value: "sk-matrix-secret" } }),
    expect: adminOnly(201),
  },
  {
    route: "/api/v1/campaigns/:id/secrets/:name",
    method: "DELETE",
    request: async (w, role) => {
      const name = `DEL_${role.toUpperCase()}_${randomUUID().slice(0, 6).toUpperCase()}`;
      await w.call("admin", campaignPath(`/secrets/${name}`)(w), { method: "PUT", body: { value: "to-delete" } });
      return { path: campaignPath(`/secrets/${name}`)(w) };
    },
    expect: adminOnly(204),
  },
  {
    route: "/api/v1/campaigns/:id/reward-model/train",
    method: "POST",
    // Trains on campaign A's judgments (the world makes a few); an annotator of the campaign may not.
    request: get(campaignPath("/reward-model/train")),
    expect: { anonymous: 401, member: 403, otherMember: 403, outsider: 404, researcher: 403, admin: 201 },
  },
  {
    route: "/api/v1/campaigns/:id/reward-model",
    method: "GET",
    request: get(campaignPath("/reward-model")),
    expect: { anonymous: 401, member: 200, otherMember: 200, outsider: 404, researcher: 200, admin: 200 },
    note: "annotators load it for live hints",
  },
  {
    route: "/api/v1/campaigns/:id/reward-model/influence",
    method: "GET",
    request: get(campaignPath("/reward-model/influence")),
    expect: staffRead(),
    note: "hint vs no-hint arm figures are quality figures: admins and researchers",
  },
  {
    route: "/api/v1/campaigns/:id/reward-model/weights",
    method: "GET",
    request: get(campaignPath("/reward-model/weights")),
    expect: { anonymous: 401, member: 200, otherMember: 200, outsider: 404, researcher: 200, admin: 200 },
  },
  {
    route: "/api/v1/campaigns/:id/reward-model/files/:name",
    method: "GET",
    // Campaign A has no pretrained ONNX model, so every caller gets a 404 — but for a different reason.
    request: get(campaignPath("/reward-model/files/model.onnx")),
    expect: { anonymous: 401, member: 404, otherMember: 404, outsider: 404, researcher: 404, admin: 404 },
    body: {
      member: /pretrained reward model/,
      otherMember: /pretrained reward model/,
      researcher: /pretrained reward model/,
      admin: /pretrained reward model/,
      outsider: /Campaign not found/,
    },
  },
  {
    route: "/api/v1/assignments/:id",
    method: "GET",
    request: async (w) => ({ path: `/api/v1/assignments/${(await w.task("member")).assignmentId}` }),
    expect: { anonymous: 401, member: 200, otherMember: 404, outsider: 404, researcher: 404, admin: 404 },
    note: "an assignment is its annotator's alone, even to admins",
  },
  {
    route: "/api/v1/campaigns/:id/battles",
    method: "POST",
    request: async (w) => ({ path: campaignPath("/battles")(w), body: { prompt: "matrix" } }),
    expect: { anonymous: 401, member: 404, otherMember: 404, outsider: 404, researcher: 403, admin: 404 },
    body: { member: /no live battles/, admin: /no live battles/, outsider: /Campaign not found/ },
    note: "campaign A has no config.live: members and admins pass the access check and learn that; outsiders do not see the campaign (battles themselves: packages/core/test/battles.integration.test.ts)",
  },
  {
    route: "/api/v1/battles/:id",
    method: "GET",
    request: async () => ({ path: `/api/v1/battles/${randomUUID()}` }),
    expect: { anonymous: 401, member: 404, otherMember: 404, outsider: 404, researcher: 404, admin: 404 },
    note: "a battle is its annotator's alone, even to admins (checked in battles.integration.test.ts); an unknown id is 404 for every signed-in caller",
  },
  {
    route: "/api/v1/battles/:id/stream",
    method: "GET",
    request: async () => ({ path: `/api/v1/battles/${randomUUID()}/stream` }),
    expect: { anonymous: 401, member: 404, otherMember: 404, outsider: 404, researcher: 404, admin: 404 },
    note: "as GET /battles/:id",
  },
  {
    route: "/api/v1/assignments/:id/judgment",
    method: "POST",
    request: async (w) => {
      const task = await w.task("member");
      return { path: `/api/v1/assignments/${task.assignmentId}/judgment`, body: winnerOf(task.candidates), headers: { "idempotency-key": randomUUID() } };
    },
    expect: { anonymous: 401, member: 201, otherMember: 403, outsider: 403, researcher: 403, admin: 403 },
  },
  {
    route: "/api/v1/assignments/:id/skip",
    method: "POST",
    request: async (w) => ({ path: `/api/v1/assignments/${(await w.task("member")).assignmentId}/skip`, body: { reason: "matrix" } }),
    expect: { anonymous: 401, member: 200, otherMember: 403, outsider: 403, researcher: 403, admin: 403 },
  },
  {
    route: "/api/v1/judgments/:id",
    method: "DELETE",
    request: async (w) => ({ path: `/api/v1/judgments/${await w.judgment("member")}` }),
    expect: { anonymous: 401, member: 200, otherMember: 404, outsider: 404, researcher: 404, admin: 404 },
    note: "undo is for the judgment's own annotator",
  },
];
