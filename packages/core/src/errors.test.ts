import { describe, expect, it } from "vitest";
import { AppError, translateDatabaseError } from "./errors.ts";

/** Shaped like Prisma 7's errors through @prisma/adapter-pg (meta.driverAdapterError.cause). */
function prismaError(code: string, cause: Record<string, unknown>, message = "Invalid `prisma.x()` invocation") {
  return Object.assign(new Error(message), { code, meta: { modelName: "X", driverAdapterError: Object.assign(new Error("driver"), { cause }) } });
}

describe("translateDatabaseError", () => {
  it("a value the database cannot store is the client's mistake (422), whichever way Prisma reports it", () => {
    for (const error of [
      prismaError("P2039", { originalCode: "22021", kind: "postgres" }),
      prismaError("P2007", { originalCode: "22P02", kind: "InvalidInputValue" }),
      prismaError("P2000", { originalCode: "22001", kind: "LengthMismatch" }),
      prismaError("P2039", { originalCode: "54001", kind: "postgres" }),
      Object.assign(new Error("raw query failed"), { code: "P2010", meta: { code: "22P05" } }),
    ]) {
      const translated = translateDatabaseError(error);
      expect(translated).toBeInstanceOf(AppError);
      expect(translated?.status).toBe(422);
    }
  });

  it("the database being down or restarting is 503 with retry-after", () => {
    for (const error of [
      prismaError("P1001", { kind: "DatabaseNotReachable" }),
      prismaError("P2039", { originalCode: "57P01", kind: "postgres" }),
      prismaError("P2039", { kind: "ConnectionClosed" }),
      Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }),
      new Error("Connection terminated unexpectedly"),
      new Error("timeout exceeded when trying to connect"),
    ]) {
      const translated = translateDatabaseError(error);
      expect(translated?.status, String(error)).toBe(503);
      expect(translated?.headers?.["retry-after"]).toBe("2");
    }
  });

  it("a deadlock or serialization failure is 503 with retry-after (the transaction may simply run again)", () => {
    for (const error of [
      Object.assign(new Error("Raw query failed. Code: `40P01`. Message: `deadlock detected`"), {
        code: "P2010",
        meta: {
          driverAdapterError: Object.assign(new Error("TransactionWriteConflict"), { cause: { originalCode: "40P01", kind: "TransactionWriteConflict" } }),
        },
      }),
      prismaError("P2034", { kind: "TransactionWriteConflict" }),
      prismaError("P2039", { originalCode: "40001", kind: "TransactionWriteConflict" }),
    ]) {
      const translated = translateDatabaseError(error);
      expect(translated?.status).toBe(503);
      expect(translated?.headers?.["retry-after"]).toBe("1");
    }
  });

  it("keeps the known Prisma codes and leaves anything else alone (a 500 for the caller to log)", () => {
    expect(translateDatabaseError(prismaError("P2002", {}))?.status).toBe(409);
    expect(translateDatabaseError(prismaError("P2025", {}))?.status).toBe(404);
    expect(translateDatabaseError(prismaError("P2039", { originalCode: "22012", kind: "postgres" }))).toBeNull();
    expect(translateDatabaseError(new TypeError("x is undefined"))).toBeNull();
    expect(translateDatabaseError(null)).toBeNull();
  });
});
