import { z } from "zod";
import {
  CampaignConfigInput,
  CampaignCreateInput,
  CampaignDuplicateInput,
  CampaignMemberInput,
  CampaignStatusInput,
  CampaignUpdateInput,
  DatasetExportQuery,
  IdempotencyKey,
  ImportQuery,
  InviteAcceptInput,
  InviteCreateInput,
  JudgeConfig,
  JudgeTestInput,
  JudgmentInput,
  JudgmentListQuery,
  LeaderboardQuery,
  MemberStatusInput,
  PasswordChangeInput,
  PasswordResetAcceptInput,
  PasswordResetCreateInput,
  RewardWeightsVersionParam,
  RoutingConfig,
  SecretName,
  SecretValueInput,
  SeriesQuery,
  SkipInput,
  StartBattleInput,
  TokenCreateInput,
  TryContestantInput,
  UserCreateInput,
  UserStatusInput,
} from "@arbiter/core";

/**
 * The registry the OpenAPI document (document.ts) is generated from: one entry per route file × method under
 * `apps/web/app/api` (openapi.test.ts fails when one is missing or names a route that is gone). Request bodies and
 * query strings are the very zod schemas the domain functions validate with (imported, never copied); responses are
 * described with examples. Keep an entry next to docs/API.md's text when a route changes.
 */

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export const TAGS = [
  { name: "Accounts", description: "API tokens, the caller, passwords, users, invites and reset links." },
  { name: "Campaigns", description: "Create, configure, start, pause, close and duplicate campaigns; their members." },
  { name: "Items", description: "Import the items to judge (JSONL, JSON, CSV, TRL, hh-rlhf, LLMBar, ImageReward; gzip), all or nothing." },
  { name: "Annotation", description: "Tasks, judgments, skips and undo — what annotators (and admins) do." },
  { name: "Results", description: "Judgments, statistics, agreement, leaderboards and dataset exports." },
  { name: "Judge and routing", description: "The LLM judge, its secrets, and the hybrid human / judge router." },
  { name: "Reward model", description: "The in-browser reward model: versions, weights, hint influence." },
  { name: "Live battles", description: "Annotators' prompts answered live by contestant models, then voted on." },
  { name: "Service", description: "Health checks and this description." },
] as const;
export type TagName = (typeof TAGS)[number]["name"];

export interface ParamSpec {
  description: string;
  /** A zod schema the domain validates the value with, or a plain JSON Schema where it checks by hand. */
  schema?: z.ZodType | Record<string, unknown>;
  example?: string;
}

export interface ExtraParameter extends ParamSpec {
  name: string;
  in: "query" | "header";
  required?: boolean;
}

export interface JsonBody {
  /** The zod schema the route's domain function parses the body with. */
  schema: z.ZodType;
  /** Its component name when it is not an export of @arbiter/core. */
  name?: string;
  /** Properties the body schema leaves open that are validated with a schema of their own (campaign `config`). */
  properties?: Record<string, { schema: z.ZodType; description: string }>;
  required?: boolean;
  example: unknown;
}

export interface RawBody {
  contentTypes: string[];
  description: string;
  example: string;
}

export interface ResponseSpec {
  description: string;
  contentType?: string;
  /** A file (Parquet, ZIP, weights): not text. */
  binary?: boolean;
  example?: unknown;
  headers?: Record<string, string>;
}

export interface OperationSpec {
  method: HttpMethod;
  /** OpenAPI style: `/api/v1/campaigns/{id}`. */
  path: string;
  tag: TagName;
  summary: string;
  description?: string;
  /** `anonymous`: no credentials are read (the body's secret or password is the credential, or the route is public). */
  auth: "anonymous" | "required";
  /** Who may call it, in words (the authorization matrix in apps/web/test/authorization-matrix.ts is the test). */
  who: string;
  operationId?: string;
  pathParams?: Record<string, ParamSpec>;
  query?: { schema: z.ZodType; example?: Record<string, string> };
  parameters?: ExtraParameter[];
  body?: JsonBody | RawBody;
  responses: Record<number, ResponseSpec>;
  errors: number[];
  /** Answered outside the route files (by scripts/web-server.ts). */
  servedBy?: string;
}

/** The error body every 4xx and 5xx answer has. */
export const ErrorEnvelope = z
  .object({
    error: z
      .object({
        code: z
          .string()
          .describe("Machine-readable: bad_request, unauthorized, forbidden, not_found, conflict, payload_too_large, unprocessable, rate_limited, …"),
        message: z.string().describe("For people; says what to change."),
        details: z
          .array(z.record(z.string(), z.unknown()))
          .optional()
          .describe("Per-problem entries: `{path, message}`, `{line, message}` for item files, `{reason}`…"),
      })
      .strict(),
  })
  .strict();

export const errorExamples: Record<number, z.input<typeof ErrorEnvelope>> = {
  400: { error: { code: "bad_request", message: "The request body is not valid JSON." } },
  401: { error: { code: "unauthorized", message: "Sign in or send a valid API token." } },
  403: { error: { code: "forbidden", message: "Your role may not do this." } },
  404: { error: { code: "not_found", message: "Campaign not found." } },
  409: { error: { code: "conflict", message: "This campaign is paused; judgments are not accepted." } },
  413: { error: { code: "payload_too_large", message: "Request body over 1048576 bytes." } },
  422: { error: { code: "unprocessable", message: "Invalid request body: name: Too small", details: [{ path: "name", message: "Too small" }] } },
  429: { error: { code: "rate_limited", message: "Too many requests; retry in 42 s." } },
  503: { error: { code: "unavailable", message: "The database is unavailable; retry shortly." } },
};

const ID = {
  campaign: "5b0f8a8e-3c1d-4e5f-9a7b-2c3d4e5f6a7b",
  user: "0d9c2f4e-1a2b-4c3d-8e9f-a1b2c3d4e5f6",
  token: "7e6d5c4b-3a29-4817-b6a5-948372615041",
  assignment: "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f",
  judgment: "9f8e7d6c-5b4a-4392-8172-635445362718",
  battle: "a7b6c5d4-e3f2-41a0-9b8c-7d6e5f4a3b2c",
  candidateA: "e1f2a3b4-c5d6-4e7f-8a9b-c0d1e2f3a4b5",
  candidateB: "f1e2d3c4-b5a6-4978-8695-a4b3c2d1e0f9",
};
const NOW = "2025-06-01T12:00:00.000Z";
const LATER = "2025-08-30T12:00:00.000Z";

const campaignParam: Record<string, ParamSpec> = { id: { description: "The campaign's id (UUID).", example: ID.campaign } };
const signedIn = [401, 403, 404, 422, 429];
const reads = [401, 403, 404];

