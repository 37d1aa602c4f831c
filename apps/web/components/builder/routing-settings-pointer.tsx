/** 6. and 7. Sections the routing settings own (the judge, routing): what is set there, and a link when the campaign exists. */
export function RoutingSettingsPointer({ legend, children, campaignId }: { legend: string; children: string; campaignId?: string }) {
  return (
    <fieldset className="card placeholder-section">
      <legend>{legend}</legend>
      <p className="muted">
        <strong>Configured in the routing settings.</strong> {children}
      </p>
      {campaignId && (
        <p>
          <a href={`/campaigns/${campaignId}/routing`}>Open the judge and routing settings</a>
        </p>
      )}
    </fieldset>
  );
}
