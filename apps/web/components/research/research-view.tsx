"use client";
import { useState } from "react";
import { ExportPanel } from "./export-panel";
import { emptyFilters, JudgmentBrowser, type JudgmentFilters } from "./judgment-browser";

/** The judgment browser and the export panel, sharing one set of filters. */
export function ResearchView({ campaignId, defaultLicense }: { campaignId: string; defaultLicense?: string }) {
  const [filters, setFilters] = useState<JudgmentFilters>(emptyFilters);
  return (
    <>
      <ExportPanel campaignId={campaignId} filters={filters} {...(defaultLicense ? { defaultLicense } : {})} />
      <JudgmentBrowser campaignId={campaignId} onFilters={setFilters} />
    </>
  );
}
