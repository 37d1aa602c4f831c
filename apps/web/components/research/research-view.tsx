"use client";
import { useState } from "react";
import { ExportPanel } from "./export-panel";
import { JudgmentBrowser } from "./judgment-browser";
import type { JudgmentFilters } from "./judgment-filters";

/** The judgment browser and the export panel, sharing one set of filters (read from the page's URL, kept there). */
export function ResearchView({ campaignId, defaultLicense, initialFilters }: { campaignId: string; defaultLicense?: string; initialFilters: JudgmentFilters }) {
  const [filters, setFilters] = useState<JudgmentFilters>(initialFilters);
  return (
    <>
      <ExportPanel campaignId={campaignId} filters={filters} {...(defaultLicense ? { defaultLicense } : {})} />
      <JudgmentBrowser campaignId={campaignId} onFilters={setFilters} />
    </>
  );
}
