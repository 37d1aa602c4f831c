import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { appDatabase, type AppDatabase } from "../../../scripts/lib/databases.ts";
import { expectStatus, http, type HttpResult } from "../../../scripts/lib/http-client.ts";
import { buildExists, launchApp, type RunningApp } from "../../../scripts/lib/launch-app.ts";
import { buildWorld, clientAddress, type Task, type World } from "./world.ts";

/**
 * Issue 13, findings 9–11, as attacks over HTTP on the production build (rate limits on):
 * researchers must see annotators only as the campaign's pseudonym, an undone judgment's
 * Idempotency-Key must stay spent, and skip (like judgment and undo) must refuse closed
 * campaigns and paused members. Needs `npm run build` first; skipped, saying so, without one.
 */

const built = buildExists();
const ADMIN = { email: "admin@privacy.test", password: "privacy-admin-password" };
const PSEUDONYM = /^ann-[0-9a-f]{12}$/;

type ErrorBody = { error: { code: string; message: string; details?: Array<Record<string, unknown>> } };
interface JudgmentRow {
  id: string;
  itemId: string;
  source: string;
  annotatorId: string | null;
  annotatorUserId?: string;
  annotatorEmail?: string;
}
interface StatsAnnotator {
  annotatorId: string;
  userId?: string;
  email?: string;
  status: string;
  judgments: number;
}

let app: RunningApp;
let database: AppDatabase;
let world: World;

/** Signs in through better-auth like the login page does and returns the session cookie. */
async function sessionCookie(email: string, password: string): Promise<string> {
  const result = await http(app.baseUrl, "/api/auth/sign-in/email", { body: { email, password }, headers: { origin: app.baseUrl, ...clientAddress() } });
  expect(result.status, result.text).toBe(200);
  return result.headers
    .getSetCookie()
    .map((c) => c.split(";")[0]!)
    .join("; ");
}

function errorOf(result: HttpResult): ErrorBody["error"] {
  return (result.data as ErrorBody).error;
}

async function submit(who: "member" | "otherMember" | "admin", task: Task, key: string = randomUUID()): Promise<HttpResult<{ id: string }>> {
  return world.call<{ id: string }>(who, `/api/v1/assignments/${task.assignmentId}/judgment`, {
    body: { winner: task.candidates[0]!.id },
    headers: { "idempotency-key": key },
  });
}

async function setCampaignStatus(campaignId: string, status: "active" | "paused" | "closed"): Promise<void> {
  expectStatus(await world.call("admin", `/api/v1/campaigns/${campaignId}/status`, { body: { status } }), 200, `campaign → ${status}`);
}

async function setMemberStatus(campaignId: string, userId: string, status: "active" | "paused"): Promise<void> {
  expectStatus(
    await world.call("admin", `/api/v1/campaigns/${campaignId}/members/${userId}/status`, { body: { status, reason: "privacy test" } }),
    200,
    `member → ${status}`,
  );
}

