import { pseudonymizeAnnotator } from "./pseudonymize-annotator.ts";
import type { ExportJudgmentRow } from "./types.ts";

const pairwise = {
  itemExternalId: "p1",
  prompt: "What is 2+2?",
  messages: null,
  responses: [
    { id: "r-1", externalId: "a", content: "4", model: "m1" },
    { id: "r-2", externalId: "b", content: "5", model: "m2" },
  ],
};
const multiTurn = {
  itemExternalId: "m1",
  prompt: null,
  messages: [
    { role: "user", content: "Hi" },
    { role: "assistant", content: "Hello" },
    { role: "user", content: "Joke?" },
  ],
  responses: [
    { id: "r-3", externalId: "x", content: "No.", model: null },
    { id: "r-4", externalId: "y", content: "A pun", model: null },
  ],
};
const kwise = {
  itemExternalId: "k1",
  prompt: "Draw a cat",
  messages: null,
  responses: [
    { id: "r-5", externalId: "a", content: "cat a", model: "sd" },
    { id: "r-6", externalId: "b", content: "cat b", model: "sdxl" },
    { id: "r-7", externalId: "c", content: "cat c", model: null },
  ],
};

const blank = {
  annotatorPseudonym: null,
  judgeModel: null,
  winnerId: null,
  ranking: null,
  strength: null,
  confidence: null,
  rationale: null,
  attributes: null,
  spans: null,
  timeMs: null,
};

/** Judgments of three items, grouped by item as the database layer delivers them. */
export function exampleJudgments(): ExportJudgmentRow[] {
  const human = (user: string) => ({ ...blank, source: "human" as const, annotatorPseudonym: pseudonymizeAnnotator(user, "salt") });
  return [
    {
      ...pairwise,
      ...human("user-1"),
      id: "j1",
      verdict: "winner",
      winnerId: "r-1",
      strength: 2,
      rationale: "Arithmetic.",
      attributes: { "r-1": { helpfulness: 4 }, "r-2": { helpfulness: 1 } },
      spans: [{ responseId: "r-2", start: 0, end: 1, label: "wrong" }],
      timeMs: 5400,
      createdAt: new Date("2025-01-02T03:04:05Z"),
    },
    { ...pairwise, ...human("user-2"), id: "j2", verdict: "winner", winnerId: "r-1", createdAt: "2025-01-02T03:05:00.000Z" },
    { ...pairwise, ...human("user-3"), id: "j3", verdict: "winner", winnerId: "b", createdAt: "2025-01-02T03:06:00.000Z" },
    { ...pairwise, ...blank, source: "judge", judgeModel: "gpt-judge", id: "j4", verdict: "tie", confidence: 0.7, createdAt: "2025-01-02T03:07:00.000Z" },
    { ...multiTurn, ...human("user-1"), id: "j5", verdict: "winner", winnerId: "r-4", createdAt: "2025-01-03T00:00:00.000Z" },
    { ...multiTurn, ...human("user-2"), id: "j6", verdict: "both_bad", rationale: "Neither is funny.", createdAt: "2025-01-03T00:01:00.000Z" },
    { ...kwise, ...human("user-1"), id: "j7", verdict: "ranking", ranking: [["r-6"], ["r-5", "r-7"]], createdAt: "2025-01-04T00:00:00.000Z" },
    {
      ...kwise,
      ...human("user-2"),
      id: "j8",
      verdict: "ranking",
      ranking: [["r-6"], ["r-7"], ["r-5"]],
      rationale: "b is clearest",
      createdAt: "2025-01-04T00:01:00.000Z",
    },
  ];
}
