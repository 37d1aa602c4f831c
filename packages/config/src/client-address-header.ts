/**
 * The header the web server (`scripts/web-server.ts`) sets on every request to the client's
 * address as it resolved it (any copy a client sends is removed first). Our rate limits and
 * better-auth's read only this header.
 */
export const CLIENT_ADDRESS_HEADER = "x-arbiter-client-address";

const stampedKey = Symbol.for("arbiter.clientAddressStamped");

/** Called by the web server: requests in this process carry a client address header it set itself. */
export function markClientAddressStamped(): void {
  (globalThis as Record<symbol, unknown>)[stampedKey] = true;
}

/**
 * Whether the client address header can be believed: only when this process was started by the
 * web server that sets it. Under a bare `next start` a client could send the header itself.
 */
export function isClientAddressStamped(): boolean {
  return (globalThis as Record<symbol, unknown>)[stampedKey] === true;
}
