/**
 * Live-battle benchmark (BENCHMARKS.md, "Live battles").
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx scripts/bench/battles.ts [--annotators 50] [--seconds 20] [--tokens 40] [--token-ms 20]
 *
 * Every contestant is the local OpenAI-compatible test server, streaming `--tokens` tokens one
 * every `--token-ms` ms (a fixed token rate). N annotators each loop: start a battle, follow its
 * event stream until `ready`, vote. Measured: time to first token (from the start request to the
 * first delta the annotator's stream yields) and battles/s. Baseline, same run, same server:
 * the time to first token of a bare streamed request to the test server, and the generation
 * time a battle cannot beat (tokens × token-ms). Core's use cases directly (no HTTP layer, no
 * browser): the figures are the server side's cost; a page adds its network and rendering.
 */
import os from "node:os";
import { parseArgs } from "node:util";
import { createThrowawayDatabase } from "@arbiter/db/testing";

const { values: args } = parseArgs({
  options: {
    annotators: { type: "string", default: "50" },
    seconds: { type: "string", default: "20" },
    tokens: { type: "string", default: "40" },
    "token-ms": { type: "string", default: "20" },
  },
});
const annotators = Number(args.annotators);
const seconds = Number(args.seconds);
const tokens = Number(args.tokens);
const tokenMs = Number(args["token-ms"]);

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
const summary = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { n: sorted.length, p50: Math.round(quantile(sorted, 0.5)), p95: Math.round(quantile(sorted, 0.95)), max: Math.round(sorted.at(-1) ?? NaN) };
};

async function main() {
  const serverUrl = process.env.DATABASE_URL;
  const database = await createThrowawayDatabase({ serverUrl, prefix: "arbiter_bench_battles", localOnly: true, migrate: true });
  process.env.ARBITER_EMBEDDED_DB = database.embedded ? "1" : "0";
  process.env.DATABASE_URL = database.url;
  process.env.ARBITER_ALLOWED_HOSTS = "127.0.0.1";
  const { resetConfigCache } = await import("@arbiter/config");
  resetConfigCache();
  const { disconnectPrisma, getPrisma } = await import("@arbiter/db");
  const { startOpenAITestServer, streamWith } = await import("@arbiter/judge/testing");
  const { startBattle, streamBattle, submitJudgmentOrBattleVote } = await import("@arbiter/core");
  const { actorFor, addMembers, createTestCampaign, createTestUser, createTestUsers } = await import("@arbiter/core/testing");

  const text = Array.from({ length: tokens }, (_, i) => `word${i}`).join(" ");
  const server = await startOpenAITestServer({ handler: () => streamWith(text, { tokenDelayMs: tokenMs }) });
  try {
    // Baseline: a bare streamed request's first token and whole answer, 20 times, one at a time.
    const bareFirst: number[] = [];
    const bareWhole: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now();
      const response = await fetch(`${server.baseUrl}/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model: "m", stream: true, messages: [{ role: "user", content: "hi" }] }),
      });
      const reader = response.body!.getReader();
      let first = 0;
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        if (!first && new TextDecoder().decode(value).includes('"content":"word0"')) first = performance.now() - t0;
      }
      bareFirst.push(first);
      bareWhole.push(performance.now() - t0);
    }

    const admin = await createTestUser({ role: "admin" });
    const campaign = await createTestCampaign({
      admin,
      taskType: "pairwise",
      config: {
        overlap: 1,
        goldRate: 0,
        live: {
          promptSource: "annotator",
          battlesPerMinute: 600,
          contestants: ["m1", "m2", "m3", "m4"].map((name) => ({ name, baseUrl: server.baseUrl, model: name, maxConcurrency: 256, timeoutMs: 60_000 })),
        },
      },
    });
    const users = await createTestUsers(annotators, { role: "annotator", prefix: "bench-battle" });
    await addMembers(campaign.id, users);

    const firstToken: number[] = [];
    const whole: number[] = [];
    let battles = 0;
    let failures = 0;
    const deadline = performance.now() + seconds * 1000;
    const started = performance.now();
    await Promise.all(
      users.map(async (user, u) => {
        const actor = actorFor(user);
        for (let round = 0; performance.now() < deadline; round++) {
          const t0 = performance.now();
          try {
            const battle = await startBattle({ actor, campaignId: campaign.id, input: { prompt: `annotator ${u} round ${round}` } });
            let first = 0;
            let ready = false;
            for await (const event of await streamBattle({ actor, battleId: battle.battleId })) {
              if (event.event === "delta" && event.data.text && !first) first = performance.now() - t0;
              if (event.event === "ready") ready = true;
            }
            if (!ready) throw new Error("battle void");
            await submitJudgmentOrBattleVote({
              actor,
              assignmentId: battle.assignmentId,
              idempotencyKey: `bench-${u}-${round}`,
              input: { winner: battle.candidates[0]!.id },
            });
            firstToken.push(first);
            whole.push(performance.now() - t0);
            battles++;
          } catch (error) {
            failures++;
            if (failures < 5) console.error(error);
          }
        }
      }),
    );
    const elapsed = (performance.now() - started) / 1000;
    const stored = await getPrisma().battle.count({ where: { campaignId: campaign.id, status: "ready" } });
    const votes = await getPrisma().judgment.count({ where: { campaignId: campaign.id } });
    console.log(
      JSON.stringify(
        {
          date: new Date().toISOString().slice(0, 10),
          machine: `${os.cpus().length} cores, ${os.cpus()[0]?.model ?? "?"}`,
          load: os.loadavg().map((l) => l.toFixed(2)),
          database: database.embedded ? "embedded PGlite" : "PostgreSQL server",
          tokenRate: `${tokens} tokens, one every ${tokenMs} ms`,
          annotators,
          seconds: Number(elapsed.toFixed(1)),
          baseline: { bareFirstTokenMs: summary(bareFirst), bareWholeAnswerMs: summary(bareWhole), generationFloorMs: tokens * tokenMs },
          battle: { firstTokenMs: summary(firstToken), wholeBattleWithVoteMs: summary(whole) },
          battlesPerSecond: Number((battles / elapsed).toFixed(1)),
          battles,
          failures,
          check: { readyBattlesStored: stored, votesStored: votes },
        },
        null,
        2,
      ),
    );
  } finally {
    await server.close();
    await disconnectPrisma();
    await database.drop();
  }
}

await main();
process.exit(0);
