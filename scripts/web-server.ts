import { createServer, type IncomingMessage } from "node:http";
import { resolve } from "node:path";
import next from "next";
import { getConfig } from "@arbiter/config";
import { CLIENT_ADDRESS_HEADER, createClientAddressResolver, FORWARDED_HEADERS, markClientAddressStamped } from "@arbiter/core/client-address";

/**
 * The production web server: Next.js (`next start`'s own request handler) behind a plain Node
 * HTTP server that knows each connection's peer address, which route handlers never see.
 * Before Next.js gets a request, it sets `x-arbiter-client-address` (what rate limits key on)
 * and drops forwarded headers unless the peer is one of ARBITER_TRUSTED_PROXIES. Started by
 * `scripts/start.ts` in apps/web with NODE_ENV=production.
 */
async function main() {
  const config = getConfig();
  const addresses = createClientAddressResolver(config.trustedProxies);
  markClientAddressStamped();

  const stampClientAddress = (request: IncomingMessage) => {
    const peer = request.socket.remoteAddress;
    delete request.headers[CLIENT_ADDRESS_HEADER];
    const client = addresses.resolve(peer, request.headers["x-forwarded-for"]);
    // A client talking to us directly does not get to say who it is, or which host it called.
    if (!addresses.isTrusted(peer)) for (const header of FORWARDED_HEADERS) delete request.headers[header];
    if (client) request.headers[CLIENT_ADDRESS_HEADER] = client;
  };

  const server = createServer();
  const app = next({ dev: false, dir: resolve("."), hostname: "localhost", port: config.PORT, httpServer: server });
  const handle = app.getRequestHandler();
  await app.prepare();
  server.on("request", (request, response) => {
    stampClientAddress(request);
    handle(request, response).catch((error: unknown) => {
      console.error("[arbiter] request failed", error);
      if (!response.headersSent) response.writeHead(500).end("Internal Server Error");
    });
  });
  server.listen(config.PORT, () =>
    console.log(
      `[arbiter] web server ready on port ${config.PORT}${config.trustedProxies.length > 0 ? `, trusting forwarded headers from ${config.ARBITER_TRUSTED_PROXIES}` : ""}`,
    ),
  );

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    server.close();
    server.closeAllConnections();
    void app.close().finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((error: unknown) => {
  console.error(`[arbiter] web server failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
