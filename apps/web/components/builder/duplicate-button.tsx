"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { callApi } from "@/lib/api-client";

/** Copies the campaign (settings, items, responses; no judgments) into a new draft and opens it. */
export function DuplicateButton({ campaignId }: { campaignId: string }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <button
        type="button"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          setError(null);
          try {
            const copy = await callApi<{ id: string }>(`/api/v1/campaigns/${campaignId}/duplicate`, { body: {} });
            router.push(`/admin/campaigns/${copy.id}/edit?duplicated=1`);
          } catch (e) {
            setError((e as Error).message);
            setBusy(false);
          }
        }}
      >
        {busy ? "Duplicating…" : "Duplicate campaign"}
      </button>
      {error && (
        <span role="alert" className="error">
          {" "}
          {error}
        </span>
      )}
    </>
  );
}
