import { afterAll, describe, expect, inject, it } from "vitest";
import { disconnectPrisma, getPrisma, getRawDb, Prisma, rawTransaction } from "../src/index.ts";

afterAll(async () => {
  await disconnectPrisma();
});

/** The raw-SQL layer must read and write exactly what Prisma does, or the hot paths would drift from the rest. */
describe("raw SQL on the shared pool", () => {
  it("writes Dates as UTC and reads timestamps back as the same instant Prisma reads", async () => {
    const db = getRawDb();
    const at = new Date("2026-03-29T01:30:00.123Z"); // a DST switch in many zones
    const [row] = await db.$queryRaw<Array<{ id: bigint; createdAt: Date }>>`
      INSERT INTO audit_log (action, target_type, created_at) VALUES ('test.raw', 'test', ${at}) RETURNING id, created_at AS "createdAt"`;
    expect(row!.createdAt.toISOString()).toBe(at.toISOString());
    expect(typeof row!.id).toBe("bigint");
    const viaPrisma = await getPrisma().auditLog.findUniqueOrThrow({ where: { id: row!.id } });
    expect(viaPrisma.createdAt.toISOString()).toBe(at.toISOString());
  });

  it("reads uuid[] and json columns as arrays and objects, and takes Prisma.sql fragments", async () => {
    const db = getRawDb();
    const ids = ["7f1c1b1e-0000-4000-8000-000000000001", "7f1c1b1e-0000-4000-8000-000000000002"];
    const filter = Prisma.sql`WHERE true`;
    const [row] = await db.$queryRaw<Array<{ ids: string[]; doc: { a: number[] } }>>`SELECT ${ids}::uuid[] AS ids, '{"a":[1,2]}'::jsonb AS doc ${filter}`;
    expect(row).toEqual({ ids, doc: { a: [1, 2] } });
  });

  it("commits a transaction that resolves and rolls back one that throws", async () => {
    const count = async () => Number((await getRawDb().$queryRaw<Array<{ n: bigint }>>`SELECT count(*) AS n FROM audit_log WHERE action = 'test.tx'`)[0]!.n);
    await rawTransaction(async (tx) => {
      await tx.$executeRaw`INSERT INTO audit_log (action, target_type) VALUES ('test.tx', 'test')`;
    });
    expect(await count()).toBe(1);
    await expect(
      rawTransaction(async (tx) => {
        await tx.$executeRaw`INSERT INTO audit_log (action, target_type) VALUES ('test.tx', 'test')`;
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    expect(await count()).toBe(1);
    // A failed statement aborts the transaction; the connection goes back to the pool usable.
    await expect(rawTransaction((tx) => tx.$queryRaw`SELECT 1/0`)).rejects.toMatchObject({ code: "22012" });
    expect(await count()).toBe(1);
  });

  it.skipIf(inject("embeddedDb"))("prepares statements once per connection", async () => {
    const statements = await rawTransaction(async (tx) => {
      await tx.$queryRaw`SELECT ${1}::int AS prepared_probe`;
      return tx.$queryRaw<Array<{ statement: string }>>`SELECT statement FROM pg_prepared_statements`;
    });
    expect(statements.some((s) => s.statement.includes("prepared_probe"))).toBe(true);
  });
});
