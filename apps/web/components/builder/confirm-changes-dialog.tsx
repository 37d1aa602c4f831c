/** Asks before a change that affects judgments already collected (the API's 409 `needs_confirmation`), listing each. */
export function ConfirmChangesDialog({
  details,
  saving,
  onConfirm,
  onCancel,
}: {
  details: Array<Record<string, unknown>>;
  saving: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  return (
    <div className="modal-backdrop">
      <div role="alertdialog" aria-modal="true" aria-labelledby="confirm-title" aria-describedby="confirm-body" className="card modal">
        <h2 id="confirm-title">Change settings of a campaign with judgments?</h2>
        <div id="confirm-body">
          <p>These changes affect judgments already collected:</p>
          <ul>
            {details.map((d, i) => (
              <li key={i}>{String(d.message ?? d.path)}</li>
            ))}
          </ul>
          <p className="muted">Collected judgments are kept as they are; open tasks are handed out again with the new settings.</p>
        </div>
        <p>
          <button type="button" className="primary" autoFocus disabled={saving} onClick={onConfirm}>
            Apply anyway
          </button>{" "}
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        </p>
      </div>
    </div>
  );
}
