import { parquetWriteBuffer } from "hyparquet-writer";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { appDatabase, type AppDatabase } from "../../../scripts/lib/databases.ts";
import { createCampaign, tokenFor, type Fixture } from "../../../scripts/lib/fixtures.ts";
import { expectStatus, http } from "../../../scripts/lib/http-client.ts";
import { buildExists, launchApp, type RunningApp } from "../../../scripts/lib/launch-app.ts";

/**
 * Parquet through POST /api/v1/campaigns/:id/items on the production build: a file in row groups
 * imports whole; a wrong column type, a bad row in a later row group, or a body declared Parquet
 * that is not, is a 422 naming the row (and column) with nothing imported. Skipped without a build.
 */
const ADMIN = { email: "parquet-admin@example.org", password: "parquet-admin-password-1" };

interface ErrorBody {
  error: { code: string; message: string; details: Array<{ line: number; row?: number; message: string }> };
}

/** A trl file of `n` rows (string columns), `rowGroupSize` rows a group; `chosen` of row `badRow` (from 1) is null. */
function trlFile(n: number, options: { rowGroupSize?: number; badRow?: number; promptType?: "STRING" | "INT32" } = {}): Uint8Array {
  const rows = Array.from({ length: n }, (_, i) => i);
  const prompt =
    options.promptType === "INT32"
      ? { name: "prompt", data: rows, type: "INT32" as const }
      : { name: "prompt", data: rows.map((i) => `Parquet prompt ${i}?`), type: "STRING" as const };
  return new Uint8Array(
    parquetWriteBuffer({
      columnData: [
        prompt,
        { name: "chosen", data: rows.map((i) => (i + 1 === options.badRow ? null : `Yes ${i}`)), type: "STRING", nullable: true },
        { name: "rejected", data: rows.map((i) => `No ${i}`), type: "STRING" },
      ],
      rowGroupSize: options.rowGroupSize ?? 1000,
    }),
  );
}

describe.skipIf(!buildExists())("Parquet import over HTTP", () => {
  let database: AppDatabase;
  let app: RunningApp;
  let fixture: Fixture;

  beforeAll(async () => {
    database = await appDatabase({ embedded: inject("embeddedDb"), prefix: "arbiter_parquet" });
    app = await launchApp({ database, adminEmail: ADMIN.email, adminPassword: ADMIN.password, rateLimit: "off", baseEnv: process.env });
    fixture = { baseUrl: app.baseUrl, adminToken: await tokenFor(app.baseUrl, ADMIN.email, ADMIN.password), headers: {} };
  }, 240_000);

  afterAll(async () => {
    await app?.stop();
    await database?.drop();
  });

  const post = <T>(campaignId: string, body: Uint8Array, contentType = "application/vnd.apache.parquet", query = "") =>
    http<T>(app.baseUrl, `/api/v1/campaigns/${campaignId}/items${query}`, { token: fixture.adminToken, body, headers: { "content-type": contentType } });
  const itemCount = async (campaignId: string) =>
    expectStatus(
      await http<{ progress: { itemCount: number } }>(app.baseUrl, `/api/v1/campaigns/${campaignId}`, { token: fixture.adminToken }),
      200,
      "campaign",
    ).progress.itemCount;

  it("refuses bad files with 422 naming row and column, imports nothing, then imports a good file whole", async () => {
    const { id } = await createCampaign(fixture, { name: "Parquet over HTTP", status: "draft" });

    const laterRow = await post<ErrorBody>(id, trlFile(650, { rowGroupSize: 100, badRow: 612 }));
    expect(laterRow.status, laterRow.text).toBe(422);
    expect(laterRow.data.error.code).toBe("unprocessable");
    expect(laterRow.data.error.details).toEqual([{ line: 612, row: 612, message: "row 612: chosen: expected text or a list of {role, content} messages" }]);

    const wrongType = await post<ErrorBody>(id, trlFile(3, { promptType: "INT32" }));
    expect(wrongType.status, wrongType.text).toBe(422);
    expect(wrongType.data.error.details).toEqual([
      { line: 1, row: 1, message: expect.stringMatching(/^row 1: column "prompt" is int32; the trl layout needs/) },
    ]);

    const notParquet = await post<ErrorBody>(id, new TextEncoder().encode("prompt,chosen\nhello,world\n"));
    expect(notParquet.status, notParquet.text).toBe(422);
    expect(notParquet.data.error.details[0]?.message).toMatch(/^row 1: the file is not Parquet/);

    const truncated = trlFile(20);
    const cut = await post<ErrorBody>(id, truncated.subarray(0, truncated.byteLength - 20), "application/octet-stream");
    expect(cut.status, cut.text).toBe(422);
    expect(cut.data.error.details[0]?.message).toMatch(/^row 1: the Parquet file is cut short or corrupt/);
    expect(await itemCount(id)).toBe(0);

    // Detected by its magic bytes whatever the Content-Type says.
    const good = await post<{ imported: number; format: string }>(id, trlFile(650, { rowGroupSize: 100 }), "application/octet-stream");
    expect(good.status, good.text).toBe(200);
    expect(good.data).toMatchObject({ imported: 650, format: "trl" });
    expect(await itemCount(id)).toBe(650);
    expect(app.unexpectedErrors()).toEqual([]);
  }, 120_000);
});
