import type { HintInfluence, Rate, RewardModelInfo } from "@arbiter/core";
import { percent } from "./format";

function rateCell(r: Rate) {
  if (r.rate === null || r.ci === null) return <td>—</td>;
  return (
    <td>
      {percent(r.rate)}{" "}
      <span className="muted">
        ({percent(r.ci[0])}–{percent(r.ci[1])}, n = {r.n})
      </span>
    </td>
  );
}

/** Which hint source an arm's judgments were made under, with counts ("judge's verdict: 40, reward model: 12"). */
function sourceText(sources: HintInfluence["hint"]["sources"]): string {
  const parts = [
    sources.judge > 0 ? `judge's verdict: ${sources.judge}` : null,
    sources["reward-model"] > 0 ? `reward model: ${sources["reward-model"]}` : null,
    sources.unrecorded > 0 ? `not recorded: ${sources.unrecorded}` : null,
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(", ") : "—";
}

/**
 * The "hint influence" panel: labels made with the hint (the model's view or the judge's verdict,
 * per `hintSource`) against the no-hint arm (`hintControlShare`), with 95 % intervals, which source
 * each arm's judgments were made under, and the gate's state with what it rests on.
 */
export function HintInfluencePanel({ influence, model }: { influence: HintInfluence; model: RewardModelInfo | null }) {
  const gate = model?.gate;
  const arms = [
    { name: "With hints", figures: influence.hint },
    { name: "Without hints (control)", figures: influence.control },
  ];
  return (
    <section aria-labelledby="hint-influence-heading" data-hint-influence="">
      <h2 id="hint-influence-heading">Hint influence</h2>
      {gate && gate.source === "judge" && (
        <p data-hint-gate={gate.open ? "open" : "shut"} data-hint-source="judge">
          Hint source: the LLM judge&apos;s verdict{gate.judge ? ` (${gate.judge.model})` : ""}. Judge gate: <strong>{gate.open ? "open" : "shut"}</strong>
          {gate.accuracy !== null && gate.accuracyCi
            ? ` — agrees with annotators ${percent(gate.accuracy)} (95 % interval ${percent(gate.accuracyCi[0])}–${percent(gate.accuracyCi[1])}) on ${gate.calibrationItems} calibration items`
            : ` — 0 calibration items labelled by both the judge and annotators`}
          {gate.baselines ? `; "longer wins" ${percent(gate.baselines.longer)}, "shorter wins" ${percent(gate.baselines.shorter)} on the same items` : ""}.
          {!gate.enforced && " The gate is off for this campaign (hintGate: off): the judge's verdict shows whatever its agreement says."}
          {gate.reasons.length > 0 && <span className="muted"> {gate.reasons.join("; ")}.</span>}
        </p>
      )}
      {gate && gate.source !== "judge" && (
        <p data-hint-gate={gate.open ? "open" : "shut"} data-hint-source="reward-model">
          Reward-model gate: <strong>{gate.open ? "open" : "shut"}</strong>
          {gate.accuracy !== null && gate.accuracyCi
            ? ` — v${gate.version}: ${percent(gate.accuracy)} right (95 % interval ${percent(gate.accuracyCi[0])}–${percent(gate.accuracyCi[1])}) on ${gate.heldOutPairs} held-out pairs`
            : ""}
          {gate.baselines ? `; "longer wins" ${percent(gate.baselines.longer)}, "shorter wins" ${percent(gate.baselines.shorter)}` : ""}
          {gate.calibration?.eceBefore != null && gate.calibration.eceAfter != null
            ? `; calibration error ${gate.calibration.eceBefore.toFixed(3)} → ${gate.calibration.eceAfter.toFixed(3)} after temperature scaling (${gate.calibration.measurePairs} pairs)`
            : ""}
          .{!gate.enforced && " The gate is off for this campaign (hintGate: off): hints show whatever the validation says."}
          {gate.reasons.length > 0 && <span className="muted"> {gate.reasons.join("; ")}.</span>}
        </p>
      )}
      {gate && (
        <p data-hint-ask={gate.ask ? "validated" : "never"}>
          &ldquo;Keep your choice?&rdquo;:{" "}
          {gate.ask ? (
            <>
              asked when the model is at least {percent(gate.ask.threshold)} sure (calibrated) of another response — at that confidence it was right{" "}
              {percent(gate.ask.precision)} (95 % interval {percent(gate.ask.precisionCi[0])}–{percent(gate.ask.precisionCi[1])}) on {gate.ask.heldOutPairs}{" "}
              held-out pairs.
            </>
          ) : (
            <>
              {gate.open && !gate.enforced ? "asked at 80 %, not validated (hintGate: off)" : "never asked"}
              <span className="muted"> — {gate.askReasons.join("; ")}.</span>
            </>
          )}
        </p>
      )}
      <table>
        <thead>
          <tr>
            <th scope="col">Arm</th>
            <th scope="col">Judgments</th>
            <th scope="col">Agrees with the hint</th>
            <th scope="col">Agrees with other annotators</th>
            <th scope="col">Changed mind</th>
            <th scope="col">Picks / ties / both bad</th>
            <th scope="col">Hint source</th>
          </tr>
        </thead>
        <tbody>
          {arms.map(({ name, figures }) => (
            <tr key={name}>
              <th scope="row">{name}</th>
              <td>{figures.judgments}</td>
              {rateCell(figures.agreesWithModel)}
              {rateCell(figures.agreesWithOthers)}
              {rateCell(figures.changedMind)}
              <td>
                {percent(figures.labels.winner)} / {percent(figures.labels.tie)} / {percent(figures.labels.both_bad)}
              </td>
              <td data-hint-sources="">{sourceText(figures.sources)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">
        {influence.note} {influence.other} judgment(s) had no model view to show or predate the arms.
      </p>
    </section>
  );
}
