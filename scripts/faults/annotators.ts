import { randomUUID } from "node:crypto";

/**
 * Simulated annotators doing what the annotation page does: take the next task (and prefetch
 * the one after it, `?exclude=`), think, submit with an Idempotency-Key, and — like the page's
 * outbox — retry a submission whose answer never came (network error, 5xx) with the same key
 * until the server acknowledges it. Used by `npm run bench:load` and the fault scripts.
 */

export interface Task {
  assignmentId: string;
  candidates: Array<{ id: string }>;
  item: { id: string };
}

export interface Acknowledged {
  judgmentId: string;
  assignmentId: string;
  itemId: string;
  annotator: number;
  replayed: boolean;
}

export interface AnnotatorStats {
  /** Judgments the server answered 201 for (each id once). */
  acknowledged: Map<string, Acknowledged>;
  /** Submissions refused with a 4xx (e.g. 409: the lease ran out and others filled the item). */
  refused: Array<{ status: number; body: string; assignmentId: string }>;
  /** Submissions still unanswered when the run stopped or their annotator walked away (may or may not have committed). */
  pending: Array<{ assignmentId: string; key: string; annotator: number; abandoned: boolean }>;
  nextLatencyMs: number[];
  submitLatencyMs: number[];
  /** Responses by status (0 = no answer: connection refused, reset, timeout). */
  statuses: Map<string, number>;
  /** A few examples of each unexpected answer. */
  samples: string[];
  /** 5xx answers that were not 503 (a 503 is the promised answer while the database is away). */
  serverErrors: number;
  /** Annotators who ran out of work (every item they could take is done). */
  finished: number;
}

export interface AnnotatorRun {
  stats: AnnotatorStats;
  /** Resolves when every annotator has stopped (nothing left, or `stop()`). */
  done: Promise<void>;
  /** Stops taking new tasks; pending submissions are still retried until `drainMs` passes. */
  stop(options?: { drainMs?: number }): Promise<void>;
  /** Stops annotator `index` for good, leaving its leases open (a closed laptop). */
  abandon(index: number): void;
}

export interface AnnotatorOptions {
  baseUrl: string;
  campaignId: string;
  tokens: string[];
  /** Mean think time per task (uniform in [0.5, 1.5] × mean). */
  thinkMs: number;
  prefetch?: boolean;
  requestTimeoutMs?: number;
  /** Back-off between retries after a failed call. */
  retryMs?: number;
  /**
   * On "nothing left" (204), look again every `idleRetryMs` for this long before finishing: items
   * held by leases that will expire (a crashed client's, say) come free again. Default 0.
   */
  idleTimeoutMs?: number;
  idleRetryMs?: number;
  /** Annotators start spread over this long (people do not all open the page in the same second). */
  rampMs?: number;
}

