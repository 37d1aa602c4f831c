import type { Actor } from "../access/actor.ts";
import { prepareDatasetExport } from "./prepare-dataset-export.ts";

/**
 * The dataset card (`README.md`) of the export the same query would give: the rows are built
 * and counted (streamed, not written) so the counts are exact. Admins and researchers only.
 */
export async function getDatasetCard(options: {
  actor: Actor | null;
  campaignId: string;
  query: unknown;
  now?: Date;
}): Promise<{ filename: string; markdown: string }> {
  const plan = await prepareDatasetExport(options);
  for await (const row of plan.rows()) void row;
  const file = plan.query.file === "zip" ? plan.query.bundle : plan.query.file;
  return { filename: "README.md", markdown: await plan.card(file) };
}
