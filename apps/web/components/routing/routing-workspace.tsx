"use client";
import { useCallback, useEffect, useState } from "react";
import type { RoutingDashboard, SecretView } from "@arbiter/core/client";
import { callApi } from "@/lib/api-client";
import { JudgeSettingsForm } from "./judge-settings-form";
import { RoutingDashboardView } from "./routing-dashboard";
import { RoutingSettingsForm } from "./routing-settings-form";
import { SecretsPanel } from "./secrets-panel";

const REFRESH_MS = 5_000;

/** The routing page's client side: the dashboard refreshes itself while the tab is visible; forms refresh it after a save. */
export function RoutingWorkspace(props: {
  campaignId: string;
  campaignStatus: string;
  taskType: string;
  canEdit: boolean;
  initialDashboard: RoutingDashboard;
  initialSecrets: SecretView[];
  /** When the server read `initialDashboard` (ISO): the first render shows the same time on the server and in the browser. */
  loadedAt: string;
}) {
  const { campaignId, canEdit } = props;
  const [dashboard, setDashboard] = useState(props.initialDashboard);
  const [secrets, setSecrets] = useState(props.initialSecrets);
  const [updatedAt, setUpdatedAt] = useState(props.loadedAt);
  const [refreshError, setRefreshError] = useState<string | null>(null);

  const refresh = useCallback(async () => {
    try {
      setDashboard(await callApi<RoutingDashboard>(`/api/v1/campaigns/${campaignId}/routing`));
      setUpdatedAt(new Date().toISOString());
      setRefreshError(null);
    } catch (error) {
      setRefreshError((error as Error).message);
    }
  }, [campaignId]);

  const refreshSecrets = useCallback(async () => {
    setSecrets(await callApi<SecretView[]>(`/api/v1/campaigns/${campaignId}/secrets`));
  }, [campaignId]);

  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === "visible") void refresh();
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [refresh]);

  return (
    <>
      <RoutingDashboardView
        campaignId={campaignId}
        dashboard={dashboard}
        canEdit={canEdit}
        campaignStatus={props.campaignStatus}
        onChanged={refresh}
        updatedAt={updatedAt}
        refreshError={refreshError}
      />
      <RoutingSettingsForm
        campaignId={campaignId}
        routing={dashboard.routing}
        canEdit={canEdit && props.campaignStatus !== "closed"}
        judgeEnabled={dashboard.judge.enabled}
        onSaved={refresh}
      />
      <JudgeSettingsForm
        campaignId={campaignId}
        view={dashboard.judge}
        taskType={props.taskType}
        secrets={secrets}
        canEdit={canEdit && props.campaignStatus !== "closed"}
        onSaved={refresh}
      />
      {canEdit && <SecretsPanel campaignId={campaignId} secrets={secrets} judgeBaseUrl={dashboard.judge.settings?.baseUrl} onChanged={refreshSecrets} />}
    </>
  );
}
