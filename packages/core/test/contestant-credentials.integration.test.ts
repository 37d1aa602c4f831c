import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { overrideEnvironment } from "@arbiter/config";
import { disconnectPrisma, getPrisma, type User } from "@arbiter/db";
import { startOpenAITestServer, streamWith, type OpenAITestServer } from "@arbiter/judge/testing";
import { tryContestant } from "../src/battles/try-contestant.ts";
import { getCampaign } from "../src/campaigns/get-campaign.ts";
import { updateCampaign } from "../src/campaigns/update-campaign.ts";
import type { LiveConfig } from "../src/campaign-config/live-config.ts";
import { putCampaignSecret } from "../src/secrets/put-campaign-secret.ts";
import { actorFor, createTestCampaign, createTestUser } from "../src/testing/builders.ts";

/**
 * Issue 19 leftovers: contestant keys and URLs follow the judge's stored-credentials path. A base
 * URL read back redacted and saved unchanged keeps its stored credentials; a secret is bound to
 * its contestant's origin when saved; every message names the contestant, never "the judge".
 */

let admin: User;
let restoreEnvironment: () => void;
let alpha: OpenAITestServer;
let bravo: OpenAITestServer;

beforeAll(async () => {
  restoreEnvironment = overrideEnvironment({ ARBITER_ALLOWED_HOSTS: "127.0.0.1", ARBITER_JUDGE_KEY_ENV_ALLOWLIST: undefined });
  admin = await createTestUser({ role: "admin" });
  alpha = await startOpenAITestServer({ handler: () => streamWith("Hello from alpha.", { tokenDelayMs: 1 }) });
  bravo = await startOpenAITestServer({ handler: () => streamWith("Hello from bravo.", { tokenDelayMs: 1 }) });
});

afterAll(async () => {
  await Promise.all([alpha.close(), bravo.close()]);
  restoreEnvironment();
  await disconnectPrisma();
});

/** `http://user:pass@127.0.0.1:port/v1?api-key=…`: the credential-bearing parts redactUrl hides. */
function withCredentials(server: OpenAITestServer): string {
  const url = new URL(server.baseUrl);
  url.username = "svc";
  url.password = "hunter2";
  url.searchParams.set("api-key", "sk-in-the-url");
  return url.href;
}

async function liveCampaign() {
  return createTestCampaign({
    admin,
    taskType: "pairwise",
    config: {
      overlap: 1,
      live: {
        promptSource: "annotator",
        contestants: [
          { name: "alpha", baseUrl: withCredentials(alpha), model: "alpha-model", timeoutMs: 5_000 },
          { name: "bravo", baseUrl: bravo.baseUrl, model: "bravo-model", timeoutMs: 5_000 },
        ],
      },
    },
  });
}

async function storedLive(campaignId: string): Promise<LiveConfig> {
  const row = await getPrisma().campaign.findUniqueOrThrow({ where: { id: campaignId } });
  return (row.config as { live: LiveConfig }).live;
}

