import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { overrideEnvironment } from "@arbiter/config";
import { disconnectPrisma, getPrisma, type User } from "@arbiter/db";
import { failWith, replyWith, shownResponses, startOpenAITestServer, type OpenAITestServer, type RecordedRequest } from "@arbiter/judge/testing";
import { getJudgeSettings } from "../src/llm-judge/get-judge-settings.ts";
import { tryCampaignJudge } from "../src/llm-judge/try-campaign-judge.ts";
import { updateJudgeSettings } from "../src/llm-judge/update-judge-settings.ts";
import { deleteCampaignSecret } from "../src/secrets/delete-campaign-secret.ts";
import { listCampaignSecrets } from "../src/secrets/list-campaign-secrets.ts";
import { putCampaignSecret } from "../src/secrets/put-campaign-secret.ts";
import { readSecretValue } from "../src/secrets/read-secret-value.ts";
import { actorFor, addMembers, createTestCampaign, createTestUser, makePairwiseItems, uniqueSuffix, type TestCampaign } from "../src/testing/builders.ts";

let admin: User;
let server: OpenAITestServer;

let restoreEnvironment: () => void;
beforeAll(async () => {
  // The test server listens on 127.0.0.1, which the judge may reach only when it is listed.
  restoreEnvironment = overrideEnvironment({ ARBITER_ALLOWED_HOSTS: "127.0.0.1" });
  admin = await createTestUser({ role: "admin" });
  server = await startOpenAITestServer();
  server.setHandler(prefersCorrect);
});

afterAll(async () => {
  restoreEnvironment();
  await server.close();
  await disconnectPrisma();
});

function prefersCorrect(request: RecordedRequest) {
  const label = [...shownResponses(request)].find(([, text]) => text.startsWith("The answer is"))?.[0] ?? "A";
  return replyWith({ winner: label, confidence: 0.75, rationale: "correct sum" }, { usage: { prompt_tokens: 50, completion_tokens: 10 } });
}

async function campaignWithItems(items = 7): Promise<TestCampaign> {
  return createTestCampaign({ admin, taskType: "pairwise", config: { goldRate: 0 }, items: makePairwiseItems(items, { prefix: `s-${uniqueSuffix()}` }) });
}

const plaintext = () => `sk-test-${uniqueSuffix()}${uniqueSuffix()}`;

