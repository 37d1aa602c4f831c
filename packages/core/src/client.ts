/**
 * `@arbiter/core/client`: what browser code may import from core — the shapes the API returns and
 * takes, and a few pure helpers. Nothing here reaches `pg`, Prisma or node: built-ins, so client
 * bundles stay small and safe. The judgment body is exported as a type only: it is inferred from
 * the zod schema the server validates with, and zod's runtime is not shipped to the annotator's page
 * (its JIT compiles validators with `new Function`, which the page's CSP refuses).
 */
export type { Actor } from "./access/actor.ts";
export type { TaskView } from "./annotation/task-view.ts";
export type { JudgmentInput } from "./annotation/judgment-input.ts";
export type { CampaignConfig, RoutingConfig } from "./campaign-config/campaign-config.ts";
export type { CampaignProgress, CampaignView } from "./campaigns/campaign-view.ts";
export type { SecretView } from "./secrets/put-campaign-secret.ts";
export type { TokenView } from "./tokens/token-view.ts";
export type { UserView } from "./users/create-user.ts";
export type { JudgeSettingsView } from "./llm-judge/judge-settings-view.ts";
export type { JudgeTestResult } from "./llm-judge/try-campaign-judge.ts";
export type { RoutingDashboard } from "./routing/get-routing-dashboard.ts";
export type { RewardModelRef } from "./reward/reward-model-ref.ts";
export type { JudgeHintRef } from "./reward/judge-hint.ts";
export type { JudgeHintGateView } from "./reward/judge-hint-gate.ts";
export type { CampaignSeries } from "./quality/get-campaign-series.ts";
export type { CampaignStats } from "./quality/get-campaign-stats.ts";
export type { LeaderboardRow } from "./quality/get-campaign-leaderboard.ts";
export { decideMedia, type MediaDecision } from "./campaign-config/media-hosts.ts";
export { toCsv } from "./quality/to-csv.ts";
export type { BattleEvent } from "./battles/battle-hub.ts";
export type { BattleView } from "./battles/battle-view.ts";
export type { StartedBattle } from "./battles/start-battle.ts";
export type { ContestantTestResult } from "./battles/try-contestant.ts";
export type { ItemJudgmentsView, ItemJudgmentView } from "./annotation/get-item-judgments.ts";
export { describeSeenVerdict, seenLetter, seenLetters } from "./annotation/seen-labels.ts";
