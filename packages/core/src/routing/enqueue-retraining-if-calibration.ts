import type { RouteDecision } from "@arbiter/db";
import type { JobDb } from "../jobs/job-types.ts";
import { enqueueRoutingPass } from "./enqueue-routing-pass.ts";

/** Labels on calibration items arriving close together retrain the router once. */
const RETRAIN_DEBOUNCE_MS = 5_000;

/**
 * Called inside the transaction that stores a human judgment: a new human label on a
 * calibration item is training data for the router, so a routing pass (retrain, re-route the
 * items nobody has labelled yet) is queued with it. Other items need nothing.
 */
export async function enqueueRetrainingIfCalibration(tx: JobDb, options: { campaignId: string; routing: RouteDecision }): Promise<void> {
  if (options.routing !== "calibration") return;
  await enqueueRoutingPass(tx, { campaignId: options.campaignId, delayMs: RETRAIN_DEBOUNCE_MS });
}
