import { useState } from "react";
import { Markdown, MediaPolicyProvider } from "@/components/annotate/content";
import { mediaHostList } from "./config-form-state";
import { Field, type FieldsetProps } from "./fields";

/** 3. Guidelines in markdown, with a preview that shows media as annotators will see it, and the hosts media may come from. */
export function GuidelinesFieldset({ state, set, locked }: Pick<FieldsetProps, "state" | "set" | "locked">) {
  const [tab, setTab] = useState<"write" | "preview">("write");
  return (
    <fieldset className="card" disabled={locked}>
      <legend>3. Guidelines and media</legend>
      <div role="tablist" aria-label="Guidelines editor" className="tabs">
        <button type="button" role="tab" aria-selected={tab === "write"} onClick={() => setTab("write")}>
          Write
        </button>
        <button type="button" role="tab" aria-selected={tab === "preview"} onClick={() => setTab("preview")}>
          Preview
        </button>
      </div>
      {tab === "write" ? (
        <textarea
          id="cfg-guidelines"
          aria-label="Guidelines (markdown)"
          rows={10}
          className="guidelines-editor"
          value={state.guidelines}
          maxLength={100_000}
          placeholder={"# What makes a response better\n\n- Correct before fluent\n- …"}
          onChange={(e) => set("guidelines", e.target.value)}
        />
      ) : (
        <div className="guidelines-preview" aria-label="Guidelines preview">
          {state.guidelines.trim() ? (
            <MediaPolicyProvider allowedHosts={mediaHostList(state.mediaHosts)} preview>
              <Markdown text={state.guidelines} />
            </MediaPolicyProvider>
          ) : (
            <p className="muted">Nothing written yet.</p>
          )}
        </div>
      )}
      <Field
        id="cfg-mediaHosts"
        label="Hosts annotators may load images, audio and video from (comma-separated)"
        hint="An annotator's browser that loads an image from another site tells that site the annotator's IP address and when they looked at the item. Media in items and guidelines is therefore shown only from the hosts listed here (e.g. images.example.org, *.example.org for its subdomains, 127.0.0.1:8080); anything else shows a placeholder saying it was not loaded."
      >
        <input
          id="cfg-mediaHosts"
          value={state.mediaHosts}
          placeholder="images.example.org"
          aria-describedby="cfg-mediaHosts-hint"
          onChange={(e) => set("mediaHosts", e.target.value)}
        />
      </Field>
    </fieldset>
  );
}
