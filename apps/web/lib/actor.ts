import { headers } from "next/headers";
import { getAuth } from "@arbiter/auth/server";
import { AppError, authenticateApiToken, type Actor } from "@arbiter/core";
import type { Role } from "@arbiter/db";

/** Bearer token first (scripts), else the better-auth session cookie (browser). */
export async function resolveActor(request: Pick<Request, "headers">): Promise<Actor | null> {
  const authorization = request.headers.get("authorization");
  if (authorization) {
    const match = /^Bearer\s+(.+)$/i.exec(authorization.trim());
    if (!match?.[1]) throw new AppError("unauthorized", "Authorization must be `Bearer <token>`.");
    return authenticateApiToken(match[1].trim());
  }
  return sessionActor(request.headers);
}

async function sessionActor(requestHeaders: Headers): Promise<Actor | null> {
  const session = await getAuth().api.getSession({ headers: requestHeaders });
  if (!session) return null;
  const user = session.user as typeof session.user & { role?: Role; disabled?: boolean };
  if (user.disabled) return null;
  return { userId: user.id, email: user.email, role: user.role ?? "annotator", via: "session", sessionId: session.session.id };
}

/** For server components: the signed-in user, or null. */
export async function getPageActor(): Promise<Actor | null> {
  return sessionActor(await headers());
}
