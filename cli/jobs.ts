import type { Worker } from "node:worker_threads";
import type { ScenarioResult } from "../scenarios/run/result.ts";
import { planOutcome, playPlanned, type PlanCache, type PlannedFile, type RunTask } from "./plan-cache.ts";
import { WorkerPool } from "./worker-pool.ts";

/**
 * `heartlock run --jobs N`: the files are read and planned on N threads (the main one and N - 1 workers), then
 * their runs are played on the same threads, and the results come back in the serial run's order, so a
 * parallel run reports exactly what a serial one does. Each run is deterministic on its own virtual clock;
 * threads only change how long the whole takes.
 *
 * Two phases, as the serial run has them: every file is checked before any runs (a typo costs no waiting).
 * Planning is a fifth of the library's run, so it is shared too, and each thread keeps the plans it made: a
 * run whose file this thread planned is played from that plan, not read again.
 *
 * In each phase every thread takes its next item itself, from one counter in shared memory. The main thread
 * cannot hand items out: a scenario plays entirely on promises (the virtual clock, the in-process app), so
 * while it plays one the main thread reads no message, and a worker waiting to be given work sat idle until
 * the main thread had played every file (measured: a worker ran 2 of the library's 15 files).
 */
export class JobThreads {
  private readonly workers: Worker[];
  private readonly pools: WorkerPool[];
  /** What the main thread planned, by the name it was given and by its resolved file. */
  private readonly plans: PlanCache = new Map();
  /** Numbers the phases: a worker that was still loading answers a phase late, and its `done` must not end the next one. */
  private phases = 0;

  /**
   * `started`: workers started before the runner was loaded (cli/main.ts), used first and stopped with the rest.
   * `mainTakes: false` leaves every item to the workers (cli/jobs.test.ts proves their path gives what this one does).
   */
  constructor(
    private readonly jobs: number,
    started?: WorkerPool,
    private readonly mainTakes = true,
  ) {
    this.pools = started ? [started] : [];
    this.workers = started ? [...started.workers] : [];
  }

  /** Reads and plans every file; a file's outcome is its variants or its ScenarioError, in the files' order. */
  async plan(files: readonly string[]): Promise<PlannedFile[]> {
    const outcomes = new Array<PlannedFile>(files.length);
    await this.phase(
      files.length,
      { plan: { files } },
      (id) => {
        outcomes[id] = planOutcome(this.plans, files[id] as string);
      },
      (message) => {
        if ("variants" in message) outcomes[message.id] = { variants: message.variants };
        else if ("invalid" in message) outcomes[message.id] = { invalid: message.invalid };
      },
    );
    return outcomes;
  }

  /**
   * Plays every task; results in the tasks' order. The heaviest are handed out first (`weights`, from
   * VariantSummary): a month of a thousand phones taken last, after the short files, would run alone at the end
   * while the other threads sat idle.
   */
  async run(tasks: readonly RunTask[], weights: readonly number[] = []): Promise<ScenarioResult[]> {
    const results = new Array<ScenarioResult>(tasks.length);
    const order = tasks.map((_, id) => id).sort((a, b) => (weights[b] ?? 0) - (weights[a] ?? 0) || a - b);
    await this.phase(
      tasks.length,
      { run: { tasks }, order },
      async (id) => {
        results[id] = await playPlanned(this.plans, tasks[id] as RunTask);
      },
      (message) => {
        if ("result" in message) results[message.id] = message.result;
      },
    );
    return results;
  }

  async close(): Promise<void> {
    await Promise.all(this.pools.map((pool) => pool.terminate()));
  }

  /**
   * One phase of `count` items on min(jobs, count) threads: every thread, this one included, takes items from
   * one shared counter until none are left, in `work.order` when there is one. Resolves when every item is
   * done; rejects on the first failure.
   */
  private async phase(count: number, work: PhaseWork, here: (id: number) => void | Promise<void>, fromWorker: (message: ItemMessage) => void): Promise<void> {
    const workers = this.grow(Math.min(this.jobs, count) - (this.mainTakes ? 1 : 0));
    const phase = ++this.phases;
    const next = new Int32Array(new SharedArrayBuffer(4));
    let have = 0;
    let allIn: () => void = () => undefined;
    const complete = new Promise<void>((resolve) => (allIn = resolve));
    const done = () => {
      have += 1;
      if (have === count) allIn();
    };
    const finished = Promise.all(
      workers.map((worker) =>
        listen(worker, phase, (message) => {
          fromWorker(message);
          done();
        }),
      ),
    );
    // Awaited once this thread's own share is done; a failure before then must not count as unhandled.
    finished.catch(() => undefined);
    for (const worker of workers) worker.postMessage({ ...work, phase, next } satisfies PhaseMessage);
    for (let k = this.mainTakes ? Atomics.add(next, 0, 1) : count; k < count; k = Atomics.add(next, 0, 1)) {
      await here(work.order?.[k] ?? k);
      done();
    }
    // Every item in is enough: a worker still loading the runner when this thread has done the last item
    // has taken none, and is left to its next phase or stopped.
    await Promise.race([complete, finished]);
    if (have < count) throw new Error(`--jobs: ${count - have} of ${count} items never came back`);
  }

  /** The first `count` workers, starting more when the early ones are too few. */
  private grow(count: number): Worker[] {
    if (count > this.workers.length) {
      const more = WorkerPool.start(count - this.workers.length);
      this.pools.push(more);
      this.workers.push(...more.workers);
    }
    return this.workers.slice(0, Math.max(0, count));
  }
}

/** What a worker is sent for a phase: its items, and the shared counter of the next one to take. */
export type PhaseMessage = PhaseWork & { readonly phase: number; readonly next: Int32Array };
/** A phase's items; `order`, when given, is the order in which they are handed out (by index). */
type PhaseWork = ({ readonly plan: { readonly files: readonly string[] } } | { readonly run: { readonly tasks: readonly RunTask[] } }) & { readonly order?: readonly number[] };

/** A worker's message for one item it did. */
export type ItemMessage = ({ readonly id: number } & PlannedFile) | { readonly id: number; readonly result: ScenarioResult };

/** A worker's messages, each with its phase: one per item, `error` when an item failed unexpectedly, `done` at the end of the phase. */
export type WorkerMessage = WorkerSaid & { readonly phase: number };
export type WorkerSaid = ItemMessage | { readonly id: number; readonly error: string } | { readonly done: true };

/** Hands a worker's item messages of one phase on until it says `done` for it; rejects on its first failure. */
function listen(worker: Worker, phase: number, item: (message: ItemMessage) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const stop = () => {
      worker.off("message", onMessage);
      worker.off("error", reject);
      worker.off("exit", onExit);
    };
    const onMessage = (message: WorkerMessage) => {
      if (message.phase !== phase) return;
      if ("done" in message) {
        stop();
        resolve();
      } else if ("error" in message) {
        stop();
        reject(new Error(message.error));
      } else item(message);
    };
    const onExit = (code: number) => reject(new Error(`a --jobs worker stopped (exit code ${code}) before its work was done`));
    worker.on("message", onMessage);
    worker.on("error", reject);
    worker.on("exit", onExit);
  });
}
