import { hashPassword as hash, verifyPassword as verify } from "better-auth/crypto";

/** better-auth's scrypt hashing, so passwords set by admins and by sign-up are interchangeable. */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  return verify({ hash: passwordHash, password });
}
