import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { classifyDatabaseError } from "./database-errors.ts";
import { disconnectPrisma, getPrisma, getRawDb, rawTransaction } from "./index.ts";

afterAll(async () => {
  await disconnectPrisma();
});

/** The error a promise rejects with (the test fails if it resolves). */
async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the statement to fail");
}

/** Real errors from the real database: what Prisma and pg actually throw, not shapes guessed at. */
describe("classifyDatabaseError against PostgreSQL", () => {
  it("a duplicate is `unique` through a Prisma model call (P2002), a Prisma raw query (P2010) and pg (23505)", async () => {
    const prisma = getPrisma();
    const email = `dup-${randomUUID()}@test.arbiter.local`;
    await prisma.user.create({ data: { id: randomUUID(), email, name: "dup", role: "annotator" } });
    const insert = (db: { $executeRaw: typeof prisma.$executeRaw }) =>
      db.$executeRaw`INSERT INTO users (id, email, name, role, updated_at) VALUES (${randomUUID()}, ${email}, 'dup', 'annotator', now())`;
    const errors = {
      model: await failure(prisma.user.create({ data: { id: randomUUID(), email, name: "dup", role: "annotator" } })),
      prismaRaw: await failure(insert(prisma)),
      prismaTransaction: await failure(prisma.$transaction((tx) => insert(tx))),
      pg: await failure(
        getRawDb().$executeRaw`INSERT INTO users (id, email, name, role, updated_at) VALUES (${randomUUID()}, ${email}, 'dup', 'annotator', now())`,
      ),
      pgTransaction: await failure(
        rawTransaction(
          (tx) => tx.$executeRaw`INSERT INTO users (id, email, name, role, updated_at) VALUES (${randomUUID()}, ${email}, 'dup', 'annotator', now())`,
        ),
      ),
    };
    expect((errors.model as { code?: unknown }).code).toBe("P2002");
    expect((errors.pg as { code?: unknown }).code).toBe("23505");
    for (const [layer, error] of Object.entries(errors)) {
      expect(classifyDatabaseError(error), layer).toMatchObject({ kind: "unique", sqlState: "23505", constraint: "users_email_key" });
    }
  });

  it("a missing referenced row is `foreign_key` both ways; a number out of range is `bad_value` both ways", async () => {
    const prisma = getPrisma();
    const fk = [
      await failure(prisma.account.create({ data: { id: randomUUID(), accountId: "x", providerId: "credential", userId: randomUUID() } })),
      await failure(
        getRawDb()
          .$executeRaw`INSERT INTO accounts (id, account_id, provider_id, user_id, updated_at) VALUES (${randomUUID()}, 'x', 'credential', ${randomUUID()}, now())`,
      ),
    ];
    for (const error of fk) expect(classifyDatabaseError(error)).toMatchObject({ kind: "foreign_key", sqlState: "23503" });
    const outOfRange = [
      await failure(prisma.$queryRaw`SELECT ${100_000}::int::smallint AS n`),
      await failure(getRawDb().$queryRaw`SELECT ${100_000}::int::smallint AS n`),
    ];
    for (const error of outOfRange) expect(classifyDatabaseError(error)).toMatchObject({ kind: "bad_value", sqlState: "22003" });
    expect(classifyDatabaseError(await failure(getRawDb().$queryRaw`SELECT 1/0`))).toBeNull();
  });
});
