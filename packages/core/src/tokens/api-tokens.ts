import { randomBytes } from "node:crypto";
import { z } from "zod";
import { getConfig } from "@arbiter/config";
import { hashPassword, verifyPassword } from "@arbiter/auth";
import { AppError, parseInput } from "../errors.ts";
import type { Actor } from "../access/actor.ts";
import { writeAudit } from "../audit/write-audit.ts";
import { hashSecret } from "../credentials/secret-hash.ts";
import { findTokenHolder, insertApiToken, touchApiToken } from "../store/tokens.ts";
import { inPrismaTransaction } from "../store/transaction.ts";
import { findUserForSignIn, lockUser } from "../store/users.ts";

export const TokenCreateInput = z
  .object({
    email: z.string().trim().toLowerCase().email(),
    password: z.string().min(1).max(200),
    name: z.string().trim().min(1).max(100).optional(),
    expiresInDays: z.number().min(0.01).max(3650).optional(),
    expiresInSeconds: z
      .number()
      .int()
      .min(1)
      .max(3650 * 86_400)
      .optional(),
  })
  .strict()
  .refine((input) => input.expiresInDays === undefined || input.expiresInSeconds === undefined, {
    message: "give expiresInDays or expiresInSeconds, not both",
    path: ["expiresInSeconds"],
  });

const TOKEN_PREFIX = "arb_";
const DAY_MS = 86_400_000;

/** How long a new token lives: what the request asks for, never longer than ARBITER_TOKEN_TTL_DAYS (the default). */
function tokenLifetimeMs(input: { expiresInDays?: number; expiresInSeconds?: number }): number {
  const maxDays = getConfig().ARBITER_TOKEN_TTL_DAYS;
  const askedMs =
    input.expiresInSeconds !== undefined ? input.expiresInSeconds * 1000 : input.expiresInDays !== undefined ? input.expiresInDays * DAY_MS : undefined;
  if (askedMs === undefined) return maxDays * DAY_MS;
  if (askedMs > maxDays * DAY_MS) {
    const path = input.expiresInSeconds !== undefined ? "expiresInSeconds" : "expiresInDays";
    throw new AppError("unprocessable", `A token lives at most ${maxDays} days on this server (ARBITER_TOKEN_TTL_DAYS).`, {
      details: [{ path, message: `at most ${maxDays} days` }],
    });
  }
  return askedMs;
}

/** Exchanges email + password for a bearer token; only its SHA-256 is stored, and it always expires. */
export async function createApiToken(options: { input: unknown }) {
  const input = parseInput(TokenCreateInput, options.input);
  const lifetimeMs = tokenLifetimeMs(input);
  const user = await findUserForSignIn(input.email);
  const hash = user?.passwordHash;
  // Same message and similar work whether or not the user exists (no account enumeration by timing).
  const ok = hash ? await verifyPassword(hash, input.password) : (await hashPassword(input.password), false);
  if (!user || !ok) throw new AppError("unauthorized", "Email or password is incorrect.");
  if (user.disabled) throw new AppError("forbidden", "This account is disabled.");
  const token = TOKEN_PREFIX + randomBytes(32).toString("base64url");
  const record = await inPrismaTransaction(async (tx) => {
    // Under the user's lock: a password changed or an account disabled since the check above wins.
    const locked = await lockUser(tx, user.id, "share");
    if (!locked || locked.passwordHash !== hash) throw new AppError("unauthorized", "Email or password is incorrect.");
    if (locked.disabled) throw new AppError("forbidden", "This account is disabled.");
    const expiresAt = new Date(Date.now() + lifetimeMs);
    const created = await insertApiToken(tx, {
      userId: user.id,
      name: input.name ?? "script",
      tokenHash: hashSecret(token),
      prefix: token.slice(0, 10),
      expiresAt,
    });
    await writeAudit(tx, {
      actorId: user.id,
      action: "token.create",
      targetType: "api_token",
      targetId: created.id,
      data: { expiresAt: expiresAt.toISOString() },
    });
    return created;
  });
  return { token, id: record.id, name: record.name, expiresAt: record.expiresAt.toISOString() };
}

const lastUsedWrites = new Map<string, number>();

/** Resolves a bearer token to its user; expired, revoked or unknown tokens are 401. One statement: every scripted request pays it. */
export async function authenticateApiToken(token: string): Promise<Actor> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) throw new AppError("unauthorized", "Invalid bearer token.");
  const now = new Date();
  const record = await findTokenHolder(hashSecret(token), now);
  if (!record || !record.usable) throw new AppError("unauthorized", "Invalid, expired or revoked bearer token.");
  if (record.disabled) throw new AppError("forbidden", "This account is disabled.");
  if ((lastUsedWrites.get(record.id) ?? 0) < now.getTime() - 60_000) {
    if (lastUsedWrites.size > 100_000) lastUsedWrites.clear();
    lastUsedWrites.set(record.id, now.getTime());
    await touchApiToken(record.id, now);
  }
  return { userId: record.userId, email: record.email, role: record.role, via: "token", tokenId: record.id };
}
