import { z } from "zod";
import type { Prisma } from "@arbiter/db";
import { JobFailedPermanently, type JobHandler } from "../jobs/job-types.ts";
import { ROUTING_QUEUE } from "./enqueue-routing-pass.ts";
import { runRoutingPass } from "./run-routing-pass.ts";

const RoutingJobPayload = z.object({ campaignId: z.uuid() });

/**
 * Runs a routing pass. Its writes are its own transaction: a pass is idempotent (it recomputes
 * every route from the data), so running one twice after a crash changes nothing.
 */
export function createRoutingJobHandler(): JobHandler {
  return {
    queue: ROUTING_QUEUE,
    async run(job) {
      const parsed = RoutingJobPayload.safeParse(job.payload);
      if (!parsed.success) throw new JobFailedPermanently("bad routing job payload");
      const summary = await runRoutingPass({ campaignId: parsed.data.campaignId });
      return { result: summary as unknown as Prisma.InputJsonValue };
    },
  };
}
