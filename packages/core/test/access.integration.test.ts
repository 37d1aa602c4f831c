import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnectPrisma, getPrisma, type User } from "@arbiter/db";
import { AppError, type ErrorCode } from "../src/errors.ts";
import type { Actor } from "../src/access/actor.ts";
import { assignNextTask } from "../src/annotation/assign-next-task.ts";
import { submitJudgment } from "../src/annotation/submit-judgment.ts";
import { skipTask } from "../src/annotation/skip-task.ts";
import { undoJudgment } from "../src/annotation/undo-judgment.ts";
import { getTask } from "../src/annotation/get-task.ts";
import { addCampaignMember } from "../src/campaigns/add-campaign-member.ts";
import { duplicateCampaign } from "../src/campaigns/duplicate-campaign.ts";
import { listCampaignMembers } from "../src/campaigns/list-campaign-members.ts";
import { updateCampaign } from "../src/campaigns/update-campaign.ts";
import { importItems } from "../src/items/import-items.ts";
import { listJudgments } from "../src/annotation/list-judgments.ts";
import { setMemberStatus } from "../src/quality/set-member-status.ts";
import { createCampaign } from "../src/campaigns/create-campaign.ts";
import { getCampaign } from "../src/campaigns/get-campaign.ts";
import { listCampaigns } from "../src/campaigns/list-campaigns.ts";
import { setCampaignStatus } from "../src/campaigns/set-campaign-status.ts";
import { acceptInvite, describeInvite } from "../src/invites/accept-invite.ts";
import { createInvite, hashSecret } from "../src/invites/create-invite.ts";
import { authenticateApiToken, createApiToken } from "../src/tokens/api-tokens.ts";
import { createUser } from "../src/users/create-user.ts";
import { listUsers } from "../src/users/list-users.ts";
import { actorFor, addMembers, createTestCampaign, createTestUser, makePairwiseItems, uniqueEmail, type TestCampaign } from "../src/testing/builders.ts";

const baseUrl = "http://arbiter.test";

let admin: User;
let researcher: User;
let annotator: User;
let outsider: User;
let campaign: TestCampaign;
let otherCampaign: TestCampaign;
let draftCampaign: TestCampaign;

beforeAll(async () => {
  [admin, researcher, annotator, outsider] = await Promise.all([
    createTestUser({ role: "admin" }),
    createTestUser({ role: "researcher" }),
    createTestUser({ role: "annotator" }),
    createTestUser({ role: "annotator" }),
  ]);
  campaign = await createTestCampaign({
    admin,
    taskType: "pairwise",
    config: { overlap: 3, goldRate: 0, judge: { enabled: true, baseUrl: "http://judge.test/v1", model: "judge-model", apiKeyRef: { secret: "judge-key" } } },
    items: makePairwiseItems(4),
  });
  otherCampaign = await createTestCampaign({ admin, taskType: "pairwise", config: { goldRate: 0 }, items: makePairwiseItems(2) });
  draftCampaign = await createTestCampaign({ admin, taskType: "kwise", status: "draft" });
  await addMembers(campaign.id, [annotator]);
  await addMembers(draftCampaign.id, [annotator]);
  await addMembers(otherCampaign.id, [outsider]);
});

afterAll(async () => {
  await disconnectPrisma();
});

async function outcome(call: () => Promise<unknown>): Promise<"ok" | ErrorCode> {
  try {
    await call();
    return "ok";
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
}

async function* jsonLines(...rows: unknown[]): AsyncGenerator<string> {
  for (const row of rows) yield `${JSON.stringify(row)}\n`;
}

async function appError(call: Promise<unknown>): Promise<AppError> {
  const error = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, "expected the call to fail with an AppError").toBeInstanceOf(AppError);
  return error as AppError;
}

