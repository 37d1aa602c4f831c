import { getPrisma, getRawDb, rawTransaction, type Prisma, type RawDb, type RawTx } from "@arbiter/db";

/**
 * Transactions for use cases. A use case opens one, keeps its rules (ownership, status, expiry,
 * gold, hooks) in the callback, and hands `tx` to store functions — it never runs SQL on it.
 */
export type Tx = RawDb;
/** A `pg` transaction that can also bulk-write with COPY (store/items.ts: imports). */
export type CopyTx = RawTx;
/** A Prisma interactive transaction, for store functions written with Prisma's model API. */
export type PrismaTx = Prisma.TransactionClient;

/** One `pg` transaction (see rawTransaction: `prelude` is sent with BEGIN, trusted literals only). */
export function inTransaction<T>(work: (tx: CopyTx, prelude: Array<Record<string, unknown>>) => Promise<T>, options: { prelude?: string } = {}): Promise<T> {
  return rawTransaction(work, options);
}

/** One Prisma interactive transaction. */
export function inPrismaTransaction<T>(
  work: (tx: PrismaTx) => Promise<T>,
  options?: { timeout?: number; maxWait?: number; isolationLevel?: Prisma.TransactionIsolationLevel },
): Promise<T> {
  return getPrisma().$transaction(work, options);
}

/** The pool outside any transaction, for single statements. */
export function db(): Tx {
  return getRawDb();
}
