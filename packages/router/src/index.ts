export type { Budget, CalibrationItem, CandidateResponse, JudgeVerdict, Message, PreferenceLabel, RoutingItem } from "./types.ts";
export { TIE } from "./types.ts";

export { extractItemFeatures } from "./features/extract-item-features.ts";
export { FEATURE_DEFINITIONS, FEATURE_NAMES, CORE_FEATURE_NAMES } from "./features/feature-definitions.ts";
export type { FeatureName, ItemFeatures } from "./features/feature-definitions.ts";
export { rouge1F, tokenCosine } from "./features/lexical-similarity.ts";
export { tokenize } from "./features/tokenize.ts";

export { humanMajority, judgeDisagreesWithHumans } from "./labels/human-majority.ts";
export { judgeHumanAgreement, type JudgeHumanAgreement } from "./labels/judge-human-agreement.ts";

export { trainDisagreementModel } from "./model/train-disagreement-model.ts";
export type { TrainDisagreementModelOptions } from "./model/train-disagreement-model.ts";
export { predictDisagreement, judgeUncertainty, judgeDoubtLevel } from "./model/disagreement-model.ts";
export type {
  DisagreementModel,
  DisagreementPrediction,
  FeatureContribution,
  JudgeUncertaintyModel,
  LogisticDisagreementModel,
  ModelValidation,
} from "./model/disagreement-model.ts";

export { routeToHumanOrJudge } from "./route/route-to-human-or-judge.ts";
export type { Route, RoutingDecision, RoutingResult, RouteToHumanOrJudgeOptions } from "./route/route-to-human-or-judge.ts";
export { pickCalibrationSample } from "./route/pick-calibration-sample.ts";
export type { CalibrationSample, PickCalibrationSampleOptions } from "./route/pick-calibration-sample.ts";
export { resolveBudget } from "./route/resolve-budget.ts";

export { RoutingInputLine, parseRoutingLine } from "./input/routing-input-line.ts";

export { seededUnit } from "./random.ts";
