import { randomUUID } from "node:crypto";
import pg from "pg";
import { createCampaign, createUser, importItems, pagedJudgments, rawExport, tokenFor, type Fixture } from "../lib/fixtures.ts";

export interface Scenario {
  adminToken: string;
  campaignId: string;
  tokens: string[];
  fixture: Fixture;
}

/** An active pairwise campaign with `items` items and `annotators` members with tokens, made through the API. */
export async function setUpCampaign(options: {
  baseUrl: string;
  annotators: number;
  items: number;
  overlap: number;
  leaseMinutes?: number;
  admin?: { email: string; password: string };
  /**
   * Headers for each token request (e.g. an X-Forwarded-For of its own): with rate limits on,
   * POST /api/v1/tokens allows 10 a minute per client address.
   */
  clientAddress?: () => Record<string, string>;
}): Promise<Scenario> {
  const admin = options.admin ?? { email: "admin@faults.local", password: "faults-admin-password" };
  const address = options.clientAddress ?? (() => ({}));
  const adminToken = await tokenFor(options.baseUrl, admin.email, admin.password, address());
  const fixture: Fixture = { baseUrl: options.baseUrl, adminToken, headers: {} };
  const run = randomUUID().slice(0, 8);
  const campaign = await createCampaign(fixture, {
    name: `load ${run}`,
    config: { overlap: options.overlap, goldRate: 0, ...(options.leaseMinutes ? { leaseMinutes: options.leaseMinutes } : {}) },
  });
  for (let start = 0; start < options.items; start += 5000) await importItems(fixture, campaign.id, Math.min(5000, options.items - start), `i${start}`);
  const tokens: string[] = new Array(options.annotators);
  let next = 0;
  // Four at a time: each account and token costs a password hash on the server.
  await Promise.all(
    Array.from({ length: Math.min(4, options.annotators) }, async () => {
      for (let i = next++; i < options.annotators; i = next++) {
        const email = `ann${i}-${run}@load.local`;
        await createUser(fixture, { email, role: "annotator", password: "annotator-pass", campaignId: campaign.id });
        tokens[i] = await tokenFor(options.baseUrl, email, "annotator-pass", address());
      }
    }),
  );
  return { adminToken, campaignId: campaign.id, tokens, fixture };
}

export interface Integrity {
  ok: boolean;
  acknowledged: number;
  exported: number;
  paged: number;
  database: number;
  /** Acknowledged but not in the export (must be 0: a lost judgment). */
  missing: number;
  /** In the export more than once (must be 0). */
  duplicated: number;
  /** In the export but never acknowledged: only allowed for submissions whose answer was lost. */
  unacknowledged: number;
  unansweredSubmissions: number;
  exportMatchesPagedApi: boolean;
  exportMatchesDatabase: boolean;
  itemsOverOverlap: number;
  duplicateItemAnnotatorPairs: number;
  itemCounterMismatches: number;
  maxHumanPerItem: number;
}

/**
 * Exactly-once, three ways: the raw export (the dataset a researcher downloads), the paged
 * judgment API and the database must hold the same judgments; every acknowledged one exactly
 * once; none beyond an item's overlap; one per (item, annotator); item counters = rows.
 */
export async function verifyIntegrity(options: {
  baseUrl: string;
  adminToken: string;
  campaignId: string;
  databaseUrl: string;
  overlap: number;
  acknowledged: string[];
  pending: number;
}): Promise<Integrity> {
  const rows = await rawExport(options.baseUrl, options.adminToken, options.campaignId, "human");
  const paged = await pagedJudgments(options.baseUrl, options.adminToken, options.campaignId);
  const exactly = checkExactlyOnce(options.acknowledged, rows);
  const exportIds = new Set(rows.map((r) => r.id));
  const pagedIds = new Set(paged.map((r) => r.id));
  const client = new pg.Client({ connectionString: options.databaseUrl });
  await client.connect();
  try {
    const dbIds = new Set(
      (await client.query<{ id: string }>("SELECT id FROM judgments WHERE campaign_id = $1 AND source = 'human'", [options.campaignId])).rows.map((r) => r.id),
    );
    const perItem = new Map<string, number>();
    const pairs = new Set<string>();
    let duplicatePairs = 0;
    for (const row of rows) {
      perItem.set(row.itemId, (perItem.get(row.itemId) ?? 0) + 1);
      const pair = `${row.itemId}\u0000${row.annotator}`;
      if (pairs.has(pair)) duplicatePairs++;
      pairs.add(pair);
    }
    const counters = await client.query<{ n: string }>(
      `SELECT count(*) AS n FROM items i WHERE i.campaign_id = $1 AND i.human_count <> (SELECT count(*) FROM judgments j WHERE j.item_id = i.id AND j.source = 'human')`,
      [options.campaignId],
    );
    const maxHuman = Math.max(0, ...perItem.values());
    const result: Integrity = {
      ok: false,
      acknowledged: exactly.acknowledged,
      exported: rows.length,
      paged: paged.length,
      database: dbIds.size,
      missing: exactly.missing.length,
      duplicated: exactly.duplicated.length,
      unacknowledged: exactly.unexpected.length,
      unansweredSubmissions: options.pending,
      exportMatchesPagedApi: sameSet(exportIds, pagedIds) && paged.length === pagedIds.size,
      exportMatchesDatabase: sameSet(exportIds, dbIds),
      itemsOverOverlap: [...perItem.values()].filter((n) => n > options.overlap).length,
      duplicateItemAnnotatorPairs: duplicatePairs,
      itemCounterMismatches: Number(counters.rows[0]!.n),
      maxHumanPerItem: maxHuman,
    };
    result.ok =
      result.missing === 0 &&
      result.duplicated === 0 &&
      result.unacknowledged <= options.pending &&
      result.exportMatchesPagedApi &&
      result.exportMatchesDatabase &&
      result.itemsOverOverlap === 0 &&
      result.duplicateItemAnnotatorPairs === 0 &&
      result.itemCounterMismatches === 0;
    return result;
  } finally {
    await client.end();
  }
}

function sameSet(a: Set<string>, b: Set<string>): boolean {
  if (a.size !== b.size) return false;
  for (const x of a) if (!b.has(x)) return false;
  return true;
}

/**
 * Exactly-once: every acknowledged judgment id appears exactly once in `rows`, and nothing
 * appears that was never acknowledged (except ids listed in `maybe`: submissions whose answer
 * was lost to the fault, which may or may not have committed).
 */
function checkExactlyOnce(
  acknowledged: Iterable<string>,
  rows: Array<{ id: string }>,
  maybe: Iterable<string> = [],
): { acknowledged: number; exported: number; missing: string[]; duplicated: string[]; unexpected: string[] } {
  const ack = new Set(acknowledged);
  const maybeSet = new Set(maybe);
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(row.id, (counts.get(row.id) ?? 0) + 1);
  const missing = [...ack].filter((id) => !counts.has(id));
  const duplicated = [...counts].filter(([, n]) => n > 1).map(([id]) => id);
  const unexpected = [...counts.keys()].filter((id) => !ack.has(id) && !maybeSet.has(id));
  return { acknowledged: ack.size, exported: rows.length, missing, duplicated, unexpected };
}
