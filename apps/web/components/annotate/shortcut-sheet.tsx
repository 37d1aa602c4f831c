import type { Task } from "./types";

type Rows = Array<[string, string]>;

/** Every task kind's keyboard flow, start to submit; the sheet leads with the kind on screen. */
const flows: Array<{ id: "pairwise" | "kwise" | "best-only" | "rationale"; title: string; rows: Rows }> = [
  {
    id: "pairwise",
    title: "Pairwise (A or B)",
    rows: [
      ["1 / 2", "Choose response A / B"],
      ["t", "Tie"],
      ["x", "Both bad"],
      ["⇧1 ⇧2 ⇧3", "Strength: slightly / clearly / much better"],
      ["Enter", "Submit"],
    ],
  },
  {
    id: "kwise",
    title: "K-wise ranking (keys work from page load; no need to Tab to a response)",
    rows: [
      ["j / k", "Make the next / previous response current (outlined)"],
      ["↑ ↓", "Move the current response up or down"],
      ["1 … 9", "Put the current response at that rank"],
      ["t", "Tie the current response with the one above (again: untie)"],
      [
        "Enter",
        "Submit. An untouched ranking is not submitted at once: the first Enter asks “Submit the order as shown?”, a second Enter (or “Submit as shown”) confirms",
      ],
      ["Tab", "Also reaches each response and its ↑ ↓ = buttons; a focused response is the current one"],
    ],
  },
  {
    id: "best-only",
    title: "Best of K",
    rows: [
      ["1 … 9", "Choose that response as the best"],
      ["Enter", "Submit"],
    ],
  },
  {
    id: "rationale",
    title: "Rationale (ratings, spans, written reason)",
    rows: [
      ["a", "Go to the ratings (first attribute of response A)"],
      ["0 … 9", "On a rating: set it (values outside its scale are ignored); Backspace clears it"],
      ["↑ ↓", "On a rating: previous / next attribute (on to the next response's)"],
      ["← →", "On a rating: the same attribute of the other response"],
      ["h", "Go to a response's text to tag spans (again: the next response's)"],
      ["← →", "In the text: move the caret a word"],
      ["⇧← ⇧→", "In the text: extend the selection a word"],
      ["⇧↑ ⇧↓", "In the text: extend the selection to the start / end of the sentence"],
      ["Home / End", "In the text: to the first / last word (with ⇧: extend)"],
      ["1 … 9", "In the text: tag the selection with that label (the order of the Tag buttons)"],
      ["w", "Go to the written rationale"],
      ["Ctrl+Enter", "Submit from the rationale box (Enter elsewhere)"],
      ["Esc", "Leave a rating or the text (in the text, the first Esc drops the selection)"],
    ],
  },
];

const everywhere: Rows = [
  ["s", "Skip with a reason"],
  ["u", "Undo the last judgment (2 minutes)"],
  ["g", "Show or hide the guidelines"],
  ["?", "Show or hide this sheet"],
  ["Esc", "Close panels"],
  [
    "any key between tasks",
    "Kept and applied to the next task in order (shown beside “Loading the next task…”); if no task comes, the page says which keys were not used",
  ],
];

function kindsOf(task: Task | null): string[] {
  if (!task) return [];
  const kinds = [task.comparison === "pairwise" ? "pairwise" : task.options.kwiseMode === "best_only" ? "best-only" : "kwise"];
  if (task.options.rationale !== "off" || task.options.attributes.length > 0) kinds.push("rationale");
  return kinds;
}

function Table({ rows }: { rows: Rows }) {
  return (
    <table>
      <tbody>
        {rows.map(([k, v], i) => (
          <tr key={i}>
            <th scope="row">
              <kbd>{k}</kbd>
            </th>
            <td>{v}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ShortcutSheet({ onClose, task = null }: { onClose: () => void; task?: Task | null }) {
  const current = kindsOf(task);
  const ordered = [...flows.filter((f) => current.includes(f.id)), ...flows.filter((f) => !current.includes(f.id))];
  return (
    <aside className="card overlay-panel shortcut-sheet" role="dialog" aria-label="Keyboard shortcuts">
      <h2>Keyboard shortcuts</h2>
      {ordered.map((f) => (
        <section key={f.id} aria-label={f.title}>
          <h3>
            {f.title}
            {current.includes(f.id) ? <span className="badge">this task</span> : null}
          </h3>
          <Table rows={f.rows} />
        </section>
      ))}
      <section aria-label="Every task">
        <h3>Every task</h3>
        <Table rows={everywhere} />
      </section>
      <button type="button" onClick={onClose}>
        Close
      </button>
    </aside>
  );
}
