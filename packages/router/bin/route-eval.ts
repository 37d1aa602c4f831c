import { parseArgs } from "node:util";
import { InputError, routeJsonlFile } from "../src/cli/route-jsonl-file.ts";
import { parseBudgetArg } from "../src/cli/parse-budget-arg.ts";

const USAGE = `usage: npm run route:eval -- --data <in.jsonl> --budget <0.25 | 40 | 25%> --out <decisions.jsonl> [--seed N] [--explain]

Lines with "human" labels train the disagreement model; every other line is routed to "human"
or "judge". A budget in [0, 1] (or with %) is a fraction of the routed lines, an integer above 1
a count. Any "gold" field is ignored.`;

function fail(message: string): never {
  process.stderr.write(`route:eval: ${message}\n`);
  process.exit(2);
}

async function main() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        data: { type: "string" },
        budget: { type: "string" },
        out: { type: "string" },
        seed: { type: "string", default: "0" },
        explain: { type: "boolean", default: false },
        help: { type: "boolean", default: false },
      },
      strict: true,
    }));
  } catch (error) {
    fail(`${(error as Error).message}\n${USAGE}`);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (!values.data || !values.budget || !values.out) fail(`--data, --budget and --out are required\n${USAGE}`);
  const seed = Number(values.seed);
  if (!Number.isSafeInteger(seed)) fail(`--seed must be an integer, got "${values.seed}"`);

  let budget;
  try {
    budget = parseBudgetArg(values.budget);
  } catch (error) {
    fail((error as Error).message);
  }
  try {
    const summary = await routeJsonlFile({ dataPath: values.data, outPath: values.out, budget, seed, explain: values.explain });
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  } catch (error) {
    if (error instanceof InputError) fail(error.message);
    throw error;
  }
}

await main();
