import type { Role } from "@arbiter/db";
import { AppError } from "../errors.ts";

/** Who is asking: resolved from a session cookie or a bearer token by the web layer. */
export interface Actor {
  userId: string;
  email: string;
  role: Role;
  via: "session" | "token";
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
