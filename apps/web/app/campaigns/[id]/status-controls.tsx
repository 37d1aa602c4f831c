"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { callApi } from "@/lib/api-client";

const next: Record<string, Array<{ status: string; label: string; confirm?: string }>> = {
  draft: [
    { status: "active", label: "Start campaign" },
    { status: "closed", label: "Close", confirm: "Close this campaign? No new work will be handed out; all data is kept." },
  ],
  active: [
    { status: "paused", label: "Pause" },
    { status: "closed", label: "Close", confirm: "Close this campaign? No new work will be handed out; all data is kept." },
  ],
  paused: [
    { status: "active", label: "Resume" },
    { status: "closed", label: "Close", confirm: "Close this campaign? No new work will be handed out; all data is kept." },
  ],
  closed: [],
};

export function StatusControls({ campaignId, status }: { campaignId: string; status: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="card" role="group" aria-label="Campaign status">
      {(next[status] ?? []).map((t) => (
        <button
          key={t.status}
          type="button"
          style={{ marginRight: 8 }}
          onClick={async () => {
            if (t.confirm && !window.confirm(t.confirm)) return;
            try {
              await callApi(`/api/v1/campaigns/${campaignId}/status`, { body: { status: t.status }, fallbackMessage: "Failed" });
              router.refresh();
            } catch (e) {
              setError((e as Error).message);
            }
          }}
        >
          {t.label}
        </button>
      ))}
      {status === "closed" && <p className="muted">Closed: all items and judgments are kept and exportable.</p>}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </div>
  );
}
