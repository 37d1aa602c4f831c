import { inPrismaTransaction } from "../store/transaction.ts";
import { findUserByEmail } from "../store/users.ts";
import { insertUser } from "./create-user.ts";

/** Creates the first admin from ARBITER_ADMIN_EMAIL / ARBITER_ADMIN_PASSWORD when that user does not exist yet. */
export async function ensureAdmin(options: { email?: string; password?: string }): Promise<"created" | "exists" | "skipped"> {
  if (!options.email || !options.password) return "skipped";
  const email = options.email.trim().toLowerCase();
  if (await findUserByEmail(email)) return "exists";
  await inPrismaTransaction((tx) => insertUser(tx, { email, role: "admin", name: "Administrator", password: options.password }));
  return "created";
}
