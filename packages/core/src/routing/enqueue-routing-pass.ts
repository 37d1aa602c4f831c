// The routing-pass queue lives in jobs/, where the judge's job handler may reach it without
// importing routing/ (routing/ imports llm-judge/, never the other way).
export { enqueueRoutingPass, ROUTING_QUEUE } from "../jobs/routing-pass-queue.ts";