describe("campaign secrets", () => {
  it("are stored encrypted (AES-256-GCM) and never returned", async () => {
    const campaign = await campaignWithItems(1);
    const value = plaintext();
    const created = await putCampaignSecret({ actor: actorFor(admin), campaignId: campaign.id, name: "judge-key", input: { value } });
    expect(created).toMatchObject({ name: "judge-key", campaignId: campaign.id, replaced: false });
    expect(JSON.stringify(created)).not.toContain(value);

    const rows = await getPrisma().$queryRaw<Array<{ row: string; ciphertext: Buffer; iv: Buffer; auth_tag: Buffer }>>`
      SELECT row_to_json(s)::text AS row, s.ciphertext, s.iv, s.auth_tag FROM secrets s WHERE s.campaign_id = ${campaign.id}::uuid`;
    expect(rows).toHaveLength(1);
    const [row] = rows;
    for (const encoding of ["utf8", "hex", "base64"] as const) expect(row!.row).not.toContain(Buffer.from(value).toString(encoding));
    expect(Buffer.from(row!.ciphertext).includes(Buffer.from(value))).toBe(false);
    expect(row!.ciphertext.length).toBe(Buffer.byteLength(value));
    expect(row!.iv.length).toBe(12);
    expect(row!.auth_tag.length).toBe(16);
    expect(await readSecretValue({ campaignId: campaign.id, name: "judge-key" })).toBe(value);

    const listed = await listCampaignSecrets({ actor: actorFor(admin), campaignId: campaign.id });
    expect(listed.map((s) => s.name)).toEqual(["judge-key"]);
    expect(JSON.stringify(listed)).not.toContain(value);

    const next = plaintext();
    const replaced = await putCampaignSecret({ actor: actorFor(admin), campaignId: campaign.id, name: "judge-key", input: { value: next } });
    expect(replaced.replaced).toBe(true);
    const after = await getPrisma().secret.findMany({ where: { campaignId: campaign.id } });
    expect(after).toHaveLength(1);
    expect(Buffer.from(after[0]!.iv).equals(row!.iv)).toBe(false);
    expect(await readSecretValue({ campaignId: campaign.id, name: "judge-key" })).toBe(next);

    const audit = await getPrisma().auditLog.findMany({ where: { campaignId: campaign.id, targetType: "secret" } });
    expect(audit.map((a) => a.action).sort()).toEqual(["secret.create", "secret.replace"]);
    expect(JSON.stringify(audit, (_k, v) => (typeof v === "bigint" ? String(v) : v))).not.toMatch(new RegExp(`${value}|${next}`));
  });

  it("a ciphertext moved to another secret's row does not decrypt", async () => {
    const campaign = await campaignWithItems(1);
    await putCampaignSecret({ actor: actorFor(admin), campaignId: campaign.id, name: "one", input: { value: plaintext() } });
    await putCampaignSecret({ actor: actorFor(admin), campaignId: campaign.id, name: "two", input: { value: plaintext() } });
    const one = await getPrisma().secret.findFirstOrThrow({ where: { campaignId: campaign.id, name: "one" } });
    await getPrisma().secret.updateMany({
      where: { campaignId: campaign.id, name: "two" },
      data: { ciphertext: one.ciphertext, iv: one.iv, authTag: one.authTag },
    });
    await expect(readSecretValue({ campaignId: campaign.id, name: "two" })).rejects.toThrow();
  });

  it("only admins may write or delete them; researchers see names only; annotators nothing", async () => {
    const campaign = await campaignWithItems(1);
    const researcher = await createTestUser({ role: "researcher" });
    const annotator = await createTestUser({ role: "annotator" });
    await addMembers(campaign.id, [annotator]);
    await expect(putCampaignSecret({ actor: actorFor(researcher), campaignId: campaign.id, name: "k", input: { value: "x" } })).rejects.toMatchObject({
      code: "forbidden",
    });
    await expect(putCampaignSecret({ actor: actorFor(annotator), campaignId: campaign.id, name: "k", input: { value: "x" } })).rejects.toMatchObject({
      code: "forbidden",
    });
    await expect(putCampaignSecret({ actor: null, campaignId: campaign.id, name: "k", input: { value: "x" } })).rejects.toMatchObject({ code: "unauthorized" });
    await expect(listCampaignSecrets({ actor: actorFor(annotator), campaignId: campaign.id })).rejects.toMatchObject({ code: "forbidden" });
    await expect(putCampaignSecret({ actor: actorFor(admin), campaignId: campaign.id, name: "bad name!", input: { value: "x" } })).rejects.toMatchObject({
      code: "unprocessable",
    });
    await expect(putCampaignSecret({ actor: actorFor(admin), campaignId: campaign.id, name: "k", input: { value: "" } })).rejects.toMatchObject({
      code: "unprocessable",
    });
    await putCampaignSecret({ actor: actorFor(admin), campaignId: campaign.id, name: "k", input: { value: "x" } });
    expect(await listCampaignSecrets({ actor: actorFor(researcher), campaignId: campaign.id })).toHaveLength(1);
    await expect(deleteCampaignSecret({ actor: actorFor(researcher), campaignId: campaign.id, name: "k" })).rejects.toMatchObject({ code: "forbidden" });
    await deleteCampaignSecret({ actor: actorFor(admin), campaignId: campaign.id, name: "k" });
    expect(await listCampaignSecrets({ actor: actorFor(admin), campaignId: campaign.id })).toEqual([]);
    await expect(deleteCampaignSecret({ actor: actorFor(admin), campaignId: campaign.id, name: "k" })).rejects.toMatchObject({ code: "not_found" });
  });
});