describe("role checks of every domain function", () => {
  type Who = "admin" | "researcher" | "annotator" | "outsider" | "anonymous";
  const who: Who[] = ["admin", "researcher", "annotator", "outsider", "anonymous"];
  const actorOf = (w: Who): Actor | null => {
    const user = { admin, researcher, annotator, outsider }[w as Exclude<Who, "anonymous">];
    return user ? actorFor(user) : null;
  };

  const cases: Array<{ name: string; call: (actor: Actor | null) => Promise<unknown>; expected: Record<Who, "ok" | ErrorCode> }> = [
    {
      name: "createCampaign",
      call: (actor) => createCampaign({ actor, input: { name: "role check", taskType: "pairwise" } }),
      expected: { admin: "ok", researcher: "forbidden", annotator: "forbidden", outsider: "forbidden", anonymous: "unauthorized" },
    },
    {
      name: "getCampaign",
      call: (actor) => getCampaign({ actor, campaignId: campaign.id }),
      expected: { admin: "ok", researcher: "ok", annotator: "ok", outsider: "not_found", anonymous: "unauthorized" },
    },
    {
      name: "listCampaigns",
      call: (actor) => listCampaigns({ actor }),
      expected: { admin: "ok", researcher: "ok", annotator: "ok", outsider: "ok", anonymous: "unauthorized" },
    },
    {
      name: "setCampaignStatus",
      call: (actor) => setCampaignStatus({ actor, campaignId: otherCampaign.id, input: { status: "active" } }),
      expected: { admin: "ok", researcher: "forbidden", annotator: "forbidden", outsider: "forbidden", anonymous: "unauthorized" },
    },
    {
      name: "addCampaignMember",
      call: (actor) => addCampaignMember({ actor, campaignId: otherCampaign.id, input: { userId: outsider.id } }),
      expected: { admin: "ok", researcher: "forbidden", annotator: "forbidden", outsider: "forbidden", anonymous: "unauthorized" },
    },
    {
      name: "createUser",
      call: (actor) => createUser({ actor, input: { email: uniqueEmail("created"), role: "annotator", password: "a-long-password" }, baseUrl }),
      expected: { admin: "ok", researcher: "forbidden", annotator: "forbidden", outsider: "forbidden", anonymous: "unauthorized" },
    },
    {
      name: "listUsers",
      call: (actor) => listUsers({ actor }),
      expected: { admin: "ok", researcher: "forbidden", annotator: "forbidden", outsider: "forbidden", anonymous: "unauthorized" },
    },
    {
      name: "createInvite",
      call: (actor) => createInvite({ actor, input: { campaignId: campaign.id }, baseUrl }),
      expected: { admin: "ok", researcher: "forbidden", annotator: "forbidden", outsider: "forbidden", anonymous: "unauthorized" },
    },
    {
      name: "updateCampaign",
      call: (actor) => updateCampaign({ actor, campaignId: otherCampaign.id, input: { description: "role check" } }),
      expected: { admin: "ok", researcher: "forbidden", annotator: "forbidden", outsider: "forbidden", anonymous: "unauthorized" },
    },
    {
      name: "duplicateCampaign",
      call: (actor) => duplicateCampaign({ actor, campaignId: otherCampaign.id }),
      expected: { admin: "ok", researcher: "forbidden", annotator: "forbidden", outsider: "forbidden", anonymous: "unauthorized" },
    },
    {
      name: "listCampaignMembers",
      call: (actor) => listCampaignMembers({ actor, campaignId: campaign.id }),
      expected: { admin: "ok", researcher: "forbidden", annotator: "forbidden", outsider: "forbidden", anonymous: "unauthorized" },
    },
    {
      name: "setMemberStatus",
      call: (actor) => setMemberStatus({ actor, campaignId: otherCampaign.id, userId: outsider.id, input: { status: "active" } }),
      expected: { admin: "ok", researcher: "forbidden", annotator: "forbidden", outsider: "forbidden", anonymous: "unauthorized" },
    },
    {
      name: "importItems",
      call: (actor) =>
        importItems({
          actor,
          campaignId: otherCampaign.id,
          query: { format: "native" },
          source: jsonLines({ id: `import-${randomUUID()}`, prompt: "2 + 2?", responses: [{ content: "4" }, { content: "5" }] }),
        }),
      expected: { admin: "ok", researcher: "forbidden", annotator: "forbidden", outsider: "forbidden", anonymous: "unauthorized" },
    },
    {
      name: "listJudgments",
      call: (actor) => listJudgments({ actor, campaignId: campaign.id, query: {} }),
      expected: { admin: "ok", researcher: "ok", annotator: "forbidden", outsider: "forbidden", anonymous: "unauthorized" },
    },
    {
      name: "assignNextTask",
      call: (actor) => assignNextTask({ actor, campaignId: campaign.id }),
      expected: { admin: "ok", researcher: "forbidden", annotator: "ok", outsider: "not_found", anonymous: "unauthorized" },
    },
  ];

  it.each(cases)("$name", async ({ call, expected }) => {
    const actual: Record<string, string> = {};
    for (const w of who) actual[w] = await outcome(() => call(actorOf(w)));
    expect(actual).toEqual(expected);
  });

  it("submitJudgment, skipTask and undoJudgment act only on the caller's own work", async () => {
    const task = (await assignNextTask({ actor: actorFor(annotator), campaignId: campaign.id }))!;
    const input = { winner: task.candidates[0]!.id };
    const submitAs = (actor: Actor | null) => submitJudgment({ actor, assignmentId: task.assignmentId, idempotencyKey: randomUUID(), input });
    expect(await outcome(() => submitAs(null))).toBe("unauthorized");
    for (const other of [admin, researcher, outsider]) expect(await outcome(() => submitAs(actorFor(other)))).toBe("forbidden");
    for (const other of [admin, researcher, outsider])
      expect(await outcome(() => skipTask({ actor: actorFor(other), assignmentId: task.assignmentId, input: {} }))).toBe("forbidden");
    expect(await outcome(() => skipTask({ actor: null, assignmentId: task.assignmentId, input: {} }))).toBe("unauthorized");
    expect(await outcome(() => getTask({ actor: actorFor(annotator), assignmentId: task.assignmentId }))).toBe("ok");
    for (const other of [admin, researcher, outsider])
      expect(await outcome(() => getTask({ actor: actorFor(other), assignmentId: task.assignmentId }))).toBe("not_found");
    expect(await outcome(() => getTask({ actor: null, assignmentId: task.assignmentId }))).toBe("unauthorized");

    const { id } = await submitAs(actorFor(annotator));
    expect(await outcome(() => undoJudgment({ actor: null, judgmentId: id }))).toBe("unauthorized");
    for (const other of [admin, researcher, outsider]) expect(await outcome(() => undoJudgment({ actor: actorFor(other), judgmentId: id }))).toBe("not_found");
    expect(await getPrisma().judgment.count({ where: { id } })).toBe(1);
  });

  it("shows each role the campaigns it may see, and hides judge settings from annotators", async () => {
    const idsFor = async (user: User) => new Set((await listCampaigns({ actor: actorFor(user) })).map((c) => c.id));
    const mine = [campaign.id, otherCampaign.id, draftCampaign.id];
    for (const user of [admin, researcher]) {
      const ids = await idsFor(user);
      expect(mine.every((id) => ids.has(id))).toBe(true);
    }
    const annotatorIds = await idsFor(annotator);
    expect(annotatorIds.has(campaign.id)).toBe(true);
    expect(annotatorIds.has(otherCampaign.id)).toBe(false);
    expect(annotatorIds.has(draftCampaign.id)).toBe(false);

    const asAnnotator = await getCampaign({ actor: actorFor(annotator), campaignId: campaign.id });
    expect(asAnnotator.config.judge).toBeUndefined();
    const asResearcher = await getCampaign({ actor: actorFor(researcher), campaignId: campaign.id });
    expect(asResearcher.config.judge).toMatchObject({ enabled: true, model: "judge-model", apiKeyRef: { secret: "judge-key" } });
    expect(asResearcher.progress.itemCount).toBe(4);
  });

  it("answers unknown and malformed campaign ids with 404", async () => {
    for (const campaignId of [randomUUID(), "not-a-uuid"]) {
      expect(await outcome(() => getCampaign({ actor: actorFor(admin), campaignId }))).toBe("not_found");
      expect(await outcome(() => assignNextTask({ actor: actorFor(annotator), campaignId }))).toBe("not_found");
    }
  });
});

