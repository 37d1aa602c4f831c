import { describe, expect, it } from "vitest";
import { classifyDatabaseError } from "./database-errors.ts";

/** Shaped as Prisma 7 throws through @prisma/adapter-pg (copied from real errors; the integration test provokes them). */
function prismaError(code: string, cause: Record<string, unknown>, meta: Record<string, unknown> = {}) {
  return Object.assign(new Error("Invalid `prisma.x()` invocation"), {
    name: "PrismaClientKnownRequestError",
    code,
    meta: { ...meta, driverAdapterError: Object.assign(new Error("driver"), { name: "DriverAdapterError", cause }) },
  });
}
/** Shaped as `pg` throws (a DatabaseError). */
function pgError(code: string, fields: Record<string, unknown> = {}) {
  return Object.assign(new Error("pg"), { name: "error", code, severity: "ERROR", ...fields });
}

describe("classifyDatabaseError", () => {
  it("a unique violation is one case, whichever layer reports it, with the constraint it broke", () => {
    const unique = { originalCode: "23505", kind: "UniqueConstraintViolation", constraint: { index: "users_email_key" }, table: "users" };
    for (const error of [
      prismaError("P2002", unique, { modelName: "User" }),
      prismaError("P2010", unique),
      pgError("23505", { constraint: "users_email_key", table: "users" }),
    ]) {
      expect(classifyDatabaseError(error)).toMatchObject({ kind: "unique", sqlState: "23505", constraint: "users_email_key", table: "users" });
    }
    expect(classifyDatabaseError(prismaError("P2002", { kind: "UniqueConstraintViolation", constraint: { fields: ["email"] } }))).toMatchObject({
      kind: "unique",
      prismaCode: "P2002",
      target: ["email"],
    });
    expect(classifyDatabaseError(Object.assign(new Error("x"), { code: "P2002", meta: { target: ["email"] } }))).toEqual({
      kind: "unique",
      prismaCode: "P2002",
      target: ["email"],
    });
  });

  it("a missing referenced row and a missing record", () => {
    expect(classifyDatabaseError(prismaError("P2003", { originalCode: "23503", kind: "ForeignKeyConstraintViolation" }))?.kind).toBe("foreign_key");
    expect(classifyDatabaseError(pgError("23503", { constraint: "accounts_user_id_fkey" }))).toMatchObject({
      kind: "foreign_key",
      constraint: "accounts_user_id_fkey",
    });
    expect(classifyDatabaseError(Object.assign(new Error("x"), { code: "P2025" }))).toEqual({ kind: "not_found", prismaCode: "P2025" });
  });

  it("values the database cannot store say why", () => {
    expect(classifyDatabaseError(pgError("22001"))).toMatchObject({ kind: "bad_value", sqlState: "22001", reason: "A value is too long for its field." });
    expect(classifyDatabaseError(Object.assign(new Error("raw"), { code: "P2010", meta: { code: "22P05" } }))).toMatchObject({
      kind: "bad_value",
      sqlState: "22P05",
      prismaCode: "P2010",
    });
  });

  it("retry and unavailable", () => {
    expect(classifyDatabaseError(pgError("40P01"))?.kind).toBe("retry");
    expect(classifyDatabaseError(prismaError("P2034", { kind: "TransactionWriteConflict" }))?.kind).toBe("retry");
    expect(classifyDatabaseError(pgError("57P01"))?.kind).toBe("unavailable");
    expect(classifyDatabaseError(prismaError("P1001", { kind: "DatabaseNotReachable" }))?.kind).toBe("unavailable");
    expect(classifyDatabaseError(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }))?.kind).toBe("unavailable");
    expect(classifyDatabaseError(new Error("Connection terminated unexpectedly"))?.kind).toBe("unavailable");
  });

  it("leaves everything else alone; a Prisma code is never taken for a SQLSTATE, a PL/pgSQL one is kept", () => {
    expect(classifyDatabaseError(pgError("22012"))).toBeNull();
    expect(classifyDatabaseError(new TypeError("x is undefined"))).toBeNull();
    expect(classifyDatabaseError(null)).toBeNull();
    expect(classifyDatabaseError("23505")).toBeNull();
    expect(classifyDatabaseError(Object.assign(new Error("x"), { code: "P2002" }))?.sqlState).toBeUndefined();
    expect(classifyDatabaseError(pgError("P0001"))).toBeNull();
  });
});
