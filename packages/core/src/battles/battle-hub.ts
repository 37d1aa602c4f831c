import cluster from "node:cluster";

/**
 * Battles being generated in this process: what each candidate has said so far and who is
 * listening. The stored battle row is the truth; this only carries the tokens between the
 * generation and the annotator's stream. A finished battle stays a minute for late readers
 * (a reconnecting stream), then is read from the database.
 */
export type BattleEvent =
  | { event: "delta"; data: { candidateId: string; text: string } }
  | { event: "done"; data: { candidateId: string; finishReason: string } }
  | { event: "error"; data: { candidateId: string | null; code: string; message: string } }
  | { event: "ready"; data: { battleId: string; assignmentId: string } };

export interface LiveBattleState {
  readonly battleId: string;
  readonly userId: string;
  readonly candidates: ReadonlyArray<{ id: string; content: string; done: boolean }>;
  readonly status: "generating" | "ready" | "void";
}

interface LiveBattle {
  battleId: string;
  userId: string;
  events: BattleEvent[];
  contents: Map<string, { content: string; done: boolean }>;
  status: "generating" | "ready" | "void";
  listeners: Set<(event: BattleEvent) => void>;
}

const KEEP_FINISHED_MS = 60_000;
const live = new Map<string, LiveBattle>();

export function openLiveBattle(battleId: string, userId: string, candidateIds: string[]): void {
  openHere(battleId, userId, candidateIds);
  relay({ arbiter: "battle", open: { battleId, userId, candidateIds } });
}

export function publishBattleEvent(battleId: string, event: BattleEvent): void {
  if (!live.get(battleId)) return;
  publishHere(battleId, event);
  relay({ arbiter: "battle", battleId, event });
}

function openHere(battleId: string, userId: string, candidateIds: string[]): void {
  live.set(battleId, {
    battleId,
    userId,
    events: [],
    contents: new Map(candidateIds.map((id) => [id, { content: "", done: false }])),
    status: "generating",
    listeners: new Set(),
  });
}

function publishHere(battleId: string, event: BattleEvent): void {
  const battle = live.get(battleId);
  if (!battle || battle.status !== "generating") return;
  if (event.event === "delta") {
    const entry = battle.contents.get(event.data.candidateId);
    if (entry) entry.content += event.data.text;
    const last = battle.events.at(-1);
    // Deltas nobody has read yet merge, so a slow reader's backlog stays one event per candidate run.
    if (last?.event === "delta" && last.data.candidateId === event.data.candidateId && battle.listeners.size === 0) {
      last.data = { candidateId: last.data.candidateId, text: last.data.text + event.data.text };
    } else battle.events.push({ event: "delta", data: { ...event.data } });
  } else {
    if (event.event === "done") {
      const entry = battle.contents.get(event.data.candidateId);
      if (entry) entry.done = true;
    }
    if (event.event === "ready") battle.status = "ready";
    if (event.event === "error") battle.status = "void";
    battle.events.push(event);
  }
  for (const listener of battle.listeners) listener(event);
  if (battle.status !== "generating") {
    const timer = setTimeout(() => live.delete(battleId), KEEP_FINISHED_MS);
    timer.unref?.();
  }
}

export function liveBattleState(battleId: string): LiveBattleState | null {
  const battle = live.get(battleId);
  if (!battle) return null;
  return {
    battleId,
    userId: battle.userId,
    status: battle.status,
    candidates: [...battle.contents].map(([id, entry]) => ({ id, content: entry.content, done: entry.done })),
  };
}

/**
 * Several web processes on one port (ARBITER_WEB_PROCESSES > 1, scripts/web-server.ts): the
 * cluster's primary passes each process's battle events to the others, so a battle's stream can
 * be read from whichever process the annotator's connection reaches. Instances behind a load
 * balancer share nothing of this (see ARCHITECTURE.md, "Scale-out").
 */
type Relayed =
  { arbiter: "battle"; open: { battleId: string; userId: string; candidateIds: string[] } } | { arbiter: "battle"; battleId: string; event: BattleEvent };
const inCluster = cluster.isWorker && typeof process.send === "function";

function relay(message: Relayed) {
  if (inCluster && process.connected) process.send!(message);
}

if (inCluster)
  process.on("message", (message: unknown) => {
    if (typeof message !== "object" || message === null || (message as { arbiter?: unknown }).arbiter !== "battle") return;
    const relayed = message as Relayed;
    if ("open" in relayed) openHere(relayed.open.battleId, relayed.open.userId, relayed.open.candidateIds);
    else publishHere(relayed.battleId, relayed.event);
  });

/** Whether a battle started by another process of this server may still be on its way here (then wait a moment for it). */
export async function awaitRelayedBattle(battleId: string, waitMs = 1000): Promise<boolean> {
  if (!inCluster) return live.has(battleId);
  const until = Date.now() + waitMs;
  while (!live.has(battleId) && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 25));
  return live.has(battleId);
}

/**
 * Every event so far, then each new one as it comes, until the battle is ready or void or the
 * signal aborts (the reader went away). Null when this process is not generating the battle.
 */
export function followLiveBattle(battleId: string, signal?: AbortSignal): AsyncIterable<BattleEvent> | null {
  const battle = live.get(battleId);
  if (!battle) return null;
  return {
    async *[Symbol.asyncIterator]() {
      const queue: BattleEvent[] = [...battle.events];
      let wake: (() => void) | null = null;
      let finished = battle.status !== "generating";
      const listener = (event: BattleEvent) => {
        queue.push(event);
        if (event.event === "ready" || event.event === "error") finished = true;
        wake?.();
      };
      const onAbort = () => {
        finished = true;
        queue.length = 0;
        wake?.();
      };
      battle.listeners.add(listener);
      signal?.addEventListener("abort", onAbort, { once: true });
      try {
        while (true) {
          const next = queue.shift();
          if (next) {
            yield next;
            continue;
          }
          if (finished || signal?.aborted) return;
          await new Promise<void>((resolve) => (wake = resolve));
          wake = null;
        }
      } finally {
        battle.listeners.delete(listener);
        signal?.removeEventListener("abort", onAbort);
      }
    },
  };
}
