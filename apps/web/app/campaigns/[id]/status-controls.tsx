"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";

const next: Record<string, Array<{ status: string; label: string; confirm?: string }>> = {
  draft: [{ status: "active", label: "Start campaign" }, { status: "closed", label: "Close", confirm: "Close this campaign? No new work will be handed out; all data is kept." }],
  active: [{ status: "paused", label: "Pause" }, { status: "closed", label: "Close", confirm: "Close this campaign? No new work will be handed out; all data is kept." }],
  paused: [{ status: "active", label: "Resume" }, { status: "closed", label: "Close", confirm: "Close this campaign? No new work will be handed out; all data is kept." }],
  closed: [],
};

export function StatusControls({ campaignId, status }: { campaignId: string; status: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="card" role="group" aria-label="Campaign status">
      {(next[status] ?? []).map((t) => (
        <button key={t.status} type="button" style={{ marginRight: 8 }} onClick={async () => {
          if (t.confirm && !window.confirm(t.confirm)) return;
          const response = await fetch(`/api/v1/campaigns/${campaignId}/status`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ status: t.status }) });
          if (!response.ok) setError((await response.json().catch(() => null))?.error?.message ?? "Failed");
          else router.refresh();
        }}>{t.label}</button>
      ))}
      {status === "closed" && <p className="muted">Closed: all items and judgments are kept and exportable.</p>}
      {error && <p role="alert" className="error">{error}</p>}
    </div>
  );
}
