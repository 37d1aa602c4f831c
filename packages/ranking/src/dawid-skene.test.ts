import { describe, expect, it } from "vitest";
import { fitDawidSkene } from "./dawid-skene.ts";
import type { CategoricalLabel } from "./dawid-skene.ts";
import { createSeededRandom, randomInteger } from "./seeded-random.ts";

const classes = ["A", "B", "tie"];

/** 300 items with a hidden truth; each annotator labels every item by their own rule. */
function plantedLabels() {
  const random = createSeededRandom(11);
  const truth = Array.from({ length: 300 }, () => classes[randomInteger(random, 3)]!);
  const other = (label: string) => classes.filter((c) => c !== label)[randomInteger(random, 2)]!;
  const annotators: Record<string, (truth: string) => string> = {
    careful1: (t) => (random() < 0.9 ? t : other(t)),
    careful2: (t) => (random() < 0.85 ? t : other(t)),
    careful3: (t) => (random() < 0.8 ? t : other(t)),
    // Clicks at random: right a third of the time whatever the item.
    spammer: () => classes[randomInteger(random, 3)]!,
    // Always picks the first response.
    alwaysA: () => "A",
  };
  const labels: CategoricalLabel[] = [];
  truth.forEach((t, i) => {
    for (const [annotator, rule] of Object.entries(annotators)) labels.push({ item: `item${i}`, annotator, label: rule(t) });
  });
  return { truth, labels };
}

describe("fitDawidSkene", () => {
  it("finds the planted accuracies and gives spammers low accuracy", () => {
    const { labels } = plantedLabels();
    const result = fitDawidSkene({ labels });
    const accuracy = Object.fromEntries(result.annotators.map(({ annotator, accuracy }) => [annotator, accuracy]));
    expect(result.converged).toBe(true);
    expect(accuracy.careful1).toBeCloseTo(0.9, 1);
    expect(accuracy.careful2).toBeCloseTo(0.85, 1);
    expect(accuracy.careful3).toBeCloseTo(0.8, 1);
    expect(accuracy.spammer).toBeLessThan(0.45);
    expect(accuracy.alwaysA).toBeLessThan(0.45);
    // The always-A annotator's confusion matrix shows the habit: "A" whatever the truth.
    const habit = result.annotators.find(({ annotator }) => annotator === "alwaysA")!.confusion;
    expect(habit.B!.A).toBeGreaterThan(0.95);
  });

  it("recovers the truth better than a majority vote that the spammers pollute", () => {
    const { truth, labels } = plantedLabels();
    const result = fitDawidSkene({ labels });
    const posteriorAccuracy = result.items.filter(({ item, label }) => truth[Number(item.slice(4))] === label).length / truth.length;

    const votesByItem = new Map<string, Map<string, number>>();
    for (const { item, label } of labels) {
      const votes = votesByItem.get(item) ?? new Map<string, number>();
      votes.set(label, (votes.get(label) ?? 0) + 1);
      votesByItem.set(item, votes);
    }
    const majorityCorrect = truth.filter((t, i) => {
      const votes = votesByItem.get(`item${i}`)!;
      const top = Math.max(...votes.values());
      const winners = [...votes].filter(([, count]) => count === top).map(([label]) => label);
      return winners.length === 1 && winners[0] === t;
    }).length;
    expect(posteriorAccuracy).toBeGreaterThan(0.9);
    expect(posteriorAccuracy).toBeGreaterThan(majorityCorrect / truth.length + 0.1);
  });

  it("is deterministic and independent of input order", () => {
    const { labels } = plantedLabels();
    const forward = fitDawidSkene({ labels });
    const backward = fitDawidSkene({ labels: [...labels].reverse() });
    expect(JSON.stringify(backward)).toBe(JSON.stringify(forward));
  });

  it("returns proper posteriors and priors", () => {
    const result = fitDawidSkene({ labels: plantedLabels().labels });
    const priorTotal = Object.values(result.classPriors).reduce((total, value) => total + value, 0);
    expect(priorTotal).toBeCloseTo(1, 10);
    for (const { posterior } of result.items) {
      expect(Object.values(posterior).reduce((total, value) => total + value, 0)).toBeCloseTo(1, 10);
    }
  });

  it("rejects a label outside the declared classes", () => {
    expect(() => fitDawidSkene({ labels: [{ item: "i", annotator: "a", label: "C" }], classes: ["A", "B"] })).toThrow(RangeError);
  });

  it("converges on ordinary two-label-per-item data within its default cap, to plain EM's fixed point", () => {
    // 200 items, both labelled by the same two annotators (accuracies 0.8 / 0.75, errors uniform), four classes.
    const random = createSeededRandom(3);
    const classes = ["first", "second", "tie", "both_bad"];
    const labels: CategoricalLabel[] = [];
    for (let i = 0; i < 200; i++) {
      const truth = random() < 0.45 ? "first" : random() < 0.8 ? "second" : random() < 0.8 ? "tie" : "both_bad";
      for (const [a, accuracy] of [0.8, 0.75].entries()) {
        labels.push({ item: `i${i}`, annotator: `a${a}`, label: random() < accuracy ? truth : classes[Math.floor(random() * 4)]! });
      }
    }
    // Plain EM, the reference: at the old cap of 200 it has not converged; run long it does.
    expect(fitDawidSkene({ labels, accelerate: false, maxIterations: 200 }).converged).toBe(false);
    const plain = fitDawidSkene({ labels, accelerate: false, maxIterations: 100_000, tolerance: 1e-10 });
    expect(plain.converged).toBe(true);
    const fast = fitDawidSkene({ labels });
    expect(fast.converged).toBe(true);
    expect(fast.iterations).toBeLessThan(500);
    expect(fast.iterations).toBeLessThan(plain.iterations / 3);
    fast.annotators.forEach((a, j) => expect(a.accuracy).toBeCloseTo(plain.annotators[j]!.accuracy, 4));
    fast.items.forEach((item, i) => expect(item.label).toBe(plain.items[i]!.label));
  });
});
