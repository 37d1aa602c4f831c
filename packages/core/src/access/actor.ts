import type { Role } from "@arbiter/db";
import { AppError } from "../errors.ts";

/** Who is asking: resolved from a session cookie or a bearer token by the web layer. */
export interface Actor {
  userId: string;
  email: string;
  role: Role;
  via: "session" | "token";
  /** The better-auth session this request came with (`via: "session"`): a password change keeps it and ends the others. */
  sessionId?: string;
  /** The API token this request came with (`via: "token"`): the token list marks it as the current one. */
  tokenId?: string;
}

export function requireRole(actor: Actor | null, ...roles: Role[]): Actor {
  if (!actor) throw new AppError("unauthorized", "Sign in or send a bearer token.");
  if (!roles.includes(actor.role)) throw new AppError("forbidden", `This needs the ${roles.join(" or ")} role.`);
  return actor;
}

export function requireActor(actor: Actor | null): Actor {
  if (!actor) throw new AppError("unauthorized", "Sign in or send a bearer token.");
  return actor;
}
