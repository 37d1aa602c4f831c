import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { overrideEnvironment } from "@arbiter/config";
import { disconnectPrisma, getPrisma, type User } from "@arbiter/db";
import { failWith, startOpenAITestServer, streamWith, type OpenAITestServer, type TestServerBehaviour } from "@arbiter/judge/testing";
import type { BattleEvent } from "../src/battles/battle-hub.ts";
import { getBattle, streamBattle } from "../src/battles/battle-view.ts";
import { startBattle } from "../src/battles/start-battle.ts";
import { tryContestant } from "../src/battles/try-contestant.ts";
import { submitJudgmentOrBattleVote } from "../src/battles/submit-battle-vote.ts";
import { getCampaign } from "../src/campaigns/get-campaign.ts";
import { getCampaignLeaderboard } from "../src/quality/get-campaign-leaderboard.ts";
import type { CampaignConfigInput } from "../src/campaign-config/campaign-config.ts";
import { actorFor, addMembers, createTestCampaign, createTestUser } from "../src/testing/builders.ts";

/**
 * Issue 19: live battles against real OpenAI-compatible streaming servers on 127.0.0.1 — one
 * server per contestant, each scripted per test (fast, slow, failing, never finishing).
 */

let admin: User;
let restoreEnvironment: () => void;
const servers: Record<string, OpenAITestServer> = {};
const NAMES = ["alpha", "bravo", "charlie"] as const;

beforeAll(async () => {
  restoreEnvironment = overrideEnvironment({ ARBITER_ALLOWED_HOSTS: "127.0.0.1" });
  admin = await createTestUser({ role: "admin" });
  for (const name of NAMES)
    servers[name] = await startOpenAITestServer({ handler: () => streamWith(`Answer from the ${name.length}-letter one.`, { tokenDelayMs: 5 }) });
});

afterAll(async () => {
  await Promise.all(Object.values(servers).map((s) => s.close()));
  restoreEnvironment();
  await disconnectPrisma();
});

function liveConfig(overrides: Partial<NonNullable<CampaignConfigInput["live"]>> = {}, contestant: Record<string, unknown> = {}): CampaignConfigInput {
  return {
    overlap: 1,
    goldRate: 0,
    live: {
      promptSource: "annotator",
      maxPromptChars: 200,
      battlesPerMinute: 50,
      contestants: NAMES.map((name) => ({ name, baseUrl: servers[name]!.baseUrl, model: `org/${name}-model`, timeoutMs: 2_000, ...contestant })),
      ...overrides,
    },
  };
}

async function setup(config = liveConfig(), taskType: "pairwise" | "kwise" = "pairwise") {
  const campaign = await createTestCampaign({ admin, taskType, config });
  const annotator = await createTestUser({ role: "annotator" });
  await addMembers(campaign.id, [annotator]);
  return { campaign, annotator, actor: actorFor(annotator) };
}