describe("API tokens", () => {
  const password = "correct horse battery";
  let user: User;

  beforeAll(async () => {
    user = await createTestUser({ role: "researcher", password });
  });

  it("issues a token that is stored only as a hash and authenticates its user", async () => {
    const issued = await createApiToken({ input: { email: user.email.toUpperCase(), password, name: "ci script" } });
    expect(issued.token).toMatch(/^arb_[A-Za-z0-9_-]{43}$/);
    expect(issued.name).toBe("ci script");
    // Every token expires: ARBITER_TOKEN_TTL_DAYS (90) unless the request asks for less.
    expect(Date.parse(issued.expiresAt) - Date.now()).toBeGreaterThan(89.9 * 86_400_000);
    expect(Date.parse(issued.expiresAt) - Date.now()).toBeLessThanOrEqual(90 * 86_400_000);

    const prisma = getPrisma();
    const row = await prisma.apiToken.findUniqueOrThrow({ where: { id: issued.id } });
    expect(row.tokenHash).toBe(hashSecret(issued.token));
    expect(row.tokenHash).not.toContain(issued.token);
    const secretPart = issued.token.slice(4);
    const tables = await prisma.$queryRaw<Array<{ row: string }>>`
      SELECT row_to_json(t)::text AS row FROM api_tokens t
      UNION ALL SELECT row_to_json(a)::text FROM audit_log a WHERE a.actor_id = ${user.id}`;
    expect(tables.length).toBeGreaterThan(1);
    for (const { row: text } of tables) expect(text).not.toContain(secretPart);

    const actor = await authenticateApiToken(issued.token);
    expect(actor).toEqual({ userId: user.id, email: user.email, role: "researcher", via: "token", tokenId: issued.id });
    expect((await prisma.apiToken.findUniqueOrThrow({ where: { id: issued.id } })).lastUsedAt).not.toBeNull();
  });

  it("gives the same 401 for a wrong password and an unknown email", async () => {
    const wrong = await appError(createApiToken({ input: { email: user.email, password: "not the password" } }));
    const unknown = await appError(createApiToken({ input: { email: uniqueEmail("nobody"), password } }));
    expect(wrong).toMatchObject({ code: "unauthorized", status: 401, message: "Email or password is incorrect." });
    expect(unknown.code).toBe(wrong.code);
    expect(unknown.message).toBe(wrong.message);
    const malformed = await appError(createApiToken({ input: { email: "not-an-email", password } }));
    expect(malformed.code).toBe("unprocessable");
  });

  it("refuses expired, revoked and made-up tokens with 401", async () => {
    const prisma = getPrisma();
    const expiring = await createApiToken({ input: { email: user.email, password, expiresInDays: 1 } });
    expect(Date.parse(expiring.expiresAt!)).toBeGreaterThan(Date.now() + 23 * 3_600_000);
    await authenticateApiToken(expiring.token);
    await prisma.apiToken.update({ where: { id: expiring.id }, data: { expiresAt: new Date(Date.now() - 1_000) } });
    expect(await appError(authenticateApiToken(expiring.token))).toMatchObject({ code: "unauthorized", message: "Invalid, expired or revoked bearer token." });

    const revoked = await createApiToken({ input: { email: user.email, password } });
    await prisma.apiToken.update({ where: { id: revoked.id }, data: { revokedAt: new Date() } });
    expect((await appError(authenticateApiToken(revoked.token))).code).toBe("unauthorized");

    for (const token of ["arb_made-up-token", "not-even-prefixed", `arb_${"x".repeat(300)}`, ""]) {
      expect((await appError(authenticateApiToken(token))).code).toBe("unauthorized");
    }
  });

  it("refuses a disabled account with 403", async () => {
    const disabledPassword = "disabled-user-password";
    const disabled = await createTestUser({ role: "annotator", password: disabledPassword });
    const token = await createApiToken({ input: { email: disabled.email, password: disabledPassword } });
    await getPrisma().user.update({ where: { id: disabled.id }, data: { disabled: true } });
    expect((await appError(authenticateApiToken(token.token))).code).toBe("forbidden");
    expect((await appError(createApiToken({ input: { email: disabled.email, password: disabledPassword } }))).code).toBe("forbidden");
  });
});

