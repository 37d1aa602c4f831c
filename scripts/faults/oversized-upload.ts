import { request as httpRequest } from "node:http";
import { scratchDatabase } from "../lib/databases.ts";
import { createCampaign, tokenFor } from "../lib/fixtures.ts";
import { expectStatus, http } from "../lib/http-client.ts";
import { launchApp, type RunningApp } from "../lib/launch-app.ts";
import { finish, type FaultResult } from "./report.ts";

/**
 * Fault: uploads over the limits. An items file over 1 GiB (valid items first, then padding,
 * streamed with no declared length) must be refused with 413 and leave nothing behind — not
 * one of the valid items before the limit (the import is one transaction) — and the app must go
 * on serving. The same for JSON bodies over 1 MB (declared, chunked, and a declared length far
 * beyond the limit with only a few bytes sent).
 *
 *   npx tsx scripts/faults/oversized-upload.ts [--gib 1.05]
 */
const args = new Map<string, string>();
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) if (argv[i]!.startsWith("--")) args.set(argv[i]!.slice(2), argv[i + 1] ?? "");
const GIB = 1024 * 1024 * 1024;
const totalBytes = Math.round(Number(args.get("gib") ?? 1.05) * GIB);

/** Streams `valid` item lines, then padding (one long line of spaces) up to `total` bytes, chunked. */
function streamUpload(
  app: RunningApp,
  path: string,
  token: string,
  valid: string[],
  total: number,
): Promise<{ status: number; body: string; sent: number; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = httpRequest(
      new URL(path, app.baseUrl),
      { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/x-ndjson", "transfer-encoding": "chunked" } },
      (res) => {
        answered = true;
        let body = "";
        res.on("data", (d: Buffer) => (body += d.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body, sent, ms: performance.now() - started }));
      },
    );
    req.on("error", (error) => (answered ? undefined : reject(error)));
    const head = Buffer.from(valid.join("\n") + "\n");
    const pad = Buffer.alloc(4 * 1024 * 1024, 0x20);
    const pump = () => {
      if (sent === 0) {
        sent += head.length;
        if (!req.write(head)) return req.once("drain", pump);
      }
      while (sent < total && !answered) {
        const chunk = sent + pad.length > total ? pad.subarray(0, total - sent) : pad;
        sent += chunk.length;
        if (!req.write(chunk)) return req.once("drain", pump);
      }
      req.end();
    };
    pump();
  });
}

function rawJson(app: RunningApp, path: string, token: string, headers: Record<string, string>, chunks: string[], end = true): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      new URL(path, app.baseUrl),
      { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...headers } },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    for (const c of chunks) req.write(c);
    if (end) req.end();
  });
}

export async function runOversizedUpload(): Promise<FaultResult> {
  const db = await scratchDatabase("arbiter_fault_oversized");
  let app: RunningApp | undefined;
  try {
    app = await launchApp({ database: db });
    const token = await tokenFor(app.baseUrl, "admin@faults.local", "faults-admin-password");
    const campaign = await createCampaign({ baseUrl: app.baseUrl, adminToken: token, headers: {} }, { name: "oversized" });
    const itemCount = async () =>
      expectStatus(await http<{ progress: { itemCount: number } }>(app!.baseUrl, `/api/v1/campaigns/${campaign.id}`, { token }), 200, "campaign").progress
        .itemCount;
    const campaignsCount = async () => expectStatus(await http<unknown[]>(app!.baseUrl, "/api/v1/campaigns", { token }), 200, "campaigns").length;
    const valid = Array.from({ length: 2000 }, (_, i) =>
      JSON.stringify({ id: `big-${i}`, prompt: `Question ${i}`, responses: [{ content: "x" }, { content: "y" }] }),
    );

    const upload = await streamUpload(app, `/api/v1/campaigns/${campaign.id}/items?format=native`, token, valid, totalBytes);
    const itemsAfter = await itemCount();
    const healthy = (await http(app.baseUrl, "/api/health")).status === 200;
    const small = await http<{ imported: number }>(app.baseUrl, `/api/v1/campaigns/${campaign.id}/items?format=native`, {
      token,
      body: valid.slice(0, 10).join("\n"),
      headers: { "content-type": "application/x-ndjson" },
    });

    const before = await campaignsCount();
    const big = JSON.stringify({ name: "x".repeat(2_000_000), taskType: "pairwise" });
    const declared = (await http(app.baseUrl, "/api/v1/campaigns", { token, body: big, headers: { "content-type": "application/json" } })).status;
    const chunked = await rawJson(app, "/api/v1/campaigns", token, { "transfer-encoding": "chunked" }, [
      '{"name":"',
      "y".repeat(1_500_000),
      '","taskType":"pairwise"}',
    ]);
    const lying = await rawJson(app, "/api/v1/campaigns", token, { "content-length": String(10 * GIB) }, ['{"name":"'], false);
    const campaignsAfter = await campaignsCount();

    const checks = {
      "items file over 1 GiB: 413": upload.status === 413,
      "nothing partial: none of the valid items before the limit was kept": itemsAfter === 0,
      "the app goes on serving (health, a normal import)": healthy && small.status === 200 && small.data.imported === 10,
      "JSON over 1 MB: 413 with a declared length, chunked, and a declared 10 GiB": declared === 413 && chunked === 413 && lying === 413,
      "no campaign created by a refused body": campaignsAfter === before,
    };
    return {
      name: "oversized-upload",
      ok: Object.values(checks).every(Boolean),
      checks,
      figures: {
        uploadBytesSent: upload.sent,
        uploadSeconds: Number((upload.ms / 1000).toFixed(1)),
        uploadMBps: Number((upload.sent / 1e6 / (upload.ms / 1000)).toFixed(0)),
        uploadStatus: upload.status,
        uploadAnswer: upload.body.slice(0, 200),
        validItemsBeforeLimit: valid.length,
        itemsAfter,
        jsonStatuses: { declared, chunked, declared10GiB: lying },
      },
    };
  } finally {
    await app?.stop().catch(() => undefined);
    await db.drop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) finish(runOversizedUpload);
