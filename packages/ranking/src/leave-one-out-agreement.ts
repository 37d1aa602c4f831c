import type { CategoricalLabel } from "./dawid-skene.ts";

export interface LeaveOneOutAgreement {
  annotator: string;
  /** Mean credit over compared items; `null` if no item had another annotator's label. */
  agreement: number | null;
  comparedItems: number;
}

/**
 * For each annotator, how often their label matches the majority of the OTHER annotators on
 * the same item. Leaving the annotator out matters: with three raters, counting one's own vote
 * would hand everybody a head start. Where the others' majority is tied between m labels the
 * annotator earns 1/m for matching one of them, so ties neither reward nor punish.
 */
export function leaveOneOutMajorityAgreement(options: { labels: readonly CategoricalLabel[] }): LeaveOneOutAgreement[] {
  const labelsByItem = new Map<string, CategoricalLabel[]>();
  for (const entry of options.labels) {
    const list = labelsByItem.get(entry.item);
    if (list) list.push(entry);
    else labelsByItem.set(entry.item, [entry]);
  }

  const credit = new Map<string, { total: number; compared: number }>();
  for (const annotator of new Set(options.labels.map(({ annotator }) => annotator))) {
    credit.set(annotator, { total: 0, compared: 0 });
  }
  for (const entries of labelsByItem.values()) {
    const counts = new Map<string, number>();
    for (const { label } of entries) counts.set(label, (counts.get(label) ?? 0) + 1);
    for (const { annotator, label } of entries) {
      // Remove this label from the tally instead of recounting the others: O(labels) per item.
      counts.set(label, counts.get(label)! - 1);
      let top = 0;
      let tied = 0;
      for (const count of counts.values()) {
        if (count > top) [top, tied] = [count, 1];
        else if (count === top && count > 0) tied += 1;
      }
      if (top > 0) {
        const entry = credit.get(annotator)!;
        entry.compared += 1;
        if (counts.get(label) === top) entry.total += 1 / tied;
      }
      counts.set(label, counts.get(label)! + 1);
    }
  }
  return [...credit.entries()]
    .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
    .map(([annotator, { total, compared }]) => ({
      annotator,
      agreement: compared === 0 ? null : total / compared,
      comparedItems: compared,
    }));
}
