"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import type { StartedBattle } from "@arbiter/core/client";
import { ApiCallError, callApi } from "@/lib/api-client";
import { ResponseText } from "@/components/annotate/content";

interface Props {
  campaignId: string;
  campaignName: string;
  taskType: "pairwise" | "kwise" | "rationale";
  promptSource: "annotator" | "pool" | "both";
  maxPromptChars: number;
  allowTie: boolean;
  allowBothBad: boolean;
  active: boolean;
}

interface Column {
  id: string;
  content: string;
  done: boolean;
  finishReason?: string;
  name?: string;
}

type Phase = "idle" | "starting" | "streaming" | "ready" | "voting" | "revealed" | "void";
type Message = { role: "user" | "assistant" | "system"; content: string };

const LABELS = ["A", "B", "C", "D"];

/**
 * The battle page: the prompt box, the answers streaming in side by side (Server-Sent Events from
 * `GET /api/v1/battles/:id/stream`), the vote once every answer is complete (the ordinary
 * judgment endpoint) and the revealed names. A void battle says why and is tried once more with
 * the same prompt (the server pairs other models); answers render as sanitized markdown.
 */
export function BattleArena(props: Props) {
  const [prompt, setPrompt] = useState("");
  const [phase, setPhase] = useState<Phase>("idle");
  const [columns, setColumns] = useState<Column[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [battle, setBattle] = useState<StartedBattle | null>(null);
  const [asked, setAsked] = useState<Message[]>([]);
  const [chosen, setChosen] = useState<string | null>(null);
  const [continueChat, setContinueChat] = useState(false);
  const source = useRef<EventSource | null>(null);
  const retried = useRef(false);
  const startedAt = useRef(0);

  useEffect(() => () => source.current?.close(), []);

  const follow = useCallback((started: StartedBattle) => {
    source.current?.close();
    const events = new EventSource(`/api/v1/battles/${started.battleId}/stream`);
    source.current = events;
    const update = (candidateId: string, change: (c: Column) => Column) => setColumns((cols) => cols.map((c) => (c.id === candidateId ? change(c) : c)));
    events.addEventListener("delta", (e) => {
      const data = JSON.parse((e as MessageEvent<string>).data) as { candidateId: string; text: string };
      update(data.candidateId, (c) => ({ ...c, content: c.content + data.text }));
    });
    events.addEventListener("done", (e) => {
      const data = JSON.parse((e as MessageEvent<string>).data) as { candidateId: string; finishReason: string };
      update(data.candidateId, (c) => ({ ...c, done: true, finishReason: data.finishReason }));
    });
    events.addEventListener("ready", () => {
      events.close();
      setPhase("ready");
    });
    events.addEventListener("error", (e) => {
      events.close();
      const raw = (e as MessageEvent<string>).data;
      const data = raw ? (JSON.parse(raw) as { message: string }) : null;
      setPhase("void");
      setError(data?.message ?? "The connection to the battle was lost.");
    });
  }, []);

  const start = useCallback(
    async (messages: Message[] | null) => {
      setError(null);
      setPhase("starting");
      setChosen(null);
      try {
        const started = await callApi<StartedBattle>(`/api/v1/campaigns/${props.campaignId}/battles`, {
          body: messages ? { messages } : {},
          fallbackMessage: "Could not start the battle.",
        });
        startedAt.current = performance.now();
        setBattle(started);
        setAsked(messages ?? []);
        setColumns(started.candidates.map((c) => ({ id: c.id, content: "", done: false })));
        setPhase("streaming");
        follow(started);
      } catch (e) {
        setPhase("idle");
        setError(e instanceof ApiCallError ? e.message : "Could not start the battle.");
      }
    },
    [follow, props.campaignId],
  );

  // A void battle (a model failed) is tried once more with the same prompt; the server leaves the failed model out.
  useEffect(() => {
    if (phase !== "void" || retried.current || asked.length === 0) return;
    retried.current = true;
    setNotice("One model failed, so that battle does not count. Trying again with other models…");
    void start(asked);
  }, [phase, asked, start]);

  const submitPrompt = () => {
    const text = prompt.trim();
    retried.current = false;
    setNotice(null);
    if (text === "" && props.promptSource !== "annotator") return void start(null);
    if (text === "") return setError("Write a prompt first.");
    const previous =
      continueChat && phase === "revealed"
        ? [...asked, { role: "assistant" as const, content: columns.find((c) => c.id === chosen)?.content ?? columns[0]?.content ?? "" }]
        : [];
    void start([...previous, { role: "user", content: text }]);
    setPrompt("");
  };

  const vote = async (winner: string) => {
    if (!battle || phase !== "ready") return;
    setPhase("voting");
    const ids = columns.map((c) => c.id);
    const body =
      props.taskType === "kwise"
        ? { ranking: winner === "tie" ? [ids] : [[winner], ids.filter((id) => id !== winner)], timeMs: Math.round(performance.now() - startedAt.current) }
        : { winner, timeMs: Math.round(performance.now() - startedAt.current) };
    try {
      const answer = await callApi<{ id: string; revealed?: Array<{ candidateId: string; name: string }> }>(
        `/api/v1/assignments/${battle.assignmentId}/judgment`,
        {
          body,
          headers: { "idempotency-key": crypto.randomUUID() },
          fallbackMessage: "Your vote was not saved.",
        },
      );
      const names = new Map((answer.revealed ?? []).map((r) => [r.candidateId, r.name]));
      setColumns((cols) => cols.map((c) => ({ ...c, name: names.get(c.id) })));
      setChosen(winner);
      setPhase("revealed");
    } catch (e) {
      setPhase("ready");
      setError(e instanceof ApiCallError ? e.message : "Your vote was not saved.");
    }
  };

  const busy = phase === "starting" || phase === "streaming" || phase === "voting";
  const canVote = phase === "ready";
  return (
    <section className="battle" aria-label="Live battle">
      <h1>{props.campaignName}: battle</h1>
      <p className="muted">
        Two anonymous models answer your prompt{props.taskType === "kwise" ? " (or more)" : ""}. Vote for the better answer; the names are revealed after.
      </p>
      {!props.active && <p className="form-error">This campaign is not active; battles cannot be started.</p>}
      {props.promptSource !== "pool" && (
        <form
          className="battle-prompt"
          onSubmit={(e) => {
            e.preventDefault();
            submitPrompt();
          }}
        >
          <label htmlFor="battle-prompt">Your prompt</label>
          <textarea
            id="battle-prompt"
            value={prompt}
            maxLength={props.maxPromptChars}
            rows={3}
            disabled={busy || !props.active}
            onChange={(e) => setPrompt(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter" && (e.metaKey || e.ctrlKey)) submitPrompt();
            }}
          />
          <div className="battle-actions">
            <button type="submit" className="button primary" disabled={busy || !props.active}>
              {phase === "revealed" ? "New battle" : "Send"}
            </button>
            {phase === "revealed" && (
              <label>
                <input type="checkbox" checked={continueChat} onChange={(e) => setContinueChat(e.target.checked)} /> continue this conversation
              </label>
            )}
            {props.promptSource === "both" && (
              <button type="button" className="button" disabled={busy || !props.active} onClick={() => void start(null)}>
                Use a prompt from the pool
              </button>
            )}
            <span className="muted">
              {prompt.length}/{props.maxPromptChars}
            </span>
          </div>
        </form>
      )}
      {props.promptSource === "pool" && (
        <button type="button" className="button primary" disabled={busy || !props.active} onClick={() => void start(null)}>
          {phase === "idle" ? "Start a battle" : "Next battle"}
        </button>
      )}
      {notice && (
        <p className="muted" role="status">
          {notice}
        </p>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {asked.length > 0 && (
        <div className="context battle-asked" data-testid="battle-prompt-shown">
          <strong>Prompt:</strong> {asked.at(-1)?.content}
        </div>
      )}
      {columns.length > 0 && (
        <div className={columns.length === 2 ? "pair battle-columns" : "kwise-grid battle-columns"} data-phase={phase}>
          {columns.map((c, i) => (
            <article key={c.id} className={`candidate${chosen === c.id ? " chosen" : ""}`} data-testid="battle-answer" data-done={c.done ? "true" : "false"}>
              <h2>
                Model {LABELS[i]}
                {c.name && <span className="battle-name"> — {c.name}</span>}
                {!c.done && phase === "streaming" && <span className="muted"> (writing…)</span>}
              </h2>
              <ResponseText content={c.content} />
              {c.finishReason === "length" && <p className="muted">(cut at the length limit)</p>}
            </article>
          ))}
        </div>
      )}
      {(canVote || phase === "voting") && (
        <div className="battle-vote" role="group" aria-label="Vote">
          {columns.map((c, i) => (
            <button key={c.id} type="button" className="button" disabled={!canVote} onClick={() => void vote(c.id)}>
              {LABELS[i]} is better
            </button>
          ))}
          {props.allowTie && (
            <button type="button" className="button" disabled={!canVote} onClick={() => void vote("tie")}>
              Tie
            </button>
          )}
          {props.allowBothBad && props.taskType === "pairwise" && (
            <button type="button" className="button" disabled={!canVote} onClick={() => void vote("both_bad")}>
              Both are bad
            </button>
          )}
        </div>
      )}
      {phase === "revealed" && <p role="status">Thanks — your vote is in. The names are shown above.</p>}
    </section>
  );
}