describe("invites", () => {
  const secretOf = (url: string) => url.split("/invite/")[1]!;

  it("creates a single-use link bound to an email and a campaign, stored hashed", async () => {
    const email = uniqueEmail("invitee");
    const invite = await createInvite({ actor: actorFor(admin), input: { email, campaignId: campaign.id }, baseUrl: `${baseUrl}/` });
    expect(invite.url).toMatch(new RegExp(`^${baseUrl}/invite/[A-Za-z0-9_-]{32}$`));
    expect(invite).toMatchObject({ role: "annotator", email, campaignId: campaign.id });
    const token = secretOf(invite.url);
    const row = await getPrisma().invite.findUniqueOrThrow({ where: { id: invite.id } });
    expect(row.tokenHash).toBe(hashSecret(token));
    expect(JSON.stringify(row)).not.toContain(token);
    expect(await describeInvite(token)).toEqual({ email, role: "annotator", campaignName: campaign.view.name });

    const accepted = await acceptInvite({ input: { token, password: "invitee-password", name: "Ines Invitee" } });
    expect(accepted).toMatchObject({ email, campaignId: campaign.id });
    const user = await getPrisma().user.findUniqueOrThrow({ where: { id: accepted.userId }, include: { memberships: true } });
    expect(user).toMatchObject({ email, role: "annotator", name: "Ines Invitee" });
    expect(user.memberships.map((m) => m.campaignId)).toEqual([campaign.id]);
    // The password set through the invite signs in.
    expect((await createApiToken({ input: { email, password: "invitee-password" } })).token).toMatch(/^arb_/);
    expect(await assignNextTask({ actor: actorFor(user), campaignId: campaign.id })).not.toBeNull();

    const reused = await appError(acceptInvite({ input: { token, password: "another-password" } }));
    expect(reused).toMatchObject({ code: "gone", status: 410, message: "This invite link was already used." });
    expect(await describeInvite(token)).toBeNull();
  });

  it("refuses an expired link with 410 and an unknown one with 404", async () => {
    const invite = await createInvite({ actor: actorFor(admin), input: { role: "researcher" }, baseUrl });
    await getPrisma().invite.update({ where: { id: invite.id }, data: { expiresAt: new Date(Date.now() - 1_000) } });
    const expired = await appError(acceptInvite({ input: { token: secretOf(invite.url), email: uniqueEmail("late"), password: "late-password" } }));
    expect(expired).toMatchObject({ code: "gone", status: 410, message: "This invite link has expired." });
    expect(await describeInvite(secretOf(invite.url))).toBeNull();

    const unknown = await appError(acceptInvite({ input: { token: "x".repeat(32), email: uniqueEmail("guess"), password: "guess-password" } }));
    expect(unknown.code).toBe("not_found");
  });

  it("asks for an email when the invite names none, and makes the role the invite gave", async () => {
    const invite = await createInvite({ actor: actorFor(admin), input: { role: "researcher", expiresInDays: 1 }, baseUrl });
    const token = secretOf(invite.url);
    const missing = await appError(acceptInvite({ input: { token, password: "research-password" } }));
    expect(missing).toMatchObject({ code: "unprocessable", details: [{ path: "email", message: "required" }] });
    const email = uniqueEmail("open-invite");
    const accepted = await acceptInvite({ input: { token, email, password: "research-password" } });
    expect((await getPrisma().user.findUniqueOrThrow({ where: { id: accepted.userId } })).role).toBe("researcher");
  });

  it("refuses an invite for an email that already has a password with 409, and leaves the link unused", async () => {
    const existing = await createTestUser({ role: "annotator", password: "existing-password" });
    const invite = await createInvite({ actor: actorFor(admin), input: { email: existing.email, campaignId: campaign.id }, baseUrl });
    const error = await appError(acceptInvite({ input: { token: secretOf(invite.url), password: "hijack-password" } }));
    expect(error).toMatchObject({ code: "conflict", message: "An account with this email already exists; sign in instead." });
    expect((await getPrisma().invite.findUniqueOrThrow({ where: { id: invite.id } })).usedAt).toBeNull();
    expect((await createApiToken({ input: { email: existing.email, password: "existing-password" } })).token).toMatch(/^arb_/);
    expect((await appError(createApiToken({ input: { email: existing.email, password: "hijack-password" } }))).code).toBe("unauthorized");
  });

  it("lets only one of two simultaneous acceptances use a link", async () => {
    const invite = await createInvite({ actor: actorFor(admin), input: { role: "annotator" }, baseUrl });
    const token = secretOf(invite.url);
    const emails = [uniqueEmail("racer"), uniqueEmail("racer")];
    const outcomes = await Promise.allSettled(emails.map((email) => acceptInvite({ input: { token, email, password: "racer-password" } })));
    expect(outcomes.map((o) => o.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect((outcomes.find((o) => o.status === "rejected") as PromiseRejectedResult).reason).toMatchObject({ code: "gone" });
    expect(await getPrisma().user.count({ where: { email: { in: emails } } })).toBe(1);
  });

  it("refuses an invite for an unknown campaign with 404", async () => {
    const error = await appError(createInvite({ actor: actorFor(admin), input: { campaignId: randomUUID() }, baseUrl }));
    expect(error.code).toBe("not_found");
  });
});

describe("users", () => {
  it("refuses a duplicate email with 409, whatever its case", async () => {
    const email = uniqueEmail("dup");
    const created = await createUser({ actor: actorFor(admin), input: { email, role: "annotator", password: "a-long-password" }, baseUrl });
    expect(created).toMatchObject({ email, role: "annotator", disabled: false });
    expect(created.inviteUrl).toBeUndefined();
    const again = await appError(createUser({ actor: actorFor(admin), input: { email: email.toUpperCase(), role: "researcher" }, baseUrl }));
    expect(again).toMatchObject({ code: "conflict", status: 409, message: `A user with email ${email} already exists.` });
    expect(again.details).toEqual([{ path: "email", message: "already taken", userId: created.id }]);
  });

  it("creates a user without a password with an invite link, and as a campaign member when asked", async () => {
    const email = uniqueEmail("nopass");
    const created = await createUser({ actor: actorFor(admin), input: { email, role: "annotator", campaignId: campaign.id }, baseUrl });
    expect(created.inviteUrl).toMatch(new RegExp(`^${baseUrl}/invite/`));
    const member = await getPrisma().campaignMember.findUnique({ where: { campaignId_userId: { campaignId: campaign.id, userId: created.id } } });
    expect(member?.status).toBe("active");
    // The invite sets the password of the existing user rather than making a second one.
    const accepted = await acceptInvite({ input: { token: created.inviteUrl!.split("/invite/")[1]!, password: "chosen-password" } });
    expect(accepted.userId).toBe(created.id);
  });

  it("validates its input with 422 and every issue listed", async () => {
    const error = await appError(createUser({ actor: actorFor(admin), input: { email: "nope", role: "overlord", password: "short" }, baseUrl }));
    expect(error.code).toBe("unprocessable");
    expect(error.details?.map((d) => d.path).sort()).toEqual(["email", "password", "role"]);
  });
});

describe("campaign members", () => {
  it("adds by email, reactivates a paused member, and 404s an unknown user", async () => {
    const user = await createTestUser({ role: "annotator" });
    const target = await createTestCampaign({ admin, taskType: "pairwise", config: { goldRate: 0 } });
    expect(await addCampaignMember({ actor: actorFor(admin), campaignId: target.id, input: { email: user.email.toUpperCase() } })).toMatchObject({
      userId: user.id,
      status: "active",
    });
    await getPrisma().campaignMember.update({
      where: { campaignId_userId: { campaignId: target.id, userId: user.id } },
      data: { status: "paused", pauseReason: "low gold accuracy" },
    });
    const again = await addCampaignMember({ actor: actorFor(admin), campaignId: target.id, input: { userId: user.id } });
    expect(again.status).toBe("active");
    expect((await appError(addCampaignMember({ actor: actorFor(admin), campaignId: target.id, input: { email: uniqueEmail("ghost") } }))).code).toBe(
      "not_found",
    );
    expect((await appError(addCampaignMember({ actor: actorFor(admin), campaignId: randomUUID(), input: { userId: user.id } }))).code).toBe("not_found");
  });
});

describe("campaign status", () => {
  const setStatus = (campaignId: string, status: string) => setCampaignStatus({ actor: actorFor(admin), campaignId, input: { status } });

  it("follows draft → active ⇄ paused → closed, and never reopens a closed campaign", async () => {
    const target = await createTestCampaign({ admin, taskType: "pairwise", status: "draft", config: { goldRate: 0 }, items: makePairwiseItems(1) });
    await addMembers(target.id, [await createTestUser({ role: "annotator" })]);
    const draftToPaused = await appError(setStatus(target.id, "paused"));
    expect(draftToPaused).toMatchObject({ code: "conflict", status: 409, message: "A draft campaign cannot become paused." });
    expect((await setStatus(target.id, "active")).status).toBe("active");
    expect((await setStatus(target.id, "active")).status).toBe("active");
    expect((await setStatus(target.id, "paused")).status).toBe("paused");
    expect((await setStatus(target.id, "active")).status).toBe("active");
    expect((await setStatus(target.id, "closed")).status).toBe("closed");
    for (const status of ["active", "paused"]) {
      const error = await appError(setStatus(target.id, status));
      expect(error).toMatchObject({ code: "conflict", status: 409, message: `A closed campaign cannot become ${status}.` });
    }
    expect((await appError(setStatus(target.id, "draft"))).code).toBe("unprocessable");

    const audit = await getPrisma().auditLog.findMany({ where: { campaignId: target.id, action: "campaign.status" }, orderBy: { id: "asc" } });
    expect(audit.map((a) => a.data)).toEqual([
      { from: "draft", to: "active" },
      { from: "active", to: "paused" },
      { from: "paused", to: "active" },
      { from: "active", to: "closed" },
    ]);
  });

  it("refuses to start a campaign with no regular items or no annotators, saying why, and changes nothing", async () => {
    const empty = await createTestCampaign({ admin, taskType: "pairwise", status: "draft", config: { goldRate: 0 } });
    const noItems = await appError(setStatus(empty.id, "active"));
    expect(noItems).toMatchObject({
      code: "conflict",
      status: 409,
      message: "The campaign cannot start: it has no items (import some first); it has no annotators (add members first).",
    });
    expect(noItems.details).toHaveLength(2);

    const allGold = await createTestCampaign({
      admin,
      taskType: "pairwise",
      status: "draft",
      config: { goldRate: 0.1 },
      items: makePairwiseItems(3, { gold: () => ({ winner: "a" }) }),
    });
    await addMembers(allGold.id, [await createTestUser({ role: "annotator" })]);
    const onlyGold = await appError(setStatus(allGold.id, "active"));
    expect(onlyGold.message).toBe(
      `The campaign cannot start: it has no regular items: all 3 items are gold checks (import items without "use the file's labels as gold", or more items).`,
    );
    expect((await getPrisma().campaign.findUniqueOrThrow({ where: { id: allGold.id } })).status).toBe("draft");
    expect(await getPrisma().auditLog.count({ where: { campaignId: allGold.id, action: "campaign.status" } })).toBe(0);
  });

  it("releases open leases on pause and on close, and hands out nothing while not active", async () => {
    const target = await createTestCampaign({ admin, taskType: "pairwise", config: { overlap: 1, goldRate: 0 }, items: makePairwiseItems(2) });
    const [a, b] = await Promise.all([createTestUser({ role: "annotator" }), createTestUser({ role: "annotator" })]);
    await addMembers(target.id, [a, b]);
    const prisma = getPrisma();
    const leaseA = (await assignNextTask({ actor: actorFor(a), campaignId: target.id }))!;
    await setStatus(target.id, "paused");
    expect(await prisma.assignment.findUniqueOrThrow({ where: { id: leaseA.assignmentId } })).toMatchObject({ status: "expired" });
    expect((await appError(assignNextTask({ actor: actorFor(b), campaignId: target.id }))).code).toBe("conflict");

    await setStatus(target.id, "active");
    // The released slot is free again: b may take the item a held.
    const leaseB = (await assignNextTask({ actor: actorFor(b), campaignId: target.id }))!;
    expect(leaseB.item.id).toBe(leaseA.item.id);
    await setStatus(target.id, "closed");
    expect(await prisma.assignment.findUniqueOrThrow({ where: { id: leaseB.assignmentId } })).toMatchObject({ status: "expired" });
    expect(await appError(assignNextTask({ actor: actorFor(a), campaignId: target.id }))).toMatchObject({
      code: "conflict",
      message: "This campaign is closed; no tasks are handed out.",
    });
    expect(
      (
        await appError(
          submitJudgment({ actor: actorFor(b), assignmentId: leaseB.assignmentId, idempotencyKey: randomUUID(), input: { winner: leaseB.candidates[0]!.id } }),
        )
      ).code,
    ).toBe("conflict");
  });
});

describe("campaign config validation", () => {
  it("refuses a bad config with 422 listing every problem", async () => {
    const error = await appError(
      createCampaign({
        actor: actorFor(admin),
        input: {
          name: "bad config",
          taskType: "pairwise",
          config: {
            overlap: 0,
            leaseMinutes: 0,
            goldRate: 1.5,
            rationale: "sometimes",
            attributes: [{ name: "Bad Name" }, { name: "scale", min: 3, max: 2 }],
            colour: "blue",
          },
        },
      }),
    );
    expect(error).toMatchObject({ code: "unprocessable", status: 422 });
    expect(error.message).toMatch(/^Invalid campaign config: /);
    const paths = error.details!.map((d) => d.path);
    expect(paths).toEqual(expect.arrayContaining(["overlap", "leaseMinutes", "goldRate", "rationale", "attributes.0.name", "attributes.1"]));
    expect(error.details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: "attributes.0.name", message: "use lowercase letters, digits and _" }),
        expect.objectContaining({ path: "attributes.1", message: "max must be greater than min" }),
        expect.objectContaining({ message: expect.stringContaining("colour") }),
      ]),
    );
  });

  it("refuses a bad task type, an empty name and an unknown field", async () => {
    const bad = await appError(createCampaign({ actor: actorFor(admin), input: { name: " ", taskType: "ranking", extra: 1 } }));
    expect(bad.code).toBe("unprocessable");
    const paths = bad.details!.map((d) => d.path);
    expect(paths).toEqual(expect.arrayContaining(["name", "taskType"]));
    expect(bad.details).toEqual(expect.arrayContaining([expect.objectContaining({ message: expect.stringContaining("extra") })]));
  });

  it("applies task-type defaults: rationale campaigns require a rationale and rate HelpSteer2's attributes", async () => {
    const view = await createCampaign({ actor: actorFor(admin), input: { name: "defaults", taskType: "rationale" } });
    expect(view.status).toBe("draft");
    expect(view.config).toMatchObject({ overlap: 3, rationale: "required", rationaleBase: "pairwise", leaseMinutes: 10, goldRate: 0.1 });
    expect(view.config.attributes.map((a) => a.name)).toEqual(["helpfulness", "correctness", "coherence", "complexity", "verbosity"]);
    const pairwise = await createCampaign({ actor: actorFor(admin), input: { name: "defaults", taskType: "pairwise" } });
    expect(pairwise.config).toMatchObject({ rationale: "off", attributes: [] });
  });
});
