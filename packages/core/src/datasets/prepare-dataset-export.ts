import type { Campaign } from "@arbiter/db";
import { requireRole, type Actor } from "../access/actor.ts";
import { assertCampaignAccess } from "../access/campaign-access.ts";
import { parseInput } from "../errors.ts";
import type { CampaignConfig } from "../campaign-config/campaign-config.ts";
import { buildDatasetCard } from "../export/build-dataset-card.ts";
import { buildExportRows } from "../export/build-export-rows.ts";
import { exportColumns, type ExportColumn } from "../export/export-columns.ts";
import { resolvePromptStyle } from "../export/prompt-style.ts";
import type { ExportAggregate, ExportJudgmentRow, ExportRow, ResolvedPromptStyle } from "../export/types.ts";
import { hasMultiTurnExportItems } from "../store/exports.ts";
import { resolveAnnotatorFilter } from "../annotation/resolve-annotator-filter.ts";
import { DatasetExportQuery } from "./dataset-export-query.ts";
import { measureHumanAgreement } from "./measure-human-agreement.ts";
import { streamExportJudgments, type ExportJudgmentFilter } from "./stream-export-judgments.ts";

export interface ExportCounts {
  rows: number;
  judgments: number;
  items: number;
  humanJudgments: number;
  judgeJudgments: number;
  annotators: number;
}

export interface DatasetExportPlan {
  campaign: Campaign;
  query: DatasetExportQuery;
  columns: ExportColumn[];
  /** The one prompt style of every row (`auto` resolved for the whole export). */
  promptStyle: ResolvedPromptStyle;
  /** `<campaign>-<format>-<source>`, ASCII letters, digits and dashes. */
  baseName: string;
  /** What the export's rows are; `counts` fill in as they are read. */
  rows: () => AsyncGenerator<ExportRow>;
  counts: ExportCounts;
  /** The dataset card, from the counts so far (call after `rows` is drained) and a fresh agreement figure. */
  card: (file: "jsonl" | "parquet") => Promise<string>;
}

/** The aggregation each format uses when none is asked for (rationales and raw are never aggregated). */
export function effectiveAggregate(query: DatasetExportQuery): ExportAggregate | undefined {
  if (query.format === "trl") return query.aggregate ?? "majority";
  if (query.format === "rankings") return query.aggregate ?? "all";
  return undefined;
}

function withoutSource(filter: ExportJudgmentFilter): Omit<ExportJudgmentFilter, "source"> {
  const { source: _source, ...rest } = filter;
  return rest;
}

/** ASCII slug for file names. */
function slug(text: string): string {
  return (
    text
      .normalize("NFKD")
      .replace(/[^\x20-\x7e]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 60) || "campaign"
  );
}

/**
 * Validates an export request (admins and researchers; annotators get 403) and sets up the
 * streaming pipeline: database pages → row builder → counts. Nothing is read until `rows` runs.
 */
export async function prepareDatasetExport(options: { actor: Actor | null; campaignId: string; query: unknown; now?: Date }): Promise<DatasetExportPlan> {
  const actor = requireRole(options.actor, "admin", "researcher");
  const query = parseInput(DatasetExportQuery, options.query, "query");
  const campaign = await assertCampaignAccess({ actor, campaignId: options.campaignId, mode: "read" });
  const filter: ExportJudgmentFilter = {
    ...(query.source !== "all" ? { source: query.source } : {}),
    ...(query.annotatorId ? { userIds: await resolveAnnotatorFilter({ actor, campaign, annotatorId: query.annotatorId }) } : {}),
    ...(query.itemId !== undefined ? { itemExternalId: query.itemId } : {}),
    ...(query.since ? { since: query.since } : {}),
    ...(query.until ? { until: query.until } : {}),
  };
  const aggregate = effectiveAggregate(query);
  const config = campaign.config as unknown as CampaignConfig;
  const promptStyle =
    query.format === "raw" || query.promptStyle !== "auto"
      ? resolvePromptStyle(query.promptStyle, false)
      : resolvePromptStyle(
          "auto",
          await hasMultiTurnExportItems({ campaignId: campaign.id, ...(query.itemId !== undefined ? { itemExternalId: query.itemId } : {}) }),
        );
  const margin = query.format === "trl" && config.strengthScale === true;
  const columns = exportColumns(query.format, { promptStyle, margin });
  const counts: ExportCounts = { rows: 0, judgments: 0, items: 0, humanJudgments: 0, judgeJudgments: 0, annotators: 0 };
  const annotators = new Set<string>();

  async function* counted(): AsyncGenerator<ExportJudgmentRow> {
    let lastItem: string | null = null;
    for await (const row of streamExportJudgments({ campaignId: campaign.id, pseudonymSalt: campaign.pseudonymSalt, filter })) {
      counts.judgments++;
      if (row.itemExternalId !== lastItem) {
        counts.items++;
        lastItem = row.itemExternalId;
      }
      if (row.source === "human") counts.humanJudgments++;
      else if (row.source === "judge") counts.judgeJudgments++;
      if (row.annotatorPseudonym && !annotators.has(row.annotatorPseudonym)) {
        annotators.add(row.annotatorPseudonym);
        counts.annotators = annotators.size;
      }
      yield row;
    }
  }

  async function* rows(): AsyncGenerator<ExportRow> {
    for await (const row of buildExportRows(query.format, counted(), {
      ...(aggregate ? { aggregate } : {}),
      expandRankings: query.expandRankings,
      promptStyle,
      margin,
    })) {
      counts.rows++;
      yield row;
    }
  }

  const card = async (file: "jsonl" | "parquet") => {
    const agreement = query.source === "judge" ? undefined : await measureHumanAgreement({ campaignId: campaign.id, filter: withoutSource(filter) });
    return buildDatasetCard({
      title: campaign.name,
      ...(campaign.description ? { description: campaign.description } : {}),
      format: query.format,
      file,
      source: query.source,
      license: query.license ?? (config.license || "unknown"),
      generatedAt: options.now ?? new Date(),
      counts: {
        rows: counts.rows,
        items: counts.items,
        judgments: counts.judgments,
        ...(query.source !== "judge" ? { humanJudgments: counts.humanJudgments, annotators: counts.annotators } : {}),
        ...(query.source !== "human" ? { judgeJudgments: counts.judgeJudgments } : {}),
      },
      ...(agreement
        ? {
            agreement: { krippendorffAlpha: agreement.krippendorffAlpha },
            agreementDetail: { alphaCi: agreement.krippendorffAlphaCi, units: agreement.units, items: agreement.items },
          }
        : {}),
      ...(aggregate ? { aggregate } : {}),
      expandRankings: query.expandRankings,
      promptStyle,
      columns,
    });
  };

  return { campaign, query, columns, promptStyle, baseName: `${slug(campaign.name)}-${query.format}-${query.source}`, rows, counts, card };
}