const tokenView = {
  id: ID.token,
  name: "training script",
  prefix: "arb_Xk3p9Q",
  createdAt: NOW,
  lastUsedAt: null,
  expiresAt: LATER,
  revokedAt: null,
  status: "active",
  current: false,
};
const campaignConfigExample = { overlap: 3, allowTie: true, strengthScale: false, rationale: "optional", guidelines: "Pick the more helpful answer." };
const campaignView = {
  id: ID.campaign,
  name: "Helpfulness study",
  description: "Which answer helps more?",
  taskType: "pairwise",
  status: "draft",
  config: { ...campaignConfigExample, allowBothBad: true, k: 4, hintMode: "after_choice", leaseMinutes: 10, goldRate: 0.1 },
  createdAt: NOW,
  updatedAt: NOW,
  progress: { itemCount: 120, goldItemCount: 10, itemsComplete: 0, humanJudgments: 0, judgeJudgments: 0, memberCount: 3 },
};
const task = {
  assignmentId: ID.assignment,
  expiresAt: "2025-06-01T12:10:00.000Z",
  campaignId: ID.campaign,
  taskType: "pairwise",
  comparison: "pairwise",
  item: { id: "ext-1", prompt: "What is 2+2?", messages: null, media: null },
  candidates: [
    { id: ID.candidateA, content: "4" },
    { id: ID.candidateB, content: "22" },
  ],
  options: {
    allowTie: true,
    allowBothBad: true,
    strengthScale: false,
    kwiseMode: "rank",
    rationale: "optional",
    rationaleMinLength: 20,
    spanLabels: ["incorrect", "irrelevant", "unsafe", "good"],
    hintMode: "after_choice",
  },
  hintSource: "reward-model",
  hintCondition: "none",
};
const judgeSettingsExample = { enabled: true, baseUrl: "https://api.openai.com/v1", model: "gpt-4o-mini", apiKeyRef: { secret: "openai" }, temperature: 0 };
const json = "application/json";