async function call(baseUrl: string, path: string, init: { token: string; method?: string; body?: unknown; key?: string; timeoutMs: number }) {
  const started = performance.now();
  try {
    const response = await fetch(`${baseUrl}${path}`, {
      method: init.method ?? (init.body === undefined ? "GET" : "POST"),
      headers: {
        authorization: `Bearer ${init.token}`,
        ...(init.body !== undefined ? { "content-type": "application/json" } : {}),
        ...(init.key ? { "idempotency-key": init.key } : {}),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: AbortSignal.timeout(init.timeoutMs),
    });
    const text = await response.text();
    return { status: response.status, text, headers: response.headers, ms: performance.now() - started };
  } catch (error) {
    return {
      status: 0,
      text: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      headers: new Headers(),
      ms: performance.now() - started,
    };
  }
}

export function startAnnotators(options: AnnotatorOptions): AnnotatorRun {
  const stats: AnnotatorStats = {
    acknowledged: new Map(),
    refused: [],
    pending: [],
    nextLatencyMs: [],
    submitLatencyMs: [],
    statuses: new Map(),
    samples: [],
    serverErrors: 0,
    finished: 0,
  };
  const timeoutMs = options.requestTimeoutMs ?? 30_000;
  const retryMs = options.retryMs ?? 250;
  let stopping = false;
  let drainUntil = Infinity;
  const abandoned = new Set<number>();
  const count = (label: string, status: number, text: string) => {
    const key = `${label} ${status}`;
    stats.statuses.set(key, (stats.statuses.get(key) ?? 0) + 1);
    if (status >= 500 && status !== 503) stats.serverErrors++;
    if ((status >= 400 || status === 0) && stats.samples.filter((s) => s.startsWith(key)).length < 3) stats.samples.push(`${key} ${text.slice(0, 200)}`);
  };
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  async function nextTask(token: string, index: number, exclude?: string): Promise<Task | null | "stop"> {
    let idleSince: number | undefined;
    for (;;) {
      if (stopping || abandoned.has(index)) return "stop";
      const r = await call(options.baseUrl, `/api/v1/campaigns/${options.campaignId}/tasks/next${exclude ? `?exclude=${exclude}` : ""}`, { token, timeoutMs });
      count("next", r.status, r.text);
      if (r.status === 200) {
        stats.nextLatencyMs.push(r.ms);
        return JSON.parse(r.text) as Task;
      }
      if (r.status === 204) {
        stats.nextLatencyMs.push(r.ms);
        idleSince ??= Date.now();
        if (exclude || Date.now() - idleSince >= (options.idleTimeoutMs ?? 0)) return null;
        await sleep(options.idleRetryMs ?? 1000);
        continue;
      }
      idleSince = undefined;
      await sleep(retryMs);
    }
  }

  /** Submits until acknowledged or refused; false when the run ended with it unanswered. */
  async function submit(token: string, index: number, task: Task): Promise<void> {
    const key = randomUUID();
    const body = { winner: task.candidates[Math.floor(Math.random() * task.candidates.length)]!.id, timeMs: Math.round(options.thinkMs) };
    for (let attempt = 0; ; attempt++) {
      if (abandoned.has(index) || Date.now() > drainUntil) {
        stats.pending.push({ assignmentId: task.assignmentId, key, annotator: index, abandoned: abandoned.has(index) });
        return;
      }
      const r = await call(options.baseUrl, `/api/v1/assignments/${task.assignmentId}/judgment`, { token, body, key, timeoutMs });
      count("submit", r.status, r.text);
      if (r.status === 201) {
        stats.submitLatencyMs.push(r.ms);
        const id = (JSON.parse(r.text) as { id: string }).id;
        const replayed = r.headers.get("idempotent-replayed") === "true";
        const previous = stats.acknowledged.get(id);
        if (previous && previous.assignmentId !== task.assignmentId) throw new Error(`judgment id ${id} acknowledged for two assignments`);
        stats.acknowledged.set(id, {
          judgmentId: id,
          assignmentId: task.assignmentId,
          itemId: task.item.id,
          annotator: index,
          replayed: replayed || Boolean(previous),
        });
        return;
      }
      if (r.status >= 400 && r.status < 500 && r.status !== 429) {
        stats.refused.push({ status: r.status, body: r.text.slice(0, 300), assignmentId: task.assignmentId });
        return;
      }
      // No answer, 429 or 5xx: the outbox keeps the judgment and tries again with the same key.
      await sleep(Math.min(2000, retryMs * 2 ** Math.min(attempt, 3)));
    }
  }

  async function annotator(index: number) {
    const token = options.tokens[index]!;
    if (options.rampMs) await sleep((options.rampMs * index) / options.tokens.length);
    let current = await nextTask(token, index);
    while (current && current !== "stop") {
      const prefetched = options.prefetch === false ? undefined : nextTask(token, index, current.assignmentId);
      await sleep(options.thinkMs * (0.5 + Math.random()));
      if (abandoned.has(index)) return;
      await submit(token, index, current);
      let next: Task | null | "stop" = prefetched ? await prefetched : await nextTask(token, index);
      // Nothing after this one, or the prefetch raced the submission and got the same task back: ask again.
      if (next === null && prefetched) next = await nextTask(token, index);
      else if (next && next !== "stop" && next.assignmentId === current.assignmentId) next = await nextTask(token, index);
      current = next;
    }
    if (current === null) stats.finished++;
  }

  const done = Promise.all(options.tokens.map((_, i) => annotator(i))).then(() => undefined);
  return {
    stats,
    done,
    abandon(index) {
      abandoned.add(index);
    },
    async stop(stopOptions = {}) {
      stopping = true;
      drainUntil = Date.now() + (stopOptions.drainMs ?? 30_000);
      await done;
    },
  };
}
