export { classifyAddress, describeAddressKind, isPublicAddress, type AddressKind } from "./address-ranges.ts";
export { canonicalHostname, effectivePort, HostRuleError, matchesHostRules, parseHostRules, type HostRule } from "./host-rules.ts";
export { isOutboundError, OutboundError, OutboundHttpError, type OutboundErrorCode } from "./outbound-error.ts";
export {
  assertResolvedAddresses,
  checkDestination,
  createOutboundPolicy,
  systemResolver,
  verifyDestination,
  type AllowedDestination,
  type OutboundPolicy,
  type ResolvedAddress,
  type Resolver,
} from "./outbound-policy.ts";
export { isCredentialParam, REDACTED, redactUrl, redactUrlsInText, restoreRedactedUrl } from "./redact-url.ts";
export { DEFAULT_MAX_RESPONSE_BYTES, requestJson, sendOutboundRequest, type OutboundRequest, type OutboundResponse } from "./send-request.ts";
