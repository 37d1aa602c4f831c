import { createHash } from "node:crypto";

/** How every link and token secret is stored (invites, password resets, API tokens): its SHA-256, never the secret. */
export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}
