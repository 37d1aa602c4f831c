import { checkDestination, isOutboundError, verifyDestination } from "@arbiter/outbound";
import { AppError } from "../errors.ts";
import { getOutboundPolicy } from "../outbound/outbound-policy.ts";

function refused(error: unknown, holder: "judge" | "contestant"): never {
  if (!isOutboundError(error)) throw error;
  const message = `The ${holder}'s base URL is refused: ${error.message}.`;
  throw new AppError("unprocessable", message, { details: [{ path: "baseUrl", message: error.message, reason: error.code }] });
}

/**
 * A judge's (or contestant's) base URL the server may send requests to (ARBITER_ALLOWED_HOSTS; loopback, private and
 * link-local hosts refused unless listed), checked when settings are saved or tested, its host
 * name resolved now: 422 naming the reason (`host_not_allowed`, `address_not_allowed`,
 * `invalid_url`). Requests check the addresses they connect to again in any case.
 */
export async function assertJudgeDestination(baseUrl: string, holder: "judge" | "contestant" = "judge"): Promise<void> {
  try {
    await verifyDestination(baseUrl, getOutboundPolicy());
  } catch (error) {
    refused(error, holder);
  }
}

/** The same check without a DNS lookup, for a stored URL about to be used: null when allowed, else why not. */
export function judgeDestinationRefusal(baseUrl: string): string | null {
  try {
    checkDestination(baseUrl, getOutboundPolicy());
    return null;
  } catch (error) {
    if (!isOutboundError(error)) throw error;
    return error.message;
  }
}