export const operations: OperationSpec[] = [
  // ---------------------------------------------------------------- Service
  {
    method: "GET",
    path: "/api/health",
    tag: "Service",
    summary: "Readiness: the server and its database",
    description: '`503` with `retry-after: 2` while the database is unreachable, and `{"status": "draining"}` once the server got SIGTERM.',
    auth: "anonymous",
    who: "anyone",
    responses: {
      200: { description: "Ready.", contentType: json, example: { status: "ok", db: "ok" } },
      503: { description: "Not ready (database down, or draining).", contentType: json, example: { status: "degraded", db: "unavailable" } },
    },
    errors: [],
  },
  {
    method: "GET",
    path: "/api/health/live",
    tag: "Service",
    summary: "Liveness, without a database call",
    auth: "anonymous",
    who: "anyone",
    servedBy: "scripts/web-server.ts",
    responses: { 200: { description: "Alive (`draining` during shutdown).", contentType: json, example: { status: "ok" } } },
    errors: [],
  },
  {
    method: "GET",
    path: "/api/v1/openapi.json",
    tag: "Service",
    summary: "This OpenAPI 3.1 description",
    description: "Generated from the zod schemas the routes validate with. Rendered for people at `/docs/api`.",
    auth: "anonymous",
    who: "anyone",
    responses: {
      200: { description: "The OpenAPI document.", contentType: json, example: { openapi: "3.1.1", info: { title: "Arbiter API", version: "1" } } },
    },
    errors: [],
  },
  // ---------------------------------------------------------------- Accounts
  {
    method: "POST",
    path: "/api/v1/tokens",
    tag: "Accounts",
    summary: "Create an API token with e-mail and password",
    description:
      "How a script signs in. Every token expires: `expiresInDays` or `expiresInSeconds` (not both), else `ARBITER_TOKEN_TTL_DAYS` (default 90). " +
      "The secret is in this answer only. 10 requests a minute per IP. A disabled account → `403`.",
    auth: "anonymous",
    who: "anyone with an account's e-mail and password",
    body: {
      schema: TokenCreateInput,
      example: { email: "researcher@arbiter.local", password: "arbiter-research", name: "training script", expiresInDays: 30 },
    },
    responses: {
      201: {
        description: "The token; `token` is shown only here.",
        contentType: json,
        example: { token: "arb_Xk3p9QvR2mT8wY4zL6nB1cD5fG7hJ0kA9sE3uI2oP4q", id: ID.token, name: "training script", expiresAt: LATER },
      },
    },
    errors: [401, 403, 422, 429],
  },
  {
    method: "GET",
    path: "/api/v1/tokens",
    tag: "Accounts",
    summary: "List the caller's own tokens",
    description: "Newest first; never a secret or its hash. `current` marks the token this request came with.",
    auth: "required",
    who: "anyone signed in",
    responses: { 200: { description: "The caller's tokens.", contentType: json, example: [{ ...tokenView, current: true }] } },
    errors: [401],
  },
  {
    method: "DELETE",
    path: "/api/v1/tokens/{id}",
    tag: "Accounts",
    summary: "Revoke a token",
    description: "Your own tokens, or anyone's for admins; another user's token is `404`. Revoking twice changes nothing.",
    auth: "required",
    who: "the token's owner, admins",
    pathParams: { id: { description: "The token's id.", example: ID.token } },
    responses: { 200: { description: "The token as listed, now revoked.", contentType: json, example: { ...tokenView, status: "revoked", revokedAt: NOW } } },
    errors: [401, 404],
  },
  {
    method: "GET",
    path: "/api/v1/me",
    tag: "Accounts",
    summary: "Who the caller is",
    auth: "required",
    who: "anyone signed in",
    responses: { 200: { description: "The caller.", contentType: json, example: { id: ID.user, email: "researcher@arbiter.local", role: "researcher" } } },
    errors: [401],
  },
  {
    method: "POST",
    path: "/api/v1/me/password",
    tag: "Accounts",
    summary: "Change the caller's password",
    description:
      "Ends every other session of the account and revokes **every** API token (this request's too). A wrong current password → `403`; 10 tries a minute per user.",
    auth: "required",
    who: "anyone signed in",
    body: { schema: PasswordChangeInput, example: { currentPassword: "arbiter-research", newPassword: "a-longer-passphrase" } },
    responses: { 200: { description: "What the change ended.", contentType: json, example: { revokedTokens: 2, endedSessions: 1 } } },
    errors: [401, 403, 422, 429],
  },
  {
    method: "GET",
    path: "/api/v1/users",
    tag: "Accounts",
    summary: "List every user",
    auth: "required",
    who: "admins",
    responses: {
      200: {
        description: "Every user, with `disabled`.",
        contentType: json,
        example: [{ id: ID.user, email: "annotator1@arbiter.local", name: "Annotator 1", role: "annotator", disabled: false, createdAt: NOW }],
      },
    },
    errors: [401, 403],
  },
  {
    method: "POST",
    path: "/api/v1/users",
    tag: "Accounts",
    summary: "Create a user",
    description: "Without `password` the answer carries an `inviteUrl` where the user sets one; `campaignId` also adds them to that campaign.",
    auth: "required",
    who: "admins",
    body: { schema: UserCreateInput, example: { email: "ann@example.org", role: "annotator", name: "Ann", campaignId: ID.campaign } },
    responses: {
      201: {
        description: "The new user.",
        contentType: json,
        example: { id: ID.user, email: "ann@example.org", name: "Ann", role: "annotator", inviteUrl: "http://localhost:3000/invite/inv_9Zx…" },
      },
    },
    errors: [401, 403, 404, 409, 422, 429],
  },
  {
    method: "POST",
    path: "/api/v1/users/{id}/status",
    tag: "Accounts",
    summary: "Disable or re-enable an account",
    description:
      "Disabling is immediate: sessions end, tokens are revoked, open leases go back to the pool. An admin cannot disable themselves nor the last active admin (`409`).",
    auth: "required",
    who: "admins",
    pathParams: { id: { description: "The user's id.", example: ID.user } },
    body: { schema: UserStatusInput, example: { status: "disabled" } },
    responses: {
      200: {
        description: "The user and what was ended.",
        contentType: json,
        example: { id: ID.user, email: "ann@example.org", role: "annotator", disabled: true, revokedTokens: 1, endedSessions: 2, releasedLeases: 1 },
      },
    },
    errors: [401, 403, 404, 409, 422, 429],
  },
  {
    method: "POST",
    path: "/api/v1/users/{id}/password-reset",
    tag: "Accounts",
    summary: "Issue a one-time password reset link",
    description: "The secret is in this answer only; a newer link makes the user's unused older ones worthless. Default lifetime 1 day, at most 7.",
    auth: "required",
    who: "admins",
    pathParams: { id: { description: "The user's id.", example: ID.user } },
    body: { schema: PasswordResetCreateInput, required: false, example: { expiresInSeconds: 3600 } },
    responses: {
      201: {
        description: "The link.",
        contentType: json,
        example: { id: ID.token, userId: ID.user, email: "ann@example.org", url: "http://localhost:3000/reset-password/rst_…", expiresAt: NOW },
      },
    },
    errors: [401, 403, 404, 422, 429],
  },
  {
    method: "GET",
    path: "/api/v1/users/{id}/tokens",
    tag: "Accounts",
    summary: "List a user's tokens",
    auth: "required",
    who: "admins",
    pathParams: { id: { description: "The user's id.", example: ID.user } },
    responses: { 200: { description: "The user's tokens, as `GET /api/v1/tokens` lists them.", contentType: json, example: [tokenView] } },
    errors: [401, 403, 404],
  },
  {
    method: "POST",
    path: "/api/v1/password-resets/accept",
    tag: "Accounts",
    summary: "Set a password with a reset link's secret",
    description:
      "Anonymous: the link's secret is the credential. Ends all the user's sessions and revokes their tokens. A used, expired, replaced or made-up link → `404`. 20 tries a minute per IP.",
    auth: "anonymous",
    who: "anyone holding the link",
    body: { schema: PasswordResetAcceptInput, example: { token: "rst_4fT9kLm2Qx8Zr1Vb", password: "a-new-passphrase" } },
    responses: { 200: { description: "Whose password was set.", contentType: json, example: { email: "ann@example.org" } } },
    errors: [404, 422, 429],
  },
  {
    method: "POST",
    path: "/api/v1/invites",
    tag: "Accounts",
    summary: "Create a single-use invite link",
    auth: "required",
    who: "admins",
    body: { schema: InviteCreateInput, example: { email: "new.annotator@example.org", role: "annotator", campaignId: ID.campaign, expiresInDays: 7 } },
    responses: {
      201: {
        description: "The invite.",
        contentType: json,
        example: { id: ID.token, url: "http://localhost:3000/invite/inv_9Zx…", role: "annotator", email: "new.annotator@example.org", expiresAt: LATER },
      },
    },
    errors: [401, 403, 404, 422, 429],
  },
  {
    method: "POST",
    path: "/api/v1/invites/accept",
    tag: "Accounts",
    summary: "Accept an invite: create the account",
    description: "Anonymous: the invite's secret is the credential. 20 tries a minute per IP.",
    auth: "anonymous",
    who: "anyone holding the link",
    body: {
      schema: InviteAcceptInput,
      example: { token: "inv_9ZxQ2mT8wY4zL6nB", password: "my-own-passphrase", name: "Ann", email: "new.annotator@example.org" },
    },
    responses: {
      201: { description: "The new account.", contentType: json, example: { userId: ID.user, email: "new.annotator@example.org", campaignId: ID.campaign } },
    },
    errors: [404, 409, 422, 429],
  },
  // ---------------------------------------------------------------- Campaigns
  {
    method: "GET",
    path: "/api/v1/campaigns",
    tag: "Campaigns",
    summary: "List the campaigns the caller may see",
    description: "Admins and researchers see every campaign; annotators those they belong to. Each with progress counts.",
    auth: "required",
    who: "anyone signed in",
    responses: { 200: { description: "The campaigns.", contentType: json, example: [campaignView] } },
    errors: [401],
  },
  {
    method: "POST",
    path: "/api/v1/campaigns",
    tag: "Campaigns",
    summary: "Create a campaign",
    description: "`config` is validated whole with `CampaignConfigInput` (defaults filled in). New campaigns are drafts unless `status: active`.",
    auth: "required",
    who: "admins",
    body: {
      schema: CampaignCreateInput,
      properties: { config: { schema: CampaignConfigInput, description: "The campaign's settings; every key has a default." } },
      example: { name: "Helpfulness study", description: "Which answer helps more?", taskType: "pairwise", config: campaignConfigExample },
    },
    responses: { 201: { description: "The campaign.", contentType: json, example: campaignView } },
    errors: [401, 403, 409, 422, 429],
  },
  {
    method: "GET",
    path: "/api/v1/campaigns/{id}",
    tag: "Campaigns",
    summary: "One campaign, with progress counts",
    description: "Judge base URLs are redacted; annotators see no judge or routing settings.",
    auth: "required",
    who: "admins, researchers, the campaign's annotators",
    pathParams: campaignParam,
    responses: { 200: { description: "The campaign.", contentType: json, example: campaignView } },
    errors: reads,
  },
  {
    method: "PATCH",
    path: "/api/v1/campaigns/{id}",
    tag: "Campaigns",
    summary: "Change a campaign",
    description:
      "`config` is merged key by key over the current config (`null` removes an optional key), then validated whole. A change that would make collected " +
      "judgments inconsistent answers `409` with one `details` entry per change, unless `confirm` is true. A closed campaign keeps its config.",
    auth: "required",
    who: "admins",
    pathParams: campaignParam,
    body: {
      schema: CampaignUpdateInput,
      properties: { config: { schema: CampaignConfigInput, description: "Keys of the campaign config to change (merged over the current one)." } },
      example: { description: "Now with a strength scale.", config: { strengthScale: true }, confirm: true },
    },
    responses: {
      200: {
        description: "The campaign as changed.",
        contentType: json,
        example: { ...campaignView, config: { ...campaignView.config, strengthScale: true } },
      },
    },
    errors: [...signedIn, 409],
  },
  {
    method: "POST",
    path: "/api/v1/campaigns/{id}/status",
    tag: "Campaigns",
    summary: "Start, pause or close a campaign",
    description:
      "draft → active ⇄ paused → closed; anything else `409`. Starting needs regular (non-gold) items and members (`409` says which is missing). Pausing or closing releases open leases.",
    auth: "required",
    who: "admins",
    pathParams: campaignParam,
    body: { schema: CampaignStatusInput, example: { status: "active" } },
    responses: { 200: { description: "The campaign.", contentType: json, example: { ...campaignView, status: "active" } } },
    errors: [...signedIn, 409],
  },
  {
    method: "POST",
    path: "/api/v1/campaigns/{id}/duplicate",
    tag: "Campaigns",
    summary: "Duplicate a campaign as a new draft",
    description: "Same task type, description, config, items and responses; no judgments, members or routing decisions.",
    auth: "required",
    who: "admins",
    pathParams: campaignParam,
    body: { schema: CampaignDuplicateInput, required: false, example: { name: "Helpfulness study (round 2)" } },
    responses: { 201: { description: "The new draft.", contentType: json, example: { ...campaignView, name: "Helpfulness study (round 2)" } } },
    errors: signedIn,
  },
  {
    method: "GET",
    path: "/api/v1/campaigns/{id}/members",
    tag: "Campaigns",
    summary: "List a campaign's members",
    auth: "required",
    who: "admins",
    pathParams: campaignParam,
    responses: {
      200: {
        description: "The members.",
        contentType: json,
        example: [
          {
            userId: ID.user,
            email: "annotator1@arbiter.local",
            name: "Annotator 1",
            role: "annotator",
            status: "active",
            pauseReason: null,
            judgments: 12,
            addedAt: NOW,
          },
        ],
      },
    },
    errors: reads,
  },
  {
    method: "POST",
    path: "/api/v1/campaigns/{id}/members",
    tag: "Campaigns",
    summary: "Add a member",
    auth: "required",
    who: "admins",
    pathParams: campaignParam,
    body: { schema: CampaignMemberInput, example: { email: "annotator1@arbiter.local" } },
    responses: {
      201: {
        description: "The membership.",
        contentType: json,
        example: { campaignId: ID.campaign, userId: ID.user, email: "annotator1@arbiter.local", status: "active" },
      },
    },
    errors: [...signedIn, 409],
  },
  {
    method: "POST",
    path: "/api/v1/campaigns/{id}/members/{userId}/status",
    tag: "Campaigns",
    summary: "Pause or resume a member",
    description: "Pausing releases the member's open leases; a paused member gets `403` on tasks and judgments.",
    auth: "required",
    who: "admins",
    pathParams: { ...campaignParam, userId: { description: "The member's user id.", example: ID.user } },
    body: { schema: MemberStatusInput, example: { status: "paused", reason: "Gold accuracy below 60 %" } },
    responses: {
      200: {
        description: "The membership.",
        contentType: json,
        example: { campaignId: ID.campaign, userId: ID.user, email: "annotator1@arbiter.local", status: "paused", pauseReason: "Gold accuracy below 60 %" },
      },
    },
    errors: signedIn,
  },
  // ---------------------------------------------------------------- Items
  {
    method: "POST",
    path: "/api/v1/campaigns/{id}/items",
    tag: "Items",
    summary: "Import items",
    description:
      "Streamed, all or nothing: any bad line → `422` with every bad line in `details` (`{line, message}`, numbered from 1) and nothing imported. " +
      "An id already in the campaign fails the import with `409` (`onDuplicate=error`) or is skipped (`skip`). Bodies up to 1 GiB (gzip too, after inflating).",
    auth: "required",
    who: "admins",
    pathParams: campaignParam,
    query: { schema: ImportQuery, example: { format: "native", onDuplicate: "error", labelsAsGold: "false" } },
    body: {
      contentTypes: ["application/x-ndjson", "application/json", "text/csv", "application/gzip"],
      description: "The items file: JSONL, a JSON array, CSV, or gzip of those.",
      example:
        '{"id": "ext-1", "prompt": "What is 2+2?", "responses": [{"content": "4", "model": "model-a"}, {"content": "22", "model": "model-b"}]}\n' +
        '{"id": "ext-2", "messages": [{"role": "user", "content": "Hi"}], "responses": [{"content": "Hello!"}, {"content": "Go away."}]}\n',
    },
    responses: {
      200: {
        description: "What was imported.",
        contentType: json,
        example: { imported: 2, format: "native", gold: 0, regular: 2, labelled: 0, labelsAsGold: false },
      },
    },
    errors: [...signedIn, 409, 413],
  },
  // ---------------------------------------------------------------- Annotation
  {
    method: "GET",
    path: "/api/v1/campaigns/{id}/tasks/next",
    tag: "Annotation",
    summary: "Lease the caller's next task",
    description:
      "Candidates in a per-assignment shuffled order, model names hidden. Calling again while a lease is open returns the same assignment. `204` when nothing is left.",
    auth: "required",
    who: "the campaign's active annotators, admins",
    pathParams: campaignParam,
    parameters: [
      {
        name: "exclude",
        in: "query",
        description: "An assignment id to skip over (the task on screen): asks for the one after it. Repeatable; ids that are not UUIDs are ignored.",
        schema: { type: "array", items: { type: "string", format: "uuid" }, maxItems: 5 },
        example: ID.assignment,
      },
    ],
    responses: { 200: { description: "The task.", contentType: json, example: task }, 204: { description: "Nothing left for this annotator." } },
    errors: [...reads, 409],
  },
  {
    method: "GET",
    path: "/api/v1/assignments/{id}",
    tag: "Annotation",
    summary: "One of the caller's own assignments, as a task",
    auth: "required",
    who: "the assignment's annotator",
    pathParams: { id: { description: "The assignment's id.", example: ID.assignment } },
    responses: { 200: { description: "The task with its `status`.", contentType: json, example: { ...task, status: "open" } } },
    errors: reads,
  },
  {
    method: "POST",
    path: "/api/v1/assignments/{id}/judgment",
    tag: "Annotation",
    summary: "Submit a judgment",
    description:
      "Pairwise: `winner` (a candidate id, `tie` or `both_bad`), `strength` 1–3 when the campaign has a strength scale. K-wise: `ranking`, best first, inner lists are ties. " +
      "Rationale tasks add `rationale`, `attributes`, `spans`. The same Idempotency-Key again → the same `201`, no new row (header `idempotent-replayed: true`). " +
      "A live battle's vote adds `revealed`.",
    auth: "required",
    who: "the assignment's annotator",
    pathParams: { id: { description: "The assignment's id.", example: ID.assignment } },
    parameters: [
      {
        name: "Idempotency-Key",
        in: "header",
        required: false,
        description: "A fresh UUID per judgment; retries send the same one.",
        schema: IdempotencyKey,
        example: "3f2a1b0c-9d8e-4f7a-b6c5-d4e3f2a1b0c9",
      },
    ],
    body: { schema: JudgmentInput, example: { winner: ID.candidateA, rationale: "Correct and to the point.", timeMs: 5400 } },
    responses: {
      201: { description: "Stored (or replayed).", contentType: json, example: { id: ID.judgment }, headers: { "idempotent-replayed": "`true` on a replay." } },
    },
    errors: [...signedIn, 409],
  },
  {
    method: "POST",
    path: "/api/v1/assignments/{id}/skip",
    tag: "Annotation",
    summary: "Skip a task",
    description: "Follows the judgment's rules: an active campaign and membership. Skipping again answers `200`; an already judged task `409`.",
    auth: "required",
    who: "the assignment's annotator",
    pathParams: { id: { description: "The assignment's id.", example: ID.assignment } },
    body: { schema: SkipInput, required: false, example: { reason: "I cannot read this language." } },
    responses: { 200: { description: "Skipped.", contentType: json, example: { ok: true, assignmentId: ID.assignment } } },
    errors: [...signedIn, 409],
  },
  {
    method: "DELETE",
    path: "/api/v1/judgments/{id}",
    tag: "Annotation",
    summary: "Undo the caller's own judgment (within 2 minutes)",
    description: "The task is leased to them again; the judgment's Idempotency-Key stays spent. After the window → `409`.",
    auth: "required",
    who: "the judgment's annotator",
    pathParams: { id: { description: "The judgment's id.", example: ID.judgment } },
    responses: {
      200: { description: "Undone; the assignment is leased to the caller again.", contentType: json, example: { ok: true, assignmentId: ID.assignment } },
    },
    errors: [...reads, 409],
  },
  // ---------------------------------------------------------------- Results
  {
    method: "GET",
    path: "/api/v1/campaigns/{id}/judgments",
    tag: "Results",
    summary: "Browse judgments",
    description:
      "Newest first, paged by `cursor`. Annotators appear as the campaign's pseudonym (`ann-…`); only admins also get `annotatorUserId` and `annotatorEmail`.",
    auth: "required",
    who: "admins, researchers",
    pathParams: campaignParam,
    query: { schema: JudgmentListQuery, example: { source: "human", since: "2025-06-01T00:00:00Z", limit: "50" } },
    responses: {
      200: {
        description: "A page of judgments.",
        contentType: json,
        example: {
          judgments: [
            {
              id: ID.judgment,
              itemId: "ext-1",
              source: "human",
              annotatorId: "ann-3f9c2a1b7d4e",
              verdict: { winner: ID.candidateA },
              rationale: null,
              hint: null,
              hintCondition: "none",
              hintSource: "reward-model",
              createdAt: NOW,
            },
          ],
          nextCursor: null,
        },
      },
    },
    errors: [...reads, 422],
  },
  {
    method: "GET",
    path: "/api/v1/campaigns/{id}/items/{itemId}",
    tag: "Results",
    summary: "One item with every judgment of it (the researcher's drill-down)",
    description:
      "The prompt, the responses in import order, and each judgment with the order that annotator (or judge call) saw — lettered A, B, … — the verdict in those letters, rationale, attributes, tagged spans with their text, whether a hint was shown, and skips. Annotators appear as the campaign's pseudonym; admins also get `annotatorUserId` and `annotatorEmail`. At most 500 judgments and 500 skips (`truncated`).",
    auth: "required",
    who: "admins, researchers",
    pathParams: { ...campaignParam, itemId: { description: "The item's id as imported (URL-encoded).", example: "ext-1" } },
    responses: {
      200: {
        description: "The item and its judgments.",
        contentType: json,
        example: {
          campaignId: ID.campaign,
          item: {
            id: "ext-1",
            prompt: "Why is the sky blue?",
            messages: null,
            media: null,
            metadata: null,
            isGold: false,
            gold: null,
            humanTarget: 3,
            humanCount: 1,
            routing: "human",
            createdAt: NOW,
          },
          responses: [
            { id: "a", model: "m1", content: "Rayleigh scattering.", metadata: null },
            { id: "b", model: "m2", content: "Because it is.", metadata: null },
          ],
          judgments: [
            {
              id: ID.judgment,
              source: "human",
              annotatorId: "ann-3f9c2a1b7d4e",
              judgeModel: null,
              promptVersion: null,
              seenOrder: [
                { letter: "A", responseId: "b" },
                { letter: "B", responseId: "a" },
              ],
              verdictAsSeen: "B wins",
              verdict: "a",
              winner: "a",
              ranking: null,
              strength: null,
              confidence: null,
              rationale: null,
              attributes: null,
              spans: [],
              timeMs: 8400,
              isGold: false,
              goldCorrect: null,
              hint: null,
              hintCondition: "none",
              judgeMeta: null,
              createdAt: NOW,
            },
          ],
          skips: [],
          truncated: false,
        },
      },
    },
    errors: reads,
  },
  {
    method: "GET",
    path: "/api/v1/campaigns/{id}/my-progress",
    tag: "Annotation",
    summary: "The caller's own progress in a campaign they annotate",
    description:
      "`judged` by the caller in this campaign, their `share` (the human judgments the campaign wants, split evenly over its active members, at most one per item, plus the gold checks the gold rate adds), what is `left` (never more than the items still open to them) and `secondsLeft` from their median seconds per judgment (null before their first judgment).",
    auth: "required",
    who: "members of the campaign",
    pathParams: campaignParam,
    responses: {
      200: { description: "The caller's progress.", contentType: json, example: { judged: 23, share: 150, left: 127, medianSeconds: 19, secondsLeft: 2413 } },
    },
    errors: reads,
  },
  {
    method: "GET",
    path: "/api/v1/campaigns/{id}/stats",
    tag: "Results",
    summary: "Progress, agreement, gold accuracy, per-annotator figures",
    description: "Krippendorff's α over shared categories (first, second, …, tie, both_bad), Cohen's and Fleiss' κ, Dawid–Skene, position bias, speed flags.",
    auth: "required",
    who: "admins, researchers",
    pathParams: campaignParam,
    responses: {
      200: {
        description: "The statistics.",
        contentType: json,
        example: {
          campaignId: ID.campaign,
          taskType: "pairwise",
          comparison: "pairwise",
          generatedAt: NOW,
          progress: {
            items: 120,
            goldItems: 10,
            itemsComplete: 40,
            judgments: { human: 130, judge: 0, reward_model: 0 },
            skipped: 2,
            openLeases: 1,
            members: 3,
            activeAnnotators: 3,
          },
          agreement: { krippendorffAlpha: 0.61, krippendorffAlphaCi: [0.52, 0.69], pairableUnits: 40, fleissKappa: 0.6 },
          gold: { judgments: 12, correct: 11, accuracy: 0.917 },
          annotators: [{ annotatorId: "ann-3f9c2a1b7d4e", status: "active", judgments: 44, goldAccuracy: 1, flags: [] }],
          rules: { goldAccuracyMin: 0.7 },
        },
      },
    },
    errors: reads,
  },
  {
    method: "GET",
    path: "/api/v1/campaigns/{id}/stats/series",
    tag: "Results",
    summary: "Judgments and completed items over time",
    description: "Per bucket with running totals, and each annotator's judgments per bucket. `format=csv` needs `series`; over 5,000 buckets → `422`.",
    auth: "required",
    who: "admins, researchers",
    pathParams: campaignParam,
    query: { schema: SeriesQuery, example: { bucket: "day", series: "progress", format: "json" } },
    responses: {
      200: {
        description: "The series (JSON, or CSV with `format=csv`).",
        contentType: json,
        example: {
          bucket: "day",
          progress: [{ t: NOW, human: 40, judge: 0, humanTotal: 40, judgeTotal: 0, itemsCompleted: 12, itemsCompletedTotal: 12 }],
        },
      },
    },
    errors: [...reads, 422],
  },
  {
    method: "GET",
    path: "/api/v1/campaigns/{id}/leaderboard",
    tag: "Results",
    summary: "Model leaderboard",
    description:
      "Bradley–Terry MLE on the Elo scale by default, 95 % bootstrap intervals; `elo` and `arena` too. `200 []` when no response names a model. " +
      "How it was fitted is in the `x-arbiter-*` headers.",
    auth: "required",
    who: "admins, researchers",
    pathParams: campaignParam,
    query: { schema: LeaderboardQuery, example: { method: "bt", ci: "fastchat", source: "human", rounds: "200" } },
    responses: {
      200: {
        description: "Best first.",
        contentType: json,
        example: [
          { model: "model-a", rating: 1062.4, ciLow: 1031.2, ciHigh: 1090.8, rank: 1, comparisons: 84 },
          { model: "model-b", rating: 937.6, ciLow: 909.1, ciHigh: 968.9, rank: 2, comparisons: 84 },
        ],
        headers: {
          "x-arbiter-method": "bt, elo or arena",
          "x-arbiter-comparisons": "Battles counted.",
          "x-arbiter-style-control": "Whether style covariates were fitted.",
          "x-arbiter-l2": "The L2 penalty when the plain MLE did not exist.",
          "x-arbiter-ci": "fastchat or aligned.",
        },
      },
    },
    errors: [...reads, 422],
  },
  {
    method: "GET",
    path: "/api/v1/campaigns/{id}/export",
    tag: "Results",
    summary: "Export a dataset (JSONL, typed Parquet, or a Hugging Face dataset ZIP)",
    description:
      "Streamed from the database. `trl`: prompt / chosen / rejected (+ `margin`); `rankings`; `rationales`; `raw`: one row per judgment. Every column has one type in every row. " +
      "`file=zip` is a Hugging Face dataset repository (`README.md` + `data/train-00000-of-00001.*`). No rows → `404` with a message.",
    auth: "required",
    who: "admins, researchers",
    pathParams: campaignParam,
    query: { schema: DatasetExportQuery, example: { format: "trl", source: "human", file: "parquet", promptStyle: "auto" } },
    responses: {
      200: {
        description: "The file, as an attachment (`<campaign>-<format>-<source>.<ext>`).",
        contentType: "application/x-ndjson",
        example: '{"prompt":"What is 2+2?","chosen":"4","rejected":"22"}\n',
        headers: { "content-disposition": 'attachment; filename="helpfulness-study-trl-human.jsonl"' },
      },
    },
    errors: [...reads, 422],
  },
  {
    method: "GET",
    path: "/api/v1/campaigns/{id}/export/card",
    tag: "Results",
    summary: "The dataset card (README.md) of an export",
    description: "The same query as the export; `inline=1` shows it in the browser instead of downloading it.",
    auth: "required",
    who: "admins, researchers",
    pathParams: campaignParam,
    query: { schema: DatasetExportQuery, example: { format: "raw", source: "all" } },
    parameters: [
      { name: "inline", in: "query", description: "`1` or `true`: no attachment header.", schema: { type: "string", enum: ["1", "true"] }, example: "1" },
    ],
    responses: {
      200: {
        description: "Markdown with Hugging Face front matter.",
        contentType: "text/markdown",
        example:
          "---\nlicense: cc-by-4.0\nconfigs:\n- config_name: default\n  data_files:\n  - split: train\n    path: data/train-00000-of-00001.jsonl\n---\n# Helpfulness study\n",
      },
    },
    errors: [...reads, 422],
  },
  // ---------------------------------------------------------------- Judge and routing
  {
    method: "GET",
    path: "/api/v1/campaigns/{id}/judge",
    tag: "Judge and routing",
    summary: "The campaign's LLM judge settings",
    description: "The key appears only as its reference; credentials in the base URL are redacted.",
    auth: "required",
    who: "admins, researchers",
    pathParams: campaignParam,
    responses: {
      200: {
        description: "Settings, key reference and defaults.",
        contentType: json,
        example: {
          enabled: true,
          settings: { ...judgeSettingsExample, promptVersion: "pv-3c1d4e5f" },
          key: { ref: { secret: "openai" }, description: "campaign secret openai" },
          defaults: { promptTemplates: {}, variables: [] },
        },
      },
    },
    errors: reads,
  },
  {
    method: "PUT",
    path: "/api/v1/campaigns/{id}/judge",
    tag: "Judge and routing",
    summary: "Set the LLM judge",
    description:
      "Unknown fields (an `apiKey`) → `422`; a base URL the server may not reach → `422`; a secret bound to another origin → `409`. A routing pass is queued.",
    auth: "required",
    who: "admins",
    pathParams: campaignParam,
    body: { schema: JudgeConfig, example: judgeSettingsExample },
    responses: { 200: { description: "The settings view, as GET answers it.", contentType: json, example: { enabled: true, settings: judgeSettingsExample } } },
    errors: [...signedIn, 409],
  },
  {
    method: "POST",
    path: "/api/v1/campaigns/{id}/judge/test",
    tag: "Judge and routing",
    summary: "Try the judge on up to five items (nothing stored)",
    auth: "required",
    who: "admins",
    pathParams: campaignParam,
    body: { schema: JudgeTestInput, required: false, example: { itemIds: ["ext-1", "ext-2"] } },
    responses: {
      200: {
        description: "Each item's verdict or error, and totals.",
        contentType: json,
        example: {
          model: "gpt-4o-mini",
          promptVersion: "pv-3c1d4e5f",
          baseUrl: "https://api.openai.com/v1",
          items: [{ itemId: "ext-1", ok: true, verdict: "first", confidence: 0.9, orderConsistent: true, latencyMs: 812 }],
          totals: { items: 1, succeeded: 1, wallMs: 830, usage: { promptTokens: 420, completionTokens: 30 }, cost: 0.0001, currency: "USD" },
        },
      },
    },
    errors: [...signedIn, 409],
  },
  {
    method: "POST",
    path: "/api/v1/campaigns/{id}/judge/retry",
    tag: "Judge and routing",
    summary: "Requeue failed judge jobs",
    auth: "required",
    who: "admins",
    pathParams: campaignParam,
    responses: { 200: { description: "How many went back to the queue.", contentType: json, example: { requeued: 3 } } },
    errors: [...reads, 429],
  },
  {
    method: "GET",
    path: "/api/v1/campaigns/{id}/secrets",
    tag: "Judge and routing",
    summary: "List the campaign's secrets (names only)",
    auth: "required",
    who: "admins, researchers",
    pathParams: campaignParam,
    responses: {
      200: {
        description: "Never the values.",
        contentType: json,
        example: [{ name: "openai", campaignId: ID.campaign, origin: "https://api.openai.com", createdAt: NOW }],
      },
    },
    errors: reads,
  },
  {
    method: "PUT",
    path: "/api/v1/campaigns/{id}/secrets/{name}",
    tag: "Judge and routing",
    summary: "Store a secret (an API key), bound to one origin",
    description: "Encrypted at rest; the value is never returned, listed or logged. `201` when new, `200` when replaced. Bodies up to 64 KB.",
    auth: "required",
    who: "admins",
    pathParams: { ...campaignParam, name: { description: "Letters, digits, `_ . -`, up to 100.", schema: SecretName, example: "openai" } },
    body: { schema: SecretValueInput, example: { value: "sk-example-not-a-real-key", origin: "https://api.openai.com" } },
    responses: {
      200: {
        description: "Replaced.",
        contentType: json,
        example: { name: "openai", campaignId: ID.campaign, origin: "https://api.openai.com", createdAt: NOW },
      },
      201: {
        description: "Stored.",
        contentType: json,
        example: { name: "openai", campaignId: ID.campaign, origin: "https://api.openai.com", createdAt: NOW },
      },
    },
    errors: [...signedIn, 413],
  },
  {
    method: "DELETE",
    path: "/api/v1/campaigns/{id}/secrets/{name}",
    tag: "Judge and routing",
    summary: "Delete a secret",
    auth: "required",
    who: "admins",
    pathParams: { ...campaignParam, name: { description: "The secret's name.", schema: SecretName, example: "openai" } },
    responses: { 204: { description: "Deleted." } },
    errors: signedIn,
  },
  {
    method: "GET",
    path: "/api/v1/campaigns/{id}/routing",
    tag: "Judge and routing",
    summary: "The routing dashboard",
    description: "Settings, items by route, budget, judge jobs and usage, the router model, agreement and why items went to humans.",
    auth: "required",
    who: "admins, researchers",
    pathParams: campaignParam,
    responses: {
      200: {
        description: "The dashboard.",
        contentType: json,
        example: {
          routing: { mode: "hybrid", humanBudget: 0.3, calibrationFraction: 0.1, seed: 1 },
          items: { total: 120, byRoute: { pending: { items: 0, humanLabelled: 0, judgeLabelled: 0 } } },
          budget: { maxHuman: 36, used: 12, calibrationTarget: 12, calibration: 12 },
          judgeJobs: { queued: 0, running: 0, done: 84, failed: 0, recentErrors: [] },
        },
      },
    },
    errors: reads,
  },
  {
    method: "PUT",
    path: "/api/v1/campaigns/{id}/routing",
    tag: "Judge and routing",
    summary: "Set the routing mode and human budget",
    description: "`humanBudget`: a share of the non-gold items in [0, 1], or a whole number of items above 1. A routing pass is queued.",
    auth: "required",
    who: "admins",
    pathParams: campaignParam,
    body: { schema: RoutingConfig, example: { mode: "hybrid", humanBudget: 0.3, calibrationFraction: 0.1, seed: 1 } },
    responses: {
      200: { description: "The stored settings.", contentType: json, example: { mode: "hybrid", humanBudget: 0.3, calibrationFraction: 0.1, seed: 1 } },
    },
    errors: signedIn,
  },
  {
    method: "POST",
    path: "/api/v1/campaigns/{id}/routing/run",
    tag: "Judge and routing",
    summary: "Queue a routing pass now",
    auth: "required",
    who: "admins (active campaigns)",
    pathParams: campaignParam,
    responses: { 202: { description: "Queued (false: one was already waiting).", contentType: json, example: { queued: true } } },
    errors: [...reads, 409, 429],
  },
  // ---------------------------------------------------------------- Reward model
  {
    method: "GET",
    path: "/api/v1/campaigns/{id}/reward-model",
    tag: "Reward model",
    summary: "The reward model: versions, gate, training",
    auth: "required",
    who: "admins, researchers, the campaign's annotators",
    pathParams: campaignParam,
    responses: {
      200: {
        description:
          "What the hints use and why. `gate` says whether tasks carry a hint: the reward model's (held-out validation: ≥ 30 held-out pairs; the 95 % interval's lower end above 50 % and both length rules) or, with `hintSource: \"judge\"`, the LLM judge's (its agreement with annotators on calibration items both labelled; `source` says which). `gate.ask`: when the page may ask \"Keep your choice?\" — at a calibrated confidence ≥ `threshold` (never below 0.8), where the held-out pairs show the model right `precision` of `heldOutPairs` times with the Wilson interval's lower end ≥ 0.85; null (never asks) with `askReasons`.",
        contentType: json,
        example: {
          campaignId: ID.campaign,
          hintMode: "after_choice",
          hintGate: "auto",
          hintControlShare: 0.2,
          hintSource: "reward-model",
          gate: {
            source: "reward-model",
            open: true,
            enforced: true,
            reasons: [],
            version: 3,
            servedVersion: 3,
            heldOutPairs: 120,
            accuracy: 0.74,
            accuracyCi: [0.66, 0.81],
            baselines: { longer: 0.55, shorter: 0.45 },
            temperature: 1.8,
            calibration: { calibrationPairs: 60, measurePairs: 60, eceBefore: 0.12, eceAfter: 0.05 },
            minHeldOutPairs: 30,
            ask: { threshold: 0.91, heldOutPairs: 48, precision: 0.96, precisionCi: [0.86, 0.99] },
            askReasons: [],
            askTarget: 0.85,
            askMinConfidence: 0.8,
          },
          source: "trained",
          current: null,
          latest: null,
          versions: [],
          training: { votes: 4, minVotes: 20, nextVersionAtVotes: 20 },
        },
      },
    },
    errors: reads,
  },
  {
    method: "GET",
    path: "/api/v1/campaigns/{id}/reward-model/influence",
    tag: "Reward model",
    summary: "What hints do to labels: hint arm vs no-hint arm",
    auth: "required",
    who: "admins, researchers",
    pathParams: campaignParam,
    responses: {
      200: {
        description: "Each arm's rates with Wilson 95 % intervals.",
        contentType: json,
        example: {
          campaignId: ID.campaign,
          hint: { judgments: 80, agreesWithModel: { rate: 0.71, ci: [0.6, 0.8], n: 80 }, sources: { "reward-model": 80, judge: 0, unrecorded: 0 } },
          control: { judgments: 20, agreesWithModel: { rate: null, ci: null, n: 0 }, sources: { "reward-model": 20, judge: 0, unrecorded: 0 } },
          other: { judgments: 0 },
          note: "Control tasks are never scored by the page.",
        },
      },
    },
    errors: reads,
  },
  {
    method: "GET",
    path: "/api/v1/campaigns/{id}/reward-model/weights",
    tag: "Reward model",
    summary: "The ARM1 weights file",
    description: "With `version` the bytes never change (cached a year); without it the latest. Strong ETag; `If-None-Match` → `304`.",
    auth: "required",
    who: "admins, researchers, the campaign's annotators",
    pathParams: campaignParam,
    parameters: [{ name: "version", in: "query", description: "An immutable version number.", schema: RewardWeightsVersionParam, example: "3" }],
    responses: {
      200: {
        description: "The weights.",
        contentType: "application/octet-stream",
        binary: true,
        headers: { etag: 'Strong: `"rm-<version row id>"`.', "x-arbiter-reward-model-version": "The version served." },
      },
      304: { description: "Not modified." },
    },
    errors: [...reads, 422],
  },
  {
    method: "GET",
    path: "/api/v1/campaigns/{id}/reward-model/files/{name}",
    tag: "Reward model",
    summary: "A file of the campaign's pretrained ONNX reward model",
    auth: "required",
    who: "admins, researchers, the campaign's annotators",
    pathParams: {
      ...campaignParam,
      name: {
        description: "One of the folder's files.",
        schema: { type: "string", enum: ["model.onnx", "tokenizer.json", "config.json", "tokenizer_config.json"] },
        example: "tokenizer.json",
      },
    },
    responses: {
      200: { description: "The file, streamed (`application/json` for the JSON files).", contentType: "application/octet-stream", binary: true },
      304: { description: "Not modified." },
    },
    errors: reads,
  },
  {
    method: "POST",
    path: "/api/v1/campaigns/{id}/reward-model/train",
    tag: "Reward model",
    summary: "Train a new version now",
    description: "On the newest 20,000 human judgments. `409` with fewer than 2 preference pairs, or for a pretrained model.",
    auth: "required",
    who: "admins",
    pathParams: campaignParam,
    responses: {
      201: {
        description: "The new version.",
        contentType: json,
        example: { version: 4, format: "ARM1", trainedOnVotes: 120, heldOutAccuracy: 0.68, pairs: 120, heldOutPairs: 30, createdAt: NOW },
      },
    },
    errors: [...reads, 409, 429],
  },
  // ---------------------------------------------------------------- Live battles
  {
    method: "POST",
    path: "/api/v1/campaigns/{id}/battles",
    tag: "Live battles",
    summary: "Start a battle",
    description:
      "`{prompt}`, `{messages}` (continuing a conversation) or `{}` (a prompt from the campaign's pool). `429` past `battlesPerMinute`. Model names stay hidden until the vote.",
    auth: "required",
    who: "the campaign's active annotators, admins",
    pathParams: campaignParam,
    body: { schema: StartBattleInput, required: false, example: { prompt: "Write a haiku about autumn." } },
    responses: {
      201: {
        description: "The battle; follow it on its stream.",
        contentType: json,
        example: { battleId: ID.battle, assignmentId: ID.assignment, candidates: [{ id: ID.candidateA }, { id: ID.candidateB }] },
      },
    },
    errors: [...signedIn, 409],
  },
  {
    method: "GET",
    path: "/api/v1/battles/{id}",
    tag: "Live battles",
    summary: "A battle's state (for clients that poll)",
    auth: "required",
    who: "the battle's annotator",
    pathParams: { id: { description: "The battle's id.", example: ID.battle } },
    responses: {
      200: {
        description: "The battle.",
        contentType: json,
        example: {
          battleId: ID.battle,
          assignmentId: ID.assignment,
          status: "ready",
          candidates: [
            { id: ID.candidateA, content: "Leaves drift…", done: true },
            { id: ID.candidateB, content: "Crisp air…", done: true },
          ],
        },
      },
    },
    errors: reads,
  },
  {
    method: "GET",
    path: "/api/v1/battles/{id}/stream",
    tag: "Live battles",
    summary: "A battle's answers as Server-Sent Events",
    description:
      "`delta` `{candidateId, text}`, `done` `{candidateId, finishReason}`, `error` `{candidateId, code, message}` (void), `ready`. A comment every 15 s.",
    auth: "required",
    who: "the battle's annotator",
    pathParams: { id: { description: "The battle's id.", example: ID.battle } },
    responses: {
      200: {
        description: "The events from the start, then live.",
        contentType: "text/event-stream",
        example: `event: delta\ndata: {"candidateId":"${ID.candidateA}","text":"Leaves"}\n\nevent: ready\ndata: {}\n\n`,
      },
    },
    errors: reads,
  },
  {
    method: "POST",
    path: "/api/v1/campaigns/{id}/live/test",
    tag: "Live battles",
    summary: "Try one contestant (nothing stored)",
    auth: "required",
    who: "admins",
    pathParams: campaignParam,
    body: {
      schema: TryContestantInput,
      example: {
        contestant: { name: "small", baseUrl: "https://api.example.com/v1", model: "small-chat", apiKeyRef: { secret: "example" } },
        prompt: "Say hello.",
      },
    },
    responses: {
      200: {
        description: "The answer, or `{ok: false, code, message}` when the contestant failed (not an error status).",
        contentType: json,
        example: { ok: true, content: "Hello!", finishReason: "stop", latencyMs: 640, firstTokenMs: 210, promptTokens: 12, completionTokens: 3 },
      },
    },
    errors: [...signedIn, 409],
  },
];

/** Routes on disk the document leaves out on purpose, and why. */
export const EXCLUDED_ROUTES: Record<string, string> = {
  "/api/auth/*": "better-auth's own endpoints for the browser's sign-in and session; scripts use bearer tokens (POST /api/v1/tokens)",
};