describe.skipIf(!built)("issue 13, findings 9–11: pseudonyms, spent idempotency keys, skip rules (production build over HTTP)", () => {
  beforeAll(async () => {
    database = await appDatabase({ embedded: inject("embeddedDb"), prefix: "arbiter_privacy" });
    // Each call's own X-Forwarded-For (clientAddress) is its rate-limit bucket: loopback is the trusted proxy.
    app = await launchApp({
      database,
      rateLimit: "on",
      adminEmail: ADMIN.email,
      adminPassword: ADMIN.password,
      baseEnv: process.env,
      env: { ARBITER_TRUSTED_PROXIES: "127.0.0.1, ::1" },
    });
    world = await buildWorld(app.baseUrl, ADMIN);
  }, 240_000);

  afterAll(async () => {
    const unexpected = app?.unexpectedErrors() ?? [];
    await app?.stop();
    await database?.drop();
    expect(unexpected, "the app reported unexpected (5xx) errors").toEqual([]);
  });

  describe("researchers see annotators only as the campaign's pseudonym (finding 9)", () => {
    let campaignId: string;
    /** Every account that could have left a trace in the campaign, the researcher aside. */
    let userIds: string[];

    beforeAll(async () => {
      campaignId = await world.freshCampaign({ items: 6, config: { overlap: 3 } });
      for (let i = 0; i < 2; i++) {
        await world.judgment("member", campaignId);
        await world.judgment("otherMember", campaignId);
      }
      // An admin annotates too, without being a member.
      expectStatus(
        await submit("admin", expectStatus(await world.call<Task>("admin", `/api/v1/campaigns/${campaignId}/tasks/next`), 200, "admin task")),
        201,
        "admin judgment",
      );
      // A paused member with a judgment.
      const third = await world.freshUser();
      expectStatus(await world.call("admin", `/api/v1/campaigns/${campaignId}/members`, { body: { userId: third.id } }), 201, "add member");
      const thirdToken = expectStatus(
        await http<{ token: string }>(app.baseUrl, "/api/v1/tokens", { body: { email: third.email, password: third.password }, headers: clientAddress() }),
        201,
        "token",
      ).token;
      const thirdTask = expectStatus(await http<Task>(app.baseUrl, `/api/v1/campaigns/${campaignId}/tasks/next`, { token: thirdToken }), 200, "third task");
      expectStatus(
        await http(app.baseUrl, `/api/v1/assignments/${thirdTask.assignmentId}/judgment`, {
          token: thirdToken,
          body: { winner: thirdTask.candidates[1]!.id },
          headers: { "idempotency-key": randomUUID() },
        }),
        201,
        "third judgment",
      );
      await setMemberStatus(campaignId, third.id, "paused");

      const users = expectStatus(await world.call<Array<{ id: string }>>("admin", "/api/v1/users"), 200, "users");
      userIds = users.map((u) => u.id).filter((id) => id !== world.accounts.researcher.id);
      const members = expectStatus(await world.call<Array<{ userId: string }>>("admin", `/api/v1/campaigns/${campaignId}/members`), 200, "members");
      expect(members).toHaveLength(3);
      for (const member of members) expect(userIds).toContain(member.userId);
      expect(userIds).toContain(world.accounts.admin.id);
    });

    it("no user id of any annotator in any API answer or page a researcher can read", async () => {
      const base = `/api/v1/campaigns/${campaignId}`;
      const reads = [
        "/api/v1/campaigns",
        base,
        `${base}/judgments`,
        `${base}/judgments?source=human&limit=1000`,
        `${base}/stats`,
        `${base}/stats/series`,
        `${base}/stats/series?series=throughput&format=csv`,
        `${base}/stats/series?series=progress&format=csv`,
        `${base}/leaderboard`,
        `${base}/leaderboard?method=elo`,
        `${base}/items/f-0`,
        `${base}/routing`,
        `${base}/judge`,
        `${base}/secrets`,
        `${base}/reward-model`,
        ...["raw", "trl", "rankings", "rationales"].map((format) => `${base}/export?format=${format}&source=all`),
        `${base}/export/card?format=raw&source=all`,
      ];
      // The search can find them: an admin's judgment list names the user ids.
      const asAdmin = await world.call("admin", `${base}/judgments?source=human&limit=1000`);
      for (const account of [world.accounts.member, world.accounts.otherMember, world.accounts.admin]) expect(asAdmin.text).toContain(account.id);

      const leaks: string[] = [];
      let rows: JudgmentRow[] = [];
      for (const path of reads) {
        const result = await world.call("researcher", path);
        // An export with no rows (this world may hold no rationale) answers 404 "no rows", never an empty file.
        const emptyExport = result.status === 404 && path.includes("/export?") && result.text.includes("no rows");
        expect(emptyExport ? 200 : result.status, `${path}: ${result.text.slice(0, 200)}`).toBe(200);
        for (const id of userIds) if (result.text.includes(id)) leaks.push(`GET ${path} contains ${id}`);
        if (path === `${base}/judgments?source=human&limit=1000`) rows = (result.data as { judgments: JudgmentRow[] }).judgments;
      }

      const cookie = await sessionCookie(world.accounts.researcher.email, world.accounts.researcher.password);
      for (const page of [
        "/campaigns",
        `/campaigns/${campaignId}`,
        `/campaigns/${campaignId}/quality`,
        `/campaigns/${campaignId}/quality?method=elo`,
        `/campaigns/${campaignId}/routing`,
        `/campaigns/${campaignId}/items/f-0`,
      ]) {
        const result = await http(app.baseUrl, page, { cookie, headers: clientAddress() });
        expect(result.status, `${page}: ${result.text.slice(0, 200)}`).toBe(200);
        for (const id of userIds) if (result.text.includes(id)) leaks.push(`page ${page} contains ${id}`);
      }
      expect(leaks).toEqual([]);
      expect(rows).toHaveLength(6);
      for (const row of rows) {
        expect(row.annotatorId).toMatch(PSEUDONYM);
        expect(row).not.toHaveProperty("annotatorUserId");
        expect(row).not.toHaveProperty("annotatorEmail");
      }
    });

    it("the judgments' pseudonyms are those of stats and exports; researchers filter by pseudonym, never by user id", async () => {
      const base = `/api/v1/campaigns/${campaignId}`;
      const judgments = expectStatus(
        await world.call<{ judgments: JudgmentRow[] }>("researcher", `${base}/judgments?source=human&limit=1000`),
        200,
        "judgments",
      ).judgments;
      const stats = expectStatus(await world.call<{ annotators: StatsAnnotator[] }>("researcher", `${base}/stats`), 200, "stats");
      const exported = (await world.call("researcher", `${base}/export?format=raw&source=human`)).text
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as { id: string; annotator: string });
      const fromStats = new Map(stats.annotators.map((a) => [a.annotatorId, a.judgments]));
      expect(new Set(judgments.map((j) => j.annotatorId))).toEqual(new Set(fromStats.keys()));
      // The export's judgment id joins the two, and both sides name the same pseudonym.
      const exportedBy = new Map(exported.map((row) => [row.id, row.annotator]));
      for (const judgment of judgments) expect(exportedBy.get(judgment.id)).toBe(judgment.annotatorId);

      const [pseudonym, count] = [...fromStats].find(([, n]) => n === 2)!;
      const filtered = expectStatus(
        await world.call<{ judgments: JudgmentRow[] }>("researcher", `${base}/judgments?annotatorId=${pseudonym}`),
        200,
        "by pseudonym",
      ).judgments;
      expect(filtered).toHaveLength(count);
      expect(filtered.every((j) => j.annotatorId === pseudonym)).toBe(true);
      expect(
        expectStatus(await world.call<{ judgments: JudgmentRow[] }>("researcher", `${base}/judgments?annotatorId=ann-000000000000`), 200, "unknown pseudonym")
          .judgments,
      ).toEqual([]);

      // A known user id must not reveal that user's pseudonym (it would link their campaigns).
      const memberId = world.accounts.member.id;
      for (const path of [
        `${base}/judgments?annotatorId=${memberId}`,
        `${base}/export?format=raw&source=human&annotatorId=${memberId}`,
        `${base}/export/card?format=raw&annotatorId=${memberId}`,
      ]) {
        const probe = await world.call("researcher", path);
        expect(probe.status, `${path}: ${probe.text.slice(0, 200)}`).toBe(422);
        expect(errorOf(probe).code).toBe("unprocessable");
        expect(probe.text).not.toMatch(/ann-[0-9a-f]{12}/);
      }
    });

    it("admins see the user id and e-mail beside the pseudonym, filter by either, and can pause a member from the annotator figures", async () => {
      const base = `/api/v1/campaigns/${campaignId}`;
      const rows = expectStatus(
        await world.call<{ judgments: JudgmentRow[] }>("admin", `${base}/judgments?source=human&limit=1000`),
        200,
        "judgments",
      ).judgments;
      const mine = rows.filter((j) => j.annotatorUserId === world.accounts.member.id);
      expect(mine).toHaveLength(2);
      for (const row of mine) expect(row).toMatchObject({ annotatorEmail: world.accounts.member.email, annotatorId: expect.stringMatching(PSEUDONYM) });
      const pseudonym = mine[0]!.annotatorId!;
      for (const filter of [world.accounts.member.id, pseudonym]) {
        const filtered = expectStatus(
          await world.call<{ judgments: JudgmentRow[] }>("admin", `${base}/judgments?annotatorId=${filter}`),
          200,
          "admin filter",
        ).judgments;
        expect(filtered.map((j) => j.id).sort()).toEqual(mine.map((j) => j.id).sort());
      }

      const stats = expectStatus(await world.call<{ annotators: StatsAnnotator[] }>("admin", `${base}/stats`), 200, "stats");
      const row = stats.annotators.find((a) => a.annotatorId === pseudonym)!;
      expect(row).toMatchObject({ userId: world.accounts.member.id, email: world.accounts.member.email, status: "active" });
      await setMemberStatus(campaignId, row.userId!, "paused");
      const after = expectStatus(await world.call<{ annotators: StatsAnnotator[] }>("admin", `${base}/stats`), 200, "stats");
      expect(after.annotators.find((a) => a.annotatorId === pseudonym)?.status).toBe("paused");
      await setMemberStatus(campaignId, row.userId!, "active");
    });
  });

  describe("an Idempotency-Key stays spent once its judgment is undone (finding 10)", () => {
    it("replaying the original request after DELETE answers 409 idempotency_key_spent and stores nothing; a new key judges again", async () => {
      const campaignId = await world.freshCampaign({ items: 3 });
      const task = await world.task("member", campaignId);
      const key = randomUUID();
      const first = expectStatus(await submit("member", task, key), 201, "first").id;
      expect(expectStatus(await submit("member", task, key), 201, "replay before undo").id).toBe(first);
      expectStatus(await world.call("member", `/api/v1/judgments/${first}`, { method: "DELETE" }), 200, "undo");

      const replayed = await submit("member", task, key);
      expect(replayed.status, replayed.text).toBe(409);
      expect(errorOf(replayed)).toMatchObject({ code: "idempotency_key_spent", message: expect.stringMatching(/undone/) });
      expect(errorOf(replayed).details?.[0]).toMatchObject({ judgmentId: first, assignmentId: task.assignmentId });
      // Nor can the spent key carry a judgment of another task.
      const other = expectStatus(
        await world.call<Task>("member", `/api/v1/campaigns/${campaignId}/tasks/next?exclude=${task.assignmentId}`),
        200,
        "another task",
      );
      expect(other.assignmentId).not.toBe(task.assignmentId);
      const elsewhere = await submit("member", other, key);
      expect(elsewhere.status, elsewhere.text).toBe(409);
      expect(errorOf(elsewhere).code).toBe("idempotency_key_spent");

      const judgmentsOfMember = async () =>
        expectStatus(
          await world.call<{ judgments: JudgmentRow[] }>("admin", `/api/v1/campaigns/${campaignId}/judgments?annotatorId=${world.accounts.member.id}`),
          200,
          "judgments",
        ).judgments;
      expect(await judgmentsOfMember()).toEqual([]);
      const assignment = expectStatus(await world.call<{ status: string }>("member", `/api/v1/assignments/${task.assignmentId}`), 200, "assignment");
      expect(assignment.status).toBe("leased");

      // The task is still the annotator's to judge, under a new key (which replays as usual).
      const fresh = randomUUID();
      const second = expectStatus(await submit("member", task, fresh), 201, "new key").id;
      expect(second).not.toBe(first);
      expect(expectStatus(await submit("member", task, fresh), 201, "replay of the new key").id).toBe(second);
      expect((await judgmentsOfMember()).map((j) => j.id)).toEqual([second]);
    });
  });

  describe("skip follows the rules of judgment and undo (finding 11)", () => {
    it("skipping in a closed or paused campaign is 409 with the judgment's code and message, and changes nothing", async () => {
      for (const status of ["paused", "closed"] as const) {
        const campaignId = await world.freshCampaign({ items: 2 });
        const task = await world.task("member", campaignId);
        await setCampaignStatus(campaignId, status);
        const skipped = await world.call("member", `/api/v1/assignments/${task.assignmentId}/skip`, { body: { reason: "attack" } });
        const judged = await submit("member", task);
        expect(judged.status, judged.text).toBe(409);
        expect(skipped.status, skipped.text).toBe(409);
        expect(errorOf(skipped)).toEqual(errorOf(judged));
        expect(errorOf(skipped).message).toBe(`This campaign is ${status}; judgments are not accepted.`);
        expect(expectStatus(await world.call<{ status: string }>("member", `/api/v1/assignments/${task.assignmentId}`), 200, "assignment").status).not.toBe(
          "skipped",
        );
      }
    });

    it("a paused member's skip is 403 with the judgment's code and message, and changes nothing", async () => {
      const campaignId = await world.freshCampaign({ items: 2 });
      const task = await world.task("member", campaignId);
      await setMemberStatus(campaignId, world.accounts.member.id, "paused");
      const skipped = await world.call("member", `/api/v1/assignments/${task.assignmentId}/skip`, { body: {} });
      const judged = await submit("member", task);
      expect(judged.status, judged.text).toBe(403);
      expect(skipped.status, skipped.text).toBe(403);
      expect(errorOf(skipped)).toEqual(errorOf(judged));
      await setMemberStatus(campaignId, world.accounts.member.id, "active");
      expect(expectStatus(await world.call<{ status: string }>("member", `/api/v1/assignments/${task.assignmentId}`), 200, "assignment").status).not.toBe(
        "skipped",
      );
      // Active again, the same skip goes through.
      expectStatus(await world.call("member", `/api/v1/assignments/${task.assignmentId}/skip`, { body: {} }), 200, "skip when active");
    });

    it("undo refuses the same: a closed campaign 409, a paused member 403, and the judgment stays", async () => {
      const closing = await world.freshCampaign({ items: 2 });
      const closedJudgment = await world.judgment("member", closing);
      await setCampaignStatus(closing, "closed");
      const closedUndo = await world.call("member", `/api/v1/judgments/${closedJudgment}`, { method: "DELETE" });
      expect(closedUndo.status, closedUndo.text).toBe(409);
      expect(errorOf(closedUndo)).toMatchObject({ code: "conflict", message: "This campaign is closed; judgments can no longer be undone." });

      const pausing = await world.freshCampaign({ items: 2 });
      const pausedJudgment = await world.judgment("member", pausing);
      await setMemberStatus(pausing, world.accounts.member.id, "paused");
      const pausedUndo = await world.call("member", `/api/v1/judgments/${pausedJudgment}`, { method: "DELETE" });
      expect(pausedUndo.status, pausedUndo.text).toBe(403);
      expect(errorOf(pausedUndo).code).toBe("forbidden");
      await setMemberStatus(pausing, world.accounts.member.id, "active");

      for (const [campaignId, id] of [
        [closing, closedJudgment],
        [pausing, pausedJudgment],
      ] as const) {
        const rows = expectStatus(
          await world.call<{ judgments: JudgmentRow[] }>("admin", `/api/v1/campaigns/${campaignId}/judgments`),
          200,
          "judgments",
        ).judgments;
        expect(rows.map((j) => j.id)).toEqual([id]);
      }
    });
  });
});
