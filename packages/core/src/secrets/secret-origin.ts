import { redactUrl } from "@arbiter/outbound";
import { claimSecretOrigin, findSecretOrigin, type SecretDb as Db, type SecretRow } from "../store/secrets.ts";

/** Where llm-judge/ reads secrets from. */
export { findSecret } from "../store/secrets.ts";

/** `scheme://host:port` of a URL (default ports left out, as URL.origin writes it). */
export function originOf(url: string): string {
  return new URL(url).origin;
}

/** A stored secret is bound to another origin than the one it was about to be sent to. */
export class SecretOriginMismatchError extends Error {
  override readonly name = "SecretOriginMismatchError";
  readonly code = "secret_origin_mismatch";
  constructor(
    readonly secretName: string,
    readonly boundOrigin: string,
    readonly targetOrigin: string,
  ) {
    super(
      `The campaign secret "${secretName}" was stored for ${boundOrigin} and is never sent anywhere else; ` +
        `to use a key with ${redactUrl(targetOrigin)}, store it again for that endpoint (PUT …/secrets/${secretName} with "origin").`,
    );
  }
}

/**
 * Checks that a secret may be sent to `targetOrigin` and binds it on its first use. A secret's
 * origin is recorded when it is stored (or, for one stored before the judge had a base URL,
 * when it is first used: by saving judge settings, a judge test or a judge job); from then on it
 * goes to that origin only, until it is stored again. `fallbackOrigin` is the origin of the
 * campaign's saved judge settings when they name this secret: an unbound secret the saved
 * settings use belongs to their endpoint, not to whatever a test asks for first.
 * Throws SecretOriginMismatchError; returns the row's origin now.
 */
export async function bindSecretOrigin(db: Db, options: { row: SecretRow; targetOrigin: string; fallbackOrigin: string | null }): Promise<string> {
  const { row, targetOrigin } = options;
  let bound = row.origin;
  if (bound === null) {
    const claim = options.fallbackOrigin ?? targetOrigin;
    if (await claimSecretOrigin(db, row.id, claim)) bound = claim;
    else bound = (await findSecretOrigin(db, row.id)) ?? claim;
  }
  if (bound !== targetOrigin) throw new SecretOriginMismatchError(row.name, bound, targetOrigin);
  return bound;
}
