import type { CampaignProgress } from "@arbiter/core/client";

/** "N gold / M regular": what a campaign holds, gold checks apart from the work itself. */
export function ItemCounts({ progress }: { progress: Pick<CampaignProgress, "itemCount" | "goldItemCount"> }) {
  const gold = progress.goldItemCount;
  const regular = progress.itemCount - gold;
  return (
    <span data-testid="item-counts" data-gold={gold} data-regular={regular}>
      {gold.toLocaleString()} gold / {regular.toLocaleString()} regular
      {progress.itemCount > 0 && regular === 0 ? <strong className="error"> (no regular items: annotators would have nothing to do)</strong> : null}
    </span>
  );
}
