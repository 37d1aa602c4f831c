import type { Actor } from "../access/actor.ts";
import { comparisonKind, type CampaignConfig } from "../campaign-config/campaign-config.ts";
import { pseudonymizeAnnotator } from "../export/pseudonymize-annotator.ts";
import { countCampaignProgress, findUserEmails, listMembersWithEmail } from "../store/quality.ts";
import { assertQualityAccess } from "./assert-quality-access.ts";
import { loadQualityData } from "./load-quality-data.ts";
import { measureAgreement, type Agreement } from "./measure-agreement.ts";
import { measureAnnotators, reliabilityRules, type AnnotatorFigures } from "./measure-annotators.ts";

export interface CampaignStats {
  campaignId: string;
  taskType: string;
  comparison: "pairwise" | "kwise";
  generatedAt: string;
  progress: {
    items: number;
    goldItems: number;
    itemsComplete: number;
    judgments: { human: number; judge: number; reward_model: number };
    skipped: number;
    openLeases: number;
    members: number;
    activeAnnotators: number;
  };
  agreement: Agreement;
  gold: { judgments: number; correct: number; accuracy: number | null };
  annotators: Array<
    Omit<AnnotatorFigures, "userId"> & {
      /** Stable pseudonym (`ann-…`), the same as in exports. */
      annotatorId: string;
      /** Admins only. */
      userId?: string;
      email?: string;
      status: "active" | "paused" | "not_member";
      pauseReason: string | null;
    }
  >;
  rules: typeof reliabilityRules & { goldPauseThreshold: number | null; goldPauseMinJudgments: number };
}

/**
 * Progress, agreement and per-annotator reliability of one campaign, computed from its
 * judgments on request (deterministic: bootstraps are seeded). Researchers see annotators by
 * pseudonym only; admins also by user id and email.
 */
export async function getCampaignStats(options: { actor: Actor | null; campaignId: string }): Promise<CampaignStats> {
  const { actor, campaign } = await assertQualityAccess(options);
  const config = campaign.config as unknown as CampaignConfig;
  const [{ items, judgments }, members, counts] = await Promise.all([
    loadQualityData({ campaignId: campaign.id, sources: ["human", "judge"] }),
    listMembersWithEmail(campaign.id),
    countCampaignProgress(campaign.id),
  ]);
  const row = counts!;
  const pseudonym = (userId: string) => pseudonymizeAnnotator(userId, campaign.pseudonymSalt);
  const goldPauseMinJudgments = config.goldPauseMinJudgments ?? reliabilityRules.goldMinJudgments;
  const memberById = new Map(members.map((m) => [m.userId, m]));

  const agreement = measureAgreement({
    items,
    judgments,
    overlap: config.overlap,
    attributeNames: (config.attributes ?? []).map((a) => a.name),
    annotatorKey: pseudonym,
  });
  const figures = measureAnnotators({
    items,
    judgments,
    members: new Map(members.map((m) => [m.userId, { status: m.status }])),
    goldPauseThreshold: config.goldPauseThreshold ?? null,
    goldPauseMinJudgments,
  });
  const emails = await emailsOf(
    figures.map((f) => f.userId).filter((id) => !memberById.has(id)),
    actor.role === "admin",
  );
  const human = judgments.filter((j) => j.source === "human");
  const gold = human.filter((j) => j.isGold && j.goldCorrect !== null);
  const goldCorrect = gold.filter((j) => j.goldCorrect).length;

  return {
    campaignId: campaign.id,
    taskType: campaign.taskType,
    comparison: comparisonKind(campaign.taskType, config),
    generatedAt: new Date().toISOString(),
    progress: {
      items: Number(row.items),
      goldItems: Number(row.goldItems),
      itemsComplete: Number(row.itemsComplete),
      judgments: { human: Number(row.human), judge: Number(row.judge), reward_model: Number(row.rewardModel) },
      skipped: Number(row.skipped),
      openLeases: Number(row.openLeases),
      members: members.length,
      activeAnnotators: new Set(human.map((j) => j.userId)).size,
    },
    agreement,
    gold: { judgments: gold.length, correct: goldCorrect, accuracy: gold.length > 0 ? goldCorrect / gold.length : null },
    annotators: figures.map(({ userId, ...rest }) => {
      const member = memberById.get(userId);
      return {
        annotatorId: pseudonym(userId),
        ...(actor.role === "admin" ? { userId, email: member?.user.email ?? emails.get(userId) } : {}),
        status: member?.status ?? "not_member",
        pauseReason: member?.pauseReason ?? null,
        ...rest,
      };
    }),
    rules: { ...reliabilityRules, goldPauseThreshold: config.goldPauseThreshold ?? null, goldPauseMinJudgments },
  };
}

async function emailsOf(userIds: string[], wanted: boolean): Promise<Map<string, string>> {
  if (!wanted || userIds.length === 0) return new Map();
  const users = await findUserEmails(userIds);
  return new Map(users.map((u) => [u.id, u.email]));
}
