export { krippendorffAlpha, type KrippendorffAlphaOptions, type MeasurementLevel, type RatingValue } from "./krippendorff-alpha.ts";
export { cohenKappa, type CohenKappaOptions, type KappaWeighting } from "./cohen-kappa.ts";
export { fleissKappa, type FleissKappaOptions } from "./fleiss-kappa.ts";
export { expandRankingToPairs, type ExpandRankingOptions, type PairwiseOutcome, type PairwiseWinner, type RankingWithTies } from "./expand-ranking-to-pairs.ts";
export { rankingsToReliabilityData, type PairwiseReliabilityData, type RankingJudgement } from "./rankings-to-reliability-data.ts";
export { bootstrapConfidenceInterval, type BootstrapConfidenceInterval, type BootstrapConfidenceIntervalOptions } from "./bootstrap-confidence-interval.ts";

export {
  fitDawidSkene,
  type CategoricalLabel,
  type DawidSkeneAnnotator,
  type DawidSkeneItem,
  type DawidSkeneOptions,
  type DawidSkeneResult,
} from "./dawid-skene.ts";
export { binomialTestPValue, type BinomialTestOptions } from "./binomial-test.ts";
export { measurePositionBias, type DisplayPositionChoice, type PositionBias } from "./position-bias.ts";
export { findSpeedOutliers, type FindSpeedOutliersOptions, type SpeedScore, type TimedWork } from "./find-speed-outliers.ts";
export { leaveOneOutMajorityAgreement, type LeaveOneOutAgreement } from "./leave-one-out-agreement.ts";

export type { PairwiseBattle } from "./bradley-terry-battles.ts";
export { BradleyTerryFitError, fitBradleyTerry, type BradleyTerryFit, type BradleyTerryScale, type FitBradleyTerryOptions } from "./fit-bradley-terry.ts";
export { computeBradleyTerryLeaderboard, type ComputeBradleyTerryLeaderboardOptions, type LeaderboardEntry } from "./compute-bradley-terry-leaderboard.ts";
export { measureResponseStyle, STYLE_FEATURES, type ResponseStyle, type StyleFeature } from "./response-style.ts";
export { computeOnlineElo, updateOnlineElo, type OnlineEloSettings } from "./online-elo.ts";

export {
  conservativeSkill,
  createSkillBelief,
  rateKWiseRanking,
  type KWiseRatingModel,
  type RateKWiseRankingOptions,
  type SkillBelief,
} from "./rate-kwise-ranking.ts";
export { selectKWiseMatch, type ArenaSystem, type SelectKWiseMatchOptions } from "./select-kwise-match.ts";
export {
  annotatorSecondsPerJudgment,
  bradleyTerryWinProbability,
  DEFAULT_ANNOTATOR_COST,
  defaultArenaMethods,
  kendallDistanceToTruth,
  meetsTolerance,
  pairwiseJudgmentsInRanking,
  simulateArenaCost,
  summarizeArenaRuns,
  type AnnotatorCost,
  type ArenaMethod,
  type ArenaSummary,
  type ConvergenceTolerance,
  type KWiseNoise,
  type MethodRun,
  type SimulateArenaCostOptions,
} from "./simulate-arena-convergence.ts";
export { createSeededRandom, randomInteger, shuffled, shuffleInPlace, type RandomSource } from "./seeded-random.ts";
