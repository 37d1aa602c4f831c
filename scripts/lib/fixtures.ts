import { expectStatus, http, type HttpResult } from "./http-client.ts";

/**
 * Accounts, campaigns and items made through a running app's public API, and the judgments
 * read back through it: the setup of the HTTP tests, the benchmarks and the fault scripts.
 */

export interface Fixture {
  baseUrl: string;
  adminToken: string;
  /** Extra headers for every setup call (e.g. a client address of its own for the rate limiters). */
  headers: Record<string, string>;
}

export async function tokenFor(baseUrl: string, email: string, password: string, headers: Record<string, string> = {}): Promise<string> {
  return expectStatus(await http<{ token: string }>(baseUrl, "/api/v1/tokens", { body: { email, password }, headers }), 201, `token for ${email}`).token;
}

export async function createUser(
  f: Fixture,
  options: { email: string; role: "admin" | "researcher" | "annotator"; password: string; campaignId?: string },
): Promise<{ id: string }> {
  return expectStatus(
    await http<{ id: string }>(f.baseUrl, "/api/v1/users", { token: f.adminToken, headers: f.headers, body: options }),
    201,
    `create user ${options.email}`,
  );
}

export async function createCampaign(
  f: Fixture,
  options: { name: string; taskType?: "pairwise" | "kwise" | "rationale"; status?: "draft" | "active"; config?: Record<string, unknown> },
): Promise<{ id: string }> {
  return expectStatus(
    await http<{ id: string }>(f.baseUrl, "/api/v1/campaigns", {
      token: f.adminToken,
      headers: f.headers,
      body: { taskType: "pairwise", status: "active", config: { overlap: 3, goldRate: 0 }, ...options },
    }),
    201,
    `create campaign ${options.name}`,
  );
}

/** Imports `count` simple pairwise items (ids `${prefix}-${i}`, models m1 / m2). */
export async function importItems(f: Fixture, campaignId: string, count: number, prefix = "item"): Promise<number> {
  const lines = Array.from({ length: count }, (_, i) =>
    JSON.stringify({
      id: `${prefix}-${i}`,
      prompt: `Question ${i}: which answer is better?`,
      responses: [
        { id: "a", content: `Answer one to ${i}.`, model: "m1" },
        { id: "b", content: `Answer two to ${i}, a bit longer.`, model: "m2" },
      ],
    }),
  ).join("\n");
  const result = await http<{ imported: number }>(f.baseUrl, `/api/v1/campaigns/${campaignId}/items?format=native`, {
    token: f.adminToken,
    headers: { ...f.headers, "content-type": "application/x-ndjson" },
    body: lines,
  });
  return expectStatus(result, 200, "import items").imported;
}

export async function addMember(f: Fixture, campaignId: string, userId: string): Promise<void> {
  expectStatus(
    await http(f.baseUrl, `/api/v1/campaigns/${campaignId}/members`, { token: f.adminToken, headers: f.headers, body: { userId } }),
    201,
    "add member",
  );
}

export interface RawExportRow {
  id: string;
  itemId: string;
  source: string;
  annotator: string | null;
  judgeModel: string | null;
  verdict: string;
  createdAt: string;
}

/** The campaign's raw export (JSONL, one row per judgment). */
export async function rawExport(baseUrl: string, token: string, campaignId: string, source: "human" | "judge" | "all" = "all"): Promise<RawExportRow[]> {
  const result = await http<string>(baseUrl, `/api/v1/campaigns/${campaignId}/export?format=raw&source=${source}&file=jsonl`, { token, timeoutMs: 300_000 });
  if (result.status !== 200) throw new Error(`raw export: ${result.status} ${result.text.slice(0, 300)}`);
  return result.text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as RawExportRow);
}

/** Every judgment through the paged judgment browser (a second, independent read path). */
export async function pagedJudgments(baseUrl: string, token: string, campaignId: string): Promise<Array<{ id: string; itemId: string }>> {
  const out: Array<{ id: string; itemId: string }> = [];
  let cursor: string | null = null;
  for (let page = 0; page < 100_000; page++) {
    const query: string = `limit=200&source=all${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
    const result: HttpResult<{ judgments: Array<{ id: string; itemId: string }>; nextCursor: string | null }> = await http(
      baseUrl,
      `/api/v1/campaigns/${campaignId}/judgments?${query}`,
      { token },
    );
    const data = expectStatus(result, 200, "judgments page");
    out.push(...data.judgments);
    if (!data.nextCursor) break;
    cursor = data.nextCursor;
  }
  return out;
}
