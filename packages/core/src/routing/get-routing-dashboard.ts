import { requireRole, type Actor } from "../access/actor.ts";
import { assertCampaignAccess } from "../access/campaign-access.ts";
import { RoutingConfig as RoutingConfigSchema, type CampaignConfig } from "../campaign-config/campaign-config.ts";
import { campaignJudgeSettings } from "../llm-judge/campaign-judge-settings.ts";
import { countJudgeJobsByStatus, listJudgeLabels, listRecentJudgeJobErrors, summarizeJudgeUsage } from "../store/judge.ts";
import { listHumanLabels } from "../store/routing.ts";
import {
  countHumanBudgetUsed,
  countHumanRoutedByFeature,
  countItemsByRoute,
  findItemRoutingFeatures,
  listResponseIdsOfItems,
  listRouterModelVersions,
  summarizeJudgeRoutedScores,
} from "../store/routing-dashboard.ts";
import { itemsLabelledByBoth, summarizeRoutingDashboard, type RoutingDashboard } from "./routing-dashboard-view.ts";

export type { RoutingDashboard } from "./routing-dashboard-view.ts";

/**
 * The routing dashboard of a campaign (admins and researchers): budget used, items by route,
 * judge jobs, tokens and cost, the current disagreement model and its history, predicted vs
 * observed judge–human agreement, and the features that drive routing.
 */
export async function getRoutingDashboard(options: { actor: Actor | null; campaignId: string }): Promise<RoutingDashboard> {
  const actor = requireRole(options.actor, "admin", "researcher");
  const campaign = await assertCampaignAccess({ actor, campaignId: options.campaignId, mode: "read" });
  const config = campaign.config as unknown as CampaignConfig;
  const routing = RoutingConfigSchema.parse(config.routing ?? {});
  const settings = campaignJudgeSettings(config);
  const campaignId = campaign.id;

  const [routeRows, budgetUsed, jobRows, errorRows, usageRows, versions, humanJudgments, judgeJudgments, reasonRows, judgeRouted] = await Promise.all([
    countItemsByRoute(campaignId),
    countHumanBudgetUsed(campaignId),
    countJudgeJobsByStatus(campaignId),
    listRecentJudgeJobErrors(campaignId),
    summarizeJudgeUsage(campaignId),
    listRouterModelVersions(campaignId),
    listHumanLabels(campaignId),
    settings ? listJudgeLabels(campaignId, settings) : Promise.resolve([]),
    countHumanRoutedByFeature(campaignId),
    summarizeJudgeRoutedScores(campaignId),
  ]);

  const bothIds = itemsLabelledByBoth(humanJudgments, judgeJudgments);
  const [labelledItems, labelledResponses] =
    bothIds.length === 0 ? [[], []] : await Promise.all([findItemRoutingFeatures(bothIds), listResponseIdsOfItems(bothIds)]);

  return summarizeRoutingDashboard({
    campaignId,
    status: campaign.status,
    config,
    routing,
    routeRows,
    budgetUsed,
    jobRows,
    errorRows,
    usageRows,
    versions,
    humanJudgments,
    judgeJudgments,
    labelledItems,
    labelledResponses,
    reasonRows,
    judgeRouted,
  });
}
