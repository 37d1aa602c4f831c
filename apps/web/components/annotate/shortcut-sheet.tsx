const rows: Array<[string, string]> = [
  ["1 … 9", "Pairwise / best-only: choose that response"],
  ["t", "Tie (pairwise); in a ranking: tie the focused response with the one above"],
  ["x", "Both bad"],
  ["⇧1 ⇧2 ⇧3", "Strength: slightly / clearly / much better"],
  ["↑ ↓", "Ranking: move the focused response up or down"],
  ["1 … 9 (on a focused response)", "Ranking: move it to that rank"],
  ["j / k", "Ranking: focus the next / previous response"],
  ["Enter", "Submit (Ctrl+Enter from the rationale box)"],
  ["s", "Skip with a reason"],
  ["u", "Undo the last judgment (2 minutes)"],
  ["g", "Show or hide the guidelines"],
  ["?", "Show or hide this sheet"],
  ["Esc", "Close panels"],
];

export function ShortcutSheet({ onClose }: { onClose: () => void }) {
  return (
    <aside className="card overlay-panel" role="dialog" aria-label="Keyboard shortcuts">
      <h2>Keyboard shortcuts</h2>
      <table>
        <tbody>
          {rows.map(([k, v]) => (
            <tr key={k}>
              <th scope="row">
                <kbd>{k}</kbd>
              </th>
              <td>{v}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" onClick={onClose}>
        Close
      </button>
    </aside>
  );
}