async function collect(events: AsyncIterable<BattleEvent>): Promise<BattleEvent[]> {
  const all: BattleEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

/** Every server answers the next requests as `behaviour(name)` says. */
function script(behaviour: (name: (typeof NAMES)[number]) => TestServerBehaviour) {
  for (const name of NAMES) servers[name]!.setHandler(() => behaviour(name));
}

describe("live battles", () => {
  it("streams both answers token by token, stores the item once complete, refuses an early vote and reveals the names after the vote", async () => {
    script((name) => streamWith(`This is ${name === "alpha" ? "the first" : "another"} answer in several tokens.`, { tokenDelayMs: 20 }));
    const { campaign, actor } = await setup();
    const started = await startBattle({ actor, campaignId: campaign.id, input: { prompt: "Why is the sky blue?" } });
    expect(started.candidates).toHaveLength(2);
    expect(JSON.stringify(started)).not.toMatch(/alpha|bravo|charlie/);

    // Before the answers are complete: no item, and the vote is refused.
    expect(await getPrisma().item.count({ where: { campaignId: campaign.id } })).toBe(0);
    const early = submitJudgmentOrBattleVote({
      actor,
      assignmentId: started.assignmentId,
      idempotencyKey: "early-vote-1",
      input: { winner: started.candidates[0]!.id },
    });
    await expect(early).rejects.toMatchObject({ code: "conflict" });

    const events = await collect(await streamBattle({ actor, battleId: started.battleId }));
    const deltas = events.filter((e) => e.event === "delta");
    // Tokens arrive one by one, from both candidates interleaved.
    expect(deltas.length).toBeGreaterThan(8);
    const firstDone = events.findIndex((e) => e.event === "done");
    const before = new Set(
      events
        .slice(0, firstDone)
        .filter((e) => e.event === "delta")
        .map((e) => (e.data as { candidateId: string }).candidateId),
    );
    expect(before.size).toBe(2);
    expect(events.at(-1)).toMatchObject({ event: "ready", data: { assignmentId: started.assignmentId } });

    const view = await getBattle({ actor, battleId: started.battleId });
    expect(view.status).toBe("ready");
    for (const c of view.candidates) expect(c.content).toMatch(/answer in several tokens\.$/);

    const item = await getPrisma().item.findFirstOrThrow({ where: { campaignId: campaign.id }, include: { responses: true } });
    expect(item.prompt).toBe("Why is the sky blue?");
    expect(item.humanTarget).toBe(1);
    for (const r of item.responses) {
      expect(NAMES).toContain(r.model);
      expect(r.metadata).toMatchObject({ finishReason: "stop", completionTokens: r.content.split(" ").length });
      expect((r.metadata as { latencyMs: number }).latencyMs).toBeGreaterThan(100);
    }
    // The contestants got the prompt, streamed, with their own model name and max tokens.
    const sent = Object.values(servers)
      .flatMap((s) => s.requests)
      .at(-1)!;
    expect(sent.body).toMatchObject({ stream: true, max_tokens: 1024, messages: [{ role: "user", content: "Why is the sky blue?" }] });

    const vote = await submitJudgmentOrBattleVote({
      actor,
      assignmentId: started.assignmentId,
      idempotencyKey: "vote-key-0001",
      input: { winner: started.candidates[1]!.id },
    });
    expect(vote.revealed).toHaveLength(2);
    expect(vote.revealed!.map((r) => r.candidateId).sort()).toEqual(started.candidates.map((c) => c.id).sort());
    const byId = new Map(item.responses.map((r) => [r.id, r.model]));
    for (const r of vote.revealed!) expect(r.name).toBe(byId.get(r.candidateId));

    const board = await getCampaignLeaderboard({ actor: actorFor(admin), campaignId: campaign.id });
    expect(board.entries.find((e) => e.model === byId.get(started.candidates[1]!.id))).toMatchObject({ comparisons: 1, battles: 1 });
    expect(board.live).toMatchObject({ flaggedVotesLeftOut: 0 });
  });

  it("a failing contestant voids the battle: an error event, nothing stored, the vote refused, the retry gets another pair", async () => {
    script((name) => (name === "alpha" ? failWith(500) : streamWith("fine answer here", { tokenDelayMs: 5 })));
    const { campaign, actor } = await setup(liveConfig({}, {}));
    let voided: { battleId: string; assignmentId: string } | undefined;
    for (let i = 0; i < 6 && !voided; i++) {
      const started = await startBattle({ actor, campaignId: campaign.id, input: { prompt: `hello ${i}` } });
      const events = await collect(await streamBattle({ actor, battleId: started.battleId }));
      if (events.some((e) => e.event === "error")) {
        expect(events.at(-1)).toMatchObject({ event: "error", data: { code: "upstream_status" } });
        voided = started;
      }
    }
    expect(voided).toBeDefined();
    expect((await getBattle({ actor, battleId: voided!.battleId })).status).toBe("void");
    await expect(
      submitJudgmentOrBattleVote({ actor, assignmentId: voided!.assignmentId, idempotencyKey: "void-vote-01", input: { winner: "tie" } }),
    ).rejects.toMatchObject({ code: "conflict" });
    const battleItems = await getPrisma().item.findMany({ where: { campaignId: campaign.id }, include: { responses: true } });
    expect(battleItems.every((i) => i.responses.every((r) => r.model !== "alpha"))).toBe(true);
    // The retry right after leaves the failed contestant out.
    const retry = await startBattle({ actor, campaignId: campaign.id, input: { prompt: "hello again" } });
    const row = await getPrisma().battle.findUniqueOrThrow({ where: { id: retry.battleId } });
    expect(row.contestantNames).not.toContain("alpha");
    await collect(await streamBattle({ actor, battleId: retry.battleId }));
  });

  it("a slow contestant within its timeout is waited for; one that never finishes times out and voids the battle", async () => {
    script((name) => (name === "charlie" ? streamWith("slow but sure answer", { tokenDelayMs: 150 }) : streamWith("quick answer", { tokenDelayMs: 1 })));
    // Only alpha and charlie: every battle has the slow one.
    const config = liveConfig();
    config.live!.contestants = config.live!.contestants.filter((c) => c.name !== "bravo");
    const slow = await setup(config);
    const started = await startBattle({ actor: slow.actor, campaignId: slow.campaign.id, input: { prompt: "take your time" } });
    const t0 = Date.now();
    const events = await collect(await streamBattle({ actor: slow.actor, battleId: started.battleId }));
    expect(Date.now() - t0).toBeGreaterThanOrEqual(400);
    expect(events.at(-1)?.event).toBe("ready");

    script((name) => (name === "charlie" ? streamWith("never ends", { tokenDelayMs: 5, stallAfter: 1 }) : streamWith("quick answer", { tokenDelayMs: 1 })));
    const hung = await startBattle({ actor: slow.actor, campaignId: slow.campaign.id, input: { prompt: "and now?" } });
    const t1 = Date.now();
    const hungEvents = await collect(await streamBattle({ actor: slow.actor, battleId: hung.battleId }));
    expect(Date.now() - t1).toBeGreaterThanOrEqual(1_900);
    expect(hungEvents.at(-1)).toMatchObject({ event: "error", data: { code: "timeout" } });
    // The stalled stream showed its first token before it was voided.
    expect(hungEvents.some((e) => e.event === "delta" && e.data.text.includes("never"))).toBe(true);
    expect(await getPrisma().item.count({ where: { campaignId: slow.campaign.id } })).toBe(1);
  });

  it("limits: prompt length and emptiness (422), battles per minute (429), pool-only campaigns, other users' battles (404), annotators never see contestants", async () => {
    script(() => streamWith("ok", { tokenDelayMs: 1 }));
    const { campaign, actor } = await setup(liveConfig({ battlesPerMinute: 2 }));
    await expect(startBattle({ actor, campaignId: campaign.id, input: { prompt: "x".repeat(201) } })).rejects.toMatchObject({ code: "unprocessable" });
    await expect(startBattle({ actor, campaignId: campaign.id, input: { prompt: "   " } })).rejects.toMatchObject({ code: "unprocessable" });
    await expect(startBattle({ actor, campaignId: campaign.id, input: {} })).rejects.toMatchObject({ code: "unprocessable" });
    const first = await startBattle({ actor, campaignId: campaign.id, input: { prompt: "one" } });
    await startBattle({ actor, campaignId: campaign.id, input: { messages: [{ role: "user", content: "two" }] } });
    await expect(startBattle({ actor, campaignId: campaign.id, input: { prompt: "three" } })).rejects.toMatchObject({ code: "rate_limited" });

    const other = await createTestUser({ role: "annotator" });
    await addMembers(campaign.id, [other]);
    await expect(getBattle({ actor: actorFor(other), battleId: first.battleId })).rejects.toMatchObject({ code: "not_found" });
    const seen = await getCampaign({ actor, campaignId: campaign.id });
    expect(JSON.stringify(seen)).not.toMatch(/alpha|bravo|charlie|127\.0\.0\.1/);

    const pool = await createTestCampaign({
      admin,
      taskType: "pairwise",
      config: liveConfig({ promptSource: "pool" }),
      items: [
        {
          externalId: "p1",
          prompt: "Pool prompt one",
          responses: [
            { externalId: "a", content: "x" },
            { externalId: "b", content: "y" },
          ],
        },
      ],
    });
    await addMembers(pool.id, [other]);
    await expect(startBattle({ actor: actorFor(other), campaignId: pool.id, input: { prompt: "mine" } })).rejects.toMatchObject({ code: "unprocessable" });
    const pooled = await startBattle({ actor: actorFor(other), campaignId: pool.id, input: {} });
    await collect(await streamBattle({ actor: actorFor(other), battleId: pooled.battleId }));
    const row = await getPrisma().battle.findUniqueOrThrow({ where: { id: pooled.battleId } });
    expect(row.prompt).toBe("Pool prompt one");
  });

  it("flags an answer that names its model; K-wise campaigns battle with K contestants", async () => {
    script((name) => streamWith(name === "bravo" ? "As ChatGPT, I think so." : "I think so.", { tokenDelayMs: 1 }));
    const { campaign, actor } = await setup(liveConfig({ k: 3 }), "kwise");
    const started = await startBattle({ actor, campaignId: campaign.id, input: { prompt: "Who are you?" } });
    expect(started.candidates).toHaveLength(3);
    await collect(await streamBattle({ actor, battleId: started.battleId }));
    const row = await getPrisma().battle.findUniqueOrThrow({ where: { id: started.battleId } });
    expect(row.status).toBe("ready");
    expect(row.flagged).toBe(true);
    expect(row.flagReasons).toMatchObject([{ reason: "self_identification" }]);

    // The vote is kept, but the leaderboard leaves it out unless asked to count flagged battles.
    const [a, b, c] = started.candidates.map((x) => x.id);
    const vote = await submitJudgmentOrBattleVote({
      actor,
      assignmentId: started.assignmentId,
      idempotencyKey: "kwise-vote-01",
      input: { ranking: [[a], [b], [c]] },
    });
    expect(vote.revealed).toHaveLength(3);
    const staff = actorFor(admin);
    const board = await getCampaignLeaderboard({ actor: staff, campaignId: campaign.id });
    expect(board.comparisons).toBe(0);
    expect(board.live).toMatchObject({ flaggedVotesLeftOut: 1, includeFlagged: false });
    expect(board.live!.battles).toEqual(expect.arrayContaining(NAMES.map((model) => ({ model, battles: 1, flagged: 1, voted: 1 }))));
    const all = await getCampaignLeaderboard({ actor: staff, campaignId: campaign.id, query: { includeFlagged: "true" } });
    expect(all.comparisons).toBe(3);
    expect(all.entries.map((e) => e.battles)).toEqual([1, 1, 1]);
  });

  it("an admin tests a contestant with a prompt before saving it: the answer, or why it failed; annotators may not", async () => {
    script((name) => (name === "alpha" ? streamWith("Hello there, friend.", { tokenDelayMs: 5 }) : failWith(401)));
    const { campaign, actor } = await setup();
    const contestant = (name: string) => ({ name, baseUrl: servers[name]!.baseUrl, model: `org/${name}` });
    const ok = await tryContestant({ actor: actorFor(admin), campaignId: campaign.id, input: { contestant: contestant("alpha"), prompt: "Say hello" } });
    expect(ok).toMatchObject({ ok: true, content: "Hello there, friend.", finishReason: "stop", completionTokens: 3 });
    const failed = await tryContestant({ actor: actorFor(admin), campaignId: campaign.id, input: { contestant: contestant("bravo") } });
    expect(failed).toMatchObject({ ok: false, code: "upstream_status" });
    await expect(tryContestant({ actor, campaignId: campaign.id, input: { contestant: contestant("alpha") } })).rejects.toMatchObject({ code: "forbidden" });
    await expect(
      tryContestant({ actor: actorFor(admin), campaignId: campaign.id, input: { contestant: { ...contestant("alpha"), baseUrl: "http://10.0.0.7/v1" } } }),
    ).rejects.toMatchObject({ code: "unprocessable" });
  });
});