describe("contestant credentials", () => {
  it("keeps a contestant's stored URL when the list is saved back as read (redacted), and tests it with the stored URL", async () => {
    const campaign = await liveCampaign();
    const actor = actorFor(admin);
    const read = await getCampaign({ actor, campaignId: campaign.id });
    const readAlpha = read.config.live!.contestants[0]!;
    expect(readAlpha.baseUrl).not.toContain("hunter2");
    expect(readAlpha.baseUrl).toContain("REDACTED");

    // The contestants panel saves the whole list it was given, plus a change.
    const contestants = read.config.live!.contestants.map((c) => (c.name === "bravo" ? { ...c, maxOutputTokens: 77 } : c));
    await updateCampaign({ actor, campaignId: campaign.id, input: { config: { live: { ...read.config.live, contestants } } } });
    const stored = await storedLive(campaign.id);
    expect(stored.contestants[0]!.baseUrl).toBe(withCredentials(alpha));
    expect(stored.contestants[1]!.maxOutputTokens).toBe(77);

    // "Send a test prompt" on the saved contestant, as read: the request goes to the stored URL, credentials and all.
    const before = alpha.requests.length;
    const result = await tryContestant({ actor, campaignId: campaign.id, input: { contestant: readAlpha, prompt: "Hi" } });
    expect(result).toMatchObject({ ok: true, content: "Hello from alpha." });
    const sent = alpha.requests.slice(before).at(-1)!;
    // The stored user info travels as Basic auth: "REDACTED" would have been sent had the redacted URL been used.
    expect(sent.headers.authorization).toBe(`Basic ${Buffer.from("svc:hunter2").toString("base64")}`);
  });

  it("binds a contestant's secret to its origin on save, and refuses a secret stored for another endpoint — naming the contestant", async () => {
    const campaign = await liveCampaign();
    const actor = actorFor(admin);
    await putCampaignSecret({ actor, campaignId: campaign.id, name: "alpha-key", input: { value: "sk-alpha" } });
    await putCampaignSecret({ actor, campaignId: campaign.id, name: "elsewhere-key", input: { value: "sk-x", origin: "https://api.example.com" } });
    const read = await getCampaign({ actor, campaignId: campaign.id });
    const [a, b] = read.config.live!.contestants as [LiveConfig["contestants"][number], LiveConfig["contestants"][number]];

    await updateCampaign({
      actor,
      campaignId: campaign.id,
      input: { config: { live: { ...read.config.live, contestants: [{ ...a, apiKeyRef: { secret: "alpha-key" } }, b] } } },
    });
    const secret = await getPrisma().secret.findFirstOrThrow({ where: { campaignId: campaign.id, name: "alpha-key" } });
    expect(secret.origin).toBe(new URL(alpha.baseUrl).origin);

    const refused = updateCampaign({
      actor,
      campaignId: campaign.id,
      input: { config: { live: { ...read.config.live, contestants: [a, { ...b, apiKeyRef: { secret: "elsewhere-key" } }] } } },
    });
    await expect(refused).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringMatching(/^Contestant "bravo": The campaign secret "elsewhere-key" was stored for https:\/\/api\.example\.com/),
      details: [expect.objectContaining({ path: "live.contestants.1.apiKeyRef", reason: "secret_origin_mismatch" })],
    });
  });

  it("says contestant, not judge, for a key variable not allowed, a missing key and a refused host", async () => {
    const campaign = await liveCampaign();
    const actor = actorFor(admin);
    const read = await getCampaign({ actor, campaignId: campaign.id });
    const [a, b] = read.config.live!.contestants as [LiveConfig["contestants"][number], LiveConfig["contestants"][number]];

    const envKey = updateCampaign({
      actor,
      campaignId: campaign.id,
      input: { config: { live: { ...read.config.live, contestants: [a, { ...b, apiKeyRef: { env: "SOME_KEY" } }] } } },
    });
    await expect(envKey).rejects.toMatchObject({
      code: "unprocessable",
      message: expect.stringMatching(/^Contestant "bravo": A contestant key may not be read from the environment variable SOME_KEY/),
    });

    const host = updateCampaign({
      actor,
      campaignId: campaign.id,
      input: { config: { live: { ...read.config.live, contestants: [a, { ...b, baseUrl: "http://10.1.2.3:8000/v1" }] } } },
    });
    await expect(host).rejects.toMatchObject({
      code: "unprocessable",
      message: expect.stringMatching(/^Contestant "bravo": The contestant's base URL is refused/),
    });

    const missing = await tryContestant({
      actor,
      campaignId: campaign.id,
      input: { contestant: { ...b, name: "new one", apiKeyRef: { secret: "no-such-secret" } } },
    });
    expect(missing).toEqual({
      ok: false,
      code: "missing_key",
      message: `The contestant's API key is missing: the campaign secret "no-such-secret" is not set.`,
    });
    for (const error of [await envKey.catch((e: Error) => e.message), await host.catch((e: Error) => e.message), JSON.stringify(missing)])
      expect(error).not.toMatch(/\bjudge\b|judge.s/i);
  });
});