describe("judge settings and the judge test", () => {
  it("keep the key a reference: a pasted key is refused, credentials in the URL are masked, the secret reaches the server only as a bearer token", async () => {
    const campaign = await campaignWithItems(7);
    const key = plaintext();
    await putCampaignSecret({ actor: actorFor(admin), campaignId: campaign.id, name: "openai", input: { value: key } });
    await expect(
      updateJudgeSettings({ actor: actorFor(admin), campaignId: campaign.id, input: { enabled: true, baseUrl: server.baseUrl, model: "m", apiKey: key } }),
    ).rejects.toMatchObject({ code: "unprocessable" });
    await expect(updateJudgeSettings({ actor: actorFor(admin), campaignId: campaign.id, input: { enabled: true, model: "m" } })).rejects.toMatchObject({
      code: "unprocessable",
    });

    const withCredentials = server.baseUrl.replace("http://", "http://user:hunter2@");
    const saved = await updateJudgeSettings({
      actor: actorFor(admin),
      campaignId: campaign.id,
      input: {
        enabled: true,
        baseUrl: withCredentials,
        model: "gpt-test",
        apiKeyRef: { secret: "openai" },
        pricing: { inputPer1kTokens: 0.01, outputPer1kTokens: 0.03 },
      },
    });
    expect(saved.settings?.baseUrl).not.toContain("hunter2");
    expect(saved.key).toEqual({ ref: { secret: "openai" }, description: 'the campaign secret "openai"' });
    const read = await getJudgeSettings({ actor: actorFor(await createTestUser({ role: "researcher" })), campaignId: campaign.id });
    expect(read.settings).toMatchObject({ enabled: true, model: "gpt-test", temperature: 0 });
    expect(read.settings?.promptVersion).toMatch(/^[0-9a-f]{16}$/);
    expect(JSON.stringify(read)).not.toContain(key);
    expect(JSON.stringify(read)).not.toContain("hunter2");
    // A routing pass was queued with the change.
    expect(await getPrisma().job.count({ where: { queue: "routing", payload: { path: ["campaignId"], equals: campaign.id } } })).toBe(1);

    // The stored settings point at a URL with credentials; test with the same settings minus those.
    await updateJudgeSettings({
      actor: actorFor(admin),
      campaignId: campaign.id,
      input: {
        enabled: true,
        baseUrl: server.baseUrl,
        model: "gpt-test",
        apiKeyRef: { secret: "openai" },
        pricing: { inputPer1kTokens: 0.01, outputPer1kTokens: 0.03 },
      },
    });
    const before = server.requests.length;
    const result = await tryCampaignJudge({ actor: actorFor(admin), campaignId: campaign.id, input: {} });
    const sent = server.requests.slice(before);
    expect(sent).toHaveLength(10);
    expect(sent.every((r) => r.headers.authorization === `Bearer ${key}`)).toBe(true);
    expect(JSON.stringify(result)).not.toContain(key);
    expect(result.items.map((i) => i.itemId)).toEqual(campaign.items.slice(0, 5).map((i) => i.externalId));
    for (const item of result.items) {
      expect(item).toMatchObject({
        ok: true,
        verdict: { winner: "a" },
        confidence: 0.75,
        orderConsistent: true,
        rationale: "correct sum",
        usage: { promptTokens: 100, completionTokens: 20, totalTokens: 120, requests: 2 },
      });
      expect(item.cost).toBeCloseTo(0.1 * 0.01 + 0.02 * 0.03, 10);
      expect(item.latencyMs).toBeGreaterThanOrEqual(0);
    }
    expect(result.totals).toMatchObject({ items: 5, succeeded: 5, usage: { totalTokens: 600 }, currency: "USD" });
    expect(result.totals.cost).toBeCloseTo(5 * (0.1 * 0.01 + 0.02 * 0.03), 10);
    expect(await getPrisma().judgment.count({ where: { campaignId: campaign.id } })).toBe(0);
  });

  it("tests unsaved settings on chosen items and reports each failing item's error", async () => {
    const campaign = await campaignWithItems(3);
    const settings = { enabled: true, baseUrl: server.baseUrl, model: "trial" };
    const ids = [campaign.items[2]!.externalId];
    const ok = await tryCampaignJudge({ actor: actorFor(admin), campaignId: campaign.id, input: { settings, itemIds: ids } });
    expect(ok.items).toMatchObject([{ itemId: ids[0], ok: true }]);
    expect(ok.totals.cost).toBeNull();

    server.enqueue(failWith(401, { message: "Incorrect API key provided" }), failWith(401, { message: "Incorrect API key provided" }));
    const unauthorized = await tryCampaignJudge({ actor: actorFor(admin), campaignId: campaign.id, input: { settings, itemIds: ids } });
    expect(unauthorized.items[0]).toMatchObject({ ok: false, error: { code: "unauthorized" } });
    expect(unauthorized.totals.succeeded).toBe(0);

    await expect(tryCampaignJudge({ actor: actorFor(admin), campaignId: campaign.id, input: { settings, itemIds: ["nope"] } })).rejects.toMatchObject({
      code: "not_found",
    });
    await expect(tryCampaignJudge({ actor: actorFor(admin), campaignId: campaign.id, input: {} })).rejects.toMatchObject({ code: "conflict" });
    await expect(
      tryCampaignJudge({ actor: actorFor(admin), campaignId: campaign.id, input: { settings: { ...settings, apiKeyRef: { env: "ARBITER_SECRET_KEY" } } } }),
    ).rejects.toMatchObject({
      code: "unprocessable",
      message: expect.stringMatching(/environment variable ARBITER_SECRET_KEY: it is not in ARBITER_JUDGE_KEY_ENV_ALLOWLIST/),
    });
    const researcher = await createTestUser({ role: "researcher" });
    await expect(tryCampaignJudge({ actor: actorFor(researcher), campaignId: campaign.id, input: { settings } })).rejects.toMatchObject({ code: "forbidden" });
  });
});
