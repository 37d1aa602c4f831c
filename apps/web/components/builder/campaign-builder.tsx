"use client";
import { useState, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import type { CampaignView } from "@arbiter/core/client";
import { ApiCallError, callApi } from "@/lib/api-client";
import { BasicsFieldset } from "./basics-fieldset";
import { initialState, toConfig, type BuilderState } from "./config-form-state";
import { ConfirmChangesDialog } from "./confirm-changes-dialog";
import { DatasetFieldset } from "./dataset-fieldset";
import { GuidelinesFieldset } from "./guidelines-fieldset";
import { OverlapGoldFieldset } from "./overlap-gold-fieldset";
import { RoutingSettingsPointer } from "./routing-settings-pointer";
import { TaskFieldset } from "./task-fieldset";
import { TaskPreview } from "./task-preview";

interface Pending {
  message: string;
  details: Array<Record<string, unknown>>;
}

/**
 * The guided campaign form: task kind and its options, guidelines with a preview, overlap and
 * gold, dataset license, and a live preview of the annotator page. Creating goes to
 * `POST /api/v1/campaigns`; editing to `PATCH /api/v1/campaigns/:id`, where a change that
 * affects collected judgments comes back as 409 and is confirmed in a dialog.
 */
export function CampaignBuilder({ campaign }: { campaign?: Pick<CampaignView, "id" | "name" | "description" | "taskType" | "status" | "config"> }) {
  const router = useRouter();
  const [state, setState] = useState<BuilderState>(() => initialState(campaign));
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<{ message: string; details: Array<Record<string, unknown>> } | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  const locked = campaign?.status === "closed";

  const set = <K extends keyof BuilderState>(key: K, value: BuilderState[K]) => setState((s) => ({ ...s, [key]: value }));
  const fieldset = { state, set, update: setState, locked };

  async function save(confirm: boolean) {
    setSaving(true);
    setError(null);
    setSaved(null);
    try {
      const config = toConfig(state);
      if (!campaign) {
        for (const key of Object.keys(config)) if (config[key] === null && key !== "goldPauseThreshold") delete config[key];
        const created = await callApi<{ id: string }>("/api/v1/campaigns", {
          body: { name: state.name, ...(state.description.trim() ? { description: state.description } : {}), taskType: state.taskType, config },
        });
        router.push(`/admin/campaigns/${created.id}/edit?created=1`);
        return;
      }
      const body = locked
        ? { name: state.name, description: state.description || null }
        : { name: state.name, description: state.description || null, taskType: state.taskType, config, ...(confirm ? { confirm: true } : {}) };
      await callApi(`/api/v1/campaigns/${campaign.id}`, { method: "PATCH", body });
      setPending(null);
      setSaved("Saved.");
      router.refresh();
    } catch (e) {
      if (e instanceof ApiCallError && e.status === 409 && e.details.some((d) => d.reason === "needs_confirmation")) {
        setPending({ message: e.message, details: e.details });
      } else if (e instanceof ApiCallError) {
        setError({ message: e.message, details: e.details });
      } else {
        setError({ message: (e as Error).message, details: [] });
      }
    } finally {
      setSaving(false);
    }
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void save(false);
  }

  return (
    <div className="builder">
      <form className="builder-form" aria-label="Campaign settings" onSubmit={onSubmit}>
        {locked && (
          <p className="notice">This campaign is closed: its settings are kept as they were. You can still rename it, or duplicate it to run it again.</p>
        )}

        <BasicsFieldset state={state} set={set} />
        <TaskFieldset {...fieldset} />
        <GuidelinesFieldset {...fieldset} />
        <OverlapGoldFieldset {...fieldset} />
        <DatasetFieldset {...fieldset} />
        <RoutingSettingsPointer legend="6. LLM judge" campaignId={campaign?.id}>
          Which model judges, its endpoint and key are set there; this form keeps them as they are.
        </RoutingSettingsPointer>
        <RoutingSettingsPointer legend="7. Routing" campaignId={campaign?.id}>
          Which items go to humans and which to the judge (budget, calibration share) is set there; this form keeps it as it is.
        </RoutingSettingsPointer>

        <div className="builder-actions">
          <button type="submit" className="primary" disabled={saving}>
            {campaign ? "Save changes" : "Create campaign"}
          </button>
          {saving && (
            <span className="muted" role="status">
              Saving…
            </span>
          )}
          {saved && (
            <span role="status" className="saved">
              {saved}
            </span>
          )}
        </div>
        {error && (
          <div role="alert" className="error">
            <p>{error.message}</p>
            {error.details.length > 1 && (
              <ul>
                {error.details.map((d, i) => (
                  <li key={i}>
                    {String(d.path ?? "")}
                    {d.path ? ": " : ""}
                    {String(d.message ?? "")}
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
      </form>

      <TaskPreview state={state} />

      {pending && <ConfirmChangesDialog details={pending.details} saving={saving} onConfirm={() => void save(true)} onCancel={() => setPending(null)} />}
    </div>
  );
}
