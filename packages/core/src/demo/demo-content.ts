import type { NewItem } from "../items/insert-items.ts";

// Written for Arbiter's demo; no third-party data. Models are fictional.

export const demoPairwiseItems: NewItem[] = [
  {
    externalId: "demo-pair-1",
    prompt: "Explain in two sentences why the sky is blue.",
    responses: [
      {
        externalId: "a",
        model: "helpful-7b",
        content:
          "Sunlight is scattered by the molecules in the air, and shorter (blue) wavelengths scatter much more than longer (red) ones — this is **Rayleigh scattering**. So when you look away from the sun, blue light reaches your eyes from every direction.",
      },
      { externalId: "b", model: "terse-3b", content: "Because the ocean reflects onto it." },
    ],
  },
  {
    externalId: "demo-pair-2",
    prompt: "Write a Python function that returns the n-th Fibonacci number.",
    responses: [
      { externalId: "a", model: "terse-3b", content: "```python\ndef fib(n):\n    return fib(n - 1) + fib(n - 2)\n```" },
      {
        externalId: "b",
        model: "helpful-7b",
        content:
          "An iterative version runs in O(n) time:\n\n```python\ndef fib(n: int) -> int:\n    a, b = 0, 1\n    for _ in range(n):\n        a, b = b, a + b\n    return a\n```\n\n`fib(10)` returns `55`.",
      },
    ],
  },
  {
    externalId: "demo-pair-3",
    messages: [
      { role: "system", content: "You are a concise travel assistant." },
      { role: "user", content: "I have one day in Lisbon. What should I see?" },
      { role: "assistant", content: "Do you prefer museums or walking around neighbourhoods?" },
      { role: "user", content: "Walking, definitely." },
    ],
    responses: [
      {
        externalId: "a",
        model: "wander-13b",
        content:
          "Start in **Alfama** in the morning, take tram 28 up to São Jorge Castle, walk down through Baixa to the river, and end the day with sunset at the Miradouro de Santa Catarina.",
      },
      { externalId: "b", model: "helpful-7b", content: "1. Alfama\n2. Baixa\n3. Belém\n\nEnjoy!" },
    ],
  },
  {
    externalId: "demo-pair-4",
    prompt: "What is 17 × 24?",
    responses: [
      { externalId: "a", model: "wander-13b", content: "17 × 24 = 408." },
      { externalId: "b", model: "terse-3b", content: "17 × 24 = 418." },
    ],
  },
  {
    externalId: "demo-pair-5",
    prompt: "Give me a one-line summary of what a hash table is.",
    responses: [
      { externalId: "a", model: "helpful-7b", content: "A hash table maps keys to values by hashing each key to a bucket index, giving average O(1) lookups." },
      {
        externalId: "b",
        model: "wander-13b",
        content: "A data structure that stores key–value pairs in buckets chosen by a hash function, so lookups are fast on average.",
      },
    ],
  },
  {
    externalId: "demo-pair-gold-1",
    prompt: "Which planet is closest to the Sun?",
    gold: { winner: "a" },
    responses: [
      { externalId: "a", model: "helpful-7b", content: "Mercury." },
      { externalId: "b", model: "terse-3b", content: "Venus." },
    ],
  },
];

const kwiseModels = ["helpful-7b", "terse-3b", "wander-13b", "poet-1b"];

function fourWay(externalId: string, prompt: string, answers: [string, string, string, string]): NewItem {
  return { externalId, prompt, responses: answers.map((content, i) => ({ externalId: `r${i + 1}`, model: kwiseModels[i] ?? null, content })) };
}

export const demoKwiseItems: NewItem[] = [
  fourWay("demo-rank-1", "Suggest a name for a bakery that specialises in sourdough.", [
    "**Wild Rise Bakery** — a nod to the wild yeast that makes sourdough.",
    "Bread Shop.",
    "How about *The Patient Loaf*? Good sourdough takes time, and the name says so.",
    "Crust and moon, a loaf at noon.",
  ]),
  fourWay("demo-rank-2", "How do I undo the last git commit but keep my changes?", [
    "Run `git reset --soft HEAD~1`: the commit is removed and your changes stay staged.",
    "Delete the .git folder.",
    "Use `git reset HEAD~1` (mixed): the commit goes away and the changes stay in your working tree, unstaged. Add `--soft` to keep them staged.",
    "Commits are like leaves; let them fall.",
  ]),
  fourWay("demo-rank-3", "Convert 100 °F to Celsius.", [
    "100 °F is about 37.8 °C: (100 − 32) × 5/9.",
    "38.",
    "(100 − 32) × 5 ⁄ 9 = 37.78 °C — roughly body temperature.",
    "Warm as a summer afternoon.",
  ]),
];

export const demoRationaleItems: NewItem[] = [
  {
    externalId: "demo-why-1",
    prompt: "Is it safe to eat raw cookie dough?",
    responses: [
      {
        externalId: "a",
        model: "helpful-7b",
        content: "Usually not: raw flour can carry *E. coli* and raw eggs can carry *Salmonella*. Heat-treated flour and pasteurised eggs make it much safer.",
      },
      { externalId: "b", model: "terse-3b", content: "Yes, it's completely safe, people do it all the time." },
    ],
  },
  {
    externalId: "demo-why-2",
    prompt: "Summarise the plot of Romeo and Juliet in one sentence.",
    responses: [
      {
        externalId: "a",
        model: "wander-13b",
        content:
          "Two young lovers from feuding families in Verona secretly marry, and a chain of misunderstandings ends in both of their deaths, which finally reconciles the families.",
      },
      { externalId: "b", model: "poet-1b", content: "A story about love." },
    ],
  },
  {
    externalId: "demo-why-3",
    prompt: "Write a SQL query that counts orders per customer.",
    responses: [
      {
        externalId: "a",
        model: "helpful-7b",
        content: "```sql\nSELECT customer_id, COUNT(*) AS orders\nFROM orders\nGROUP BY customer_id\nORDER BY orders DESC;\n```",
      },
      { externalId: "b", model: "terse-3b", content: "```sql\nSELECT COUNT(*) FROM orders;\n```" },
    ],
  },
];

export const demoGuidelines = `## How to judge

1. Read the prompt (and the conversation, if any) first.
2. Prefer the response that is **correct**, then **helpful**, then **clear**.
3. Use *tie* only when you truly cannot prefer one; use *both bad* when neither is acceptable.

Keyboard: \`1\` / \`2\` pick a response, \`t\` tie, \`b\` both bad, \`Enter\` submits, \`?\` shows every shortcut.`;
