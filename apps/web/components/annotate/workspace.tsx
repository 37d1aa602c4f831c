"use client";

export function Workspace({ campaignName }: { campaignId: string; campaignName: string; guidelines: string; email: string }) {
  return <main><h1>{campaignName}</h1></main>;
}
