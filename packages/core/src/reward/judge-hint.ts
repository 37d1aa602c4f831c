import type { JudgeSettings } from "@arbiter/judge";
import { TIE } from "@arbiter/router";
import type { CampaignConfig } from "../campaign-config/campaign-config.ts";
import { preferenceLabel } from "../routing/routing-row.ts";
import { findCampaignHintConfig, findJudgeVerdictForItem, listJudgeCalibrationRows } from "../store/judge-hints.ts";
import { campaignJudgeSettings, judgeJudgmentKey } from "../llm-judge/campaign-judge-settings.ts";
import { judgeGateView, measureJudgeAgreement, type JudgeHintGateView } from "./judge-hint-gate.ts";

/**
 * The LLM judge's stored verdict as a task's hint (`hintSource: "judge"`), with what its
 * percentage rests on: its agreement with annotators on calibration items ("agrees with
 * annotators 78 % on 64 calibration items"). Never produced by calling the judge: a task whose
 * item the judge has not judged gets no hint.
 */
export interface JudgeHintRef {
  kind: "judge";
  model: string;
  /** The judge's pick among the task's candidates; null: it called a tie (or tied its top). */
  winner: string | null;
  /** For a K-wise ranking verdict: the judge's ranking of the task's candidates, best first, ties grouped. */
  ranking: string[][] | null;
  /** Its agreement with the annotators' majority on calibration items both labelled, with the Wilson 95 % interval. */
  agreement: number | null;
  agreementCi: [number, number] | null;
  calibrationItems: number;
  gate: "auto" | "off";
}

export interface JudgeHintState {
  settings: JudgeSettings | null;
  gate: JudgeHintGateView;
}

const TTL_MS = 5_000;
const cache = new Map<string, { at: number; value: JudgeHintState }>();

/** The judge's gate from the campaign's config (`judge`, `hintGate`): measured on its calibration items. */
export async function judgeHintState(campaignId: string, config: Pick<CampaignConfig, "judge"> & { hintGate?: string | null }): Promise<JudgeHintState> {
  const settings = campaignJudgeSettings(config);
  const hintGate = config.hintGate === "off" ? "off" : "auto";
  if (!settings) return { settings: null, gate: judgeGateView(measureJudgeAgreement([]), null, hintGate) };
  const rows = await listJudgeCalibrationRows(campaignId, settings);
  const items = rows.map((row) => ({
    judge: preferenceLabel(row),
    human: row.humans.map((h) => preferenceLabel(h)),
    lengths: Object.fromEntries(
      (row.presentedOrder.length > 0 ? row.presentedOrder : Object.keys(row.lengths)).flatMap((id) =>
        row.lengths[id] === undefined ? [] : [[id, row.lengths[id]] as const],
      ),
    ),
  }));
  return { settings, gate: judgeGateView(measureJudgeAgreement(items), { model: settings.model, promptVersion: settings.promptVersion }, hintGate) };
}

/** The same, read from the campaign and remembered per campaign for 5 s in this process (tasks read it on every hand-out). */
export async function loadJudgeHintState(campaignId: string): Promise<JudgeHintState> {
  const hit = cache.get(campaignId);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.value;
  const row = await findCampaignHintConfig(campaignId);
  const value = await judgeHintState(campaignId, { judge: (row?.judge ?? undefined) as CampaignConfig["judge"], hintGate: row?.hintGate ?? null });
  if (cache.size > 10_000) cache.clear();
  cache.set(campaignId, { at: Date.now(), value });
  return value;
}

/** Drops the remembered judge gate of a campaign (tests; a config change). */
export function forgetJudgeHintState(campaignId: string): void {
  cache.delete(campaignId);
}

/** An item as the judge's hint sees it: whether it may ever carry the verdict, and the hint for a task's candidates. */
export interface JudgeHintItem {
  /** false for gold and calibration items: a hint there would contaminate gold scores, routing and the very agreement the gate measures. */
  eligible: boolean;
  hint(candidateIds: readonly string[]): JudgeHintRef | null;
}

/**
 * The judge's hint for one item: none when the item is gold or a calibration item, the gate is
 * shut, the current judge has no stored verdict on it (the judge is never called here), or its
 * pick is not among the candidates shown.
 */
export async function findJudgeHintItem(item: { id: string; isGold: boolean }, state: JudgeHintState): Promise<JudgeHintItem> {
  if (item.isGold) return { eligible: false, hint: () => null };
  const { settings, gate } = state;
  const row = await findJudgeVerdictForItem(item.id, settings ? judgeJudgmentKey(item.id, settings) : null);
  const eligible = row !== undefined && !row.isGold && row.routing !== "calibration";
  return {
    eligible,
    hint(candidateIds) {
      if (!eligible || !row || !settings || !gate.open || row.verdict === null) return null;
      const shown = new Set(candidateIds);
      let ranking: string[][] | null = null;
      if (row.verdict === "ranking" && Array.isArray(row.ranking)) {
        ranking = (row.ranking as unknown[])
          .map((tier) => (Array.isArray(tier) ? tier.filter((id): id is string => typeof id === "string" && shown.has(id)) : []))
          .filter((tier) => tier.length > 0);
        if (ranking.length === 0) return null;
      }
      const label = ranking
        ? ranking[0]?.length === 1
          ? (ranking[0][0] ?? TIE)
          : TIE
        : preferenceLabel({ verdict: row.verdict, winnerId: row.winnerId, ranking: row.ranking });
      if (label !== TIE && !shown.has(label)) return null;
      return {
        kind: "judge",
        model: settings.model,
        winner: label === TIE ? null : label,
        ranking,
        agreement: gate.accuracy,
        agreementCi: gate.accuracyCi,
        calibrationItems: gate.calibrationItems,
        gate: gate.enforced ? "auto" : "off",
      };
    },
  };
}
