import { streamBattle } from "@arbiter/core";
import { apiRoute } from "@/lib/api";

export const dynamic = "force-dynamic";

/** Server-Sent Events: `delta`, `done`, `error`, `ready` (docs/API.md, "Live battles"); a comment every 15 s keeps proxies from closing a quiet stream. */
export const GET = apiRoute(async ({ actor, params, request }) => {
  const events = await streamBattle({ actor, battleId: params.id ?? "", signal: request.signal });
  const encoder = new TextEncoder();
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      heartbeat = setInterval(() => controller.enqueue(encoder.encode(": keep-alive\n\n")), 15_000);
      try {
        for await (const event of events) controller.enqueue(encoder.encode(`event: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`));
      } catch (error) {
        console.error("[arbiter] battle stream failed", error);
      } finally {
        clearInterval(heartbeat);
        controller.close();
      }
    },
    cancel() {
      clearInterval(heartbeat);
    },
  });
  return new Response(body, {
    headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache, no-transform", "x-accel-buffering": "no" },
  });
});
