import { getConfig, type AppConfig } from "@arbiter/config";
import { createOutboundPolicy, type OutboundPolicy } from "@arbiter/outbound";

let cached: { config: AppConfig; policy: OutboundPolicy } | undefined;

/**
 * The policy every outgoing request of the server goes under (ARBITER_ALLOWED_HOSTS): one per
 * configuration, so a test that changes the environment and resets the config gets a new one.
 */
export function getOutboundPolicy(): OutboundPolicy {
  const config = getConfig();
  if (cached?.config !== config) cached = { config, policy: createOutboundPolicy({ allowedHosts: config.allowedHosts }) };
  return cached.policy;
}
