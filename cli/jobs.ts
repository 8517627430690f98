import type { Worker } from "node:worker_threads";
import type { ScenarioResult } from "../scenarios/run/result.ts";
import { runTask, type RunTask } from "./run-task.ts";
import { WorkerPool } from "./worker-pool.ts";

/**
 * Runs tasks on `jobs` threads (the main one and jobs - 1 workers) and gives the results back in the tasks' order, so a parallel run
 * reports exactly what a serial one does. Each run is deterministic on its own virtual clock; threads only
 * change how long the whole takes.
 *
 * Every thread takes its next task itself, from one counter in shared memory. The main thread cannot hand
 * tasks out: a scenario plays entirely on promises (the virtual clock, the in-process app), so while it plays
 * one the main thread reads no message, and a worker waiting to be given work sat idle until the main thread
 * had played every file (measured: a worker ran 2 of the library's 15 files, and `--jobs 2` was slower).
 */
export interface InWorkersOptions {
  /** Workers started before the runner was loaded (cli/main.ts); used first, and stopped with the others. */
  readonly started?: WorkerPool | undefined;
  /**
   * How the main thread plays task `id`: from the plan it already made when it read the files, rather than
   * reading and planning the file again (runTask). Must give what runTask(tasks[id]) gives.
   */
  readonly playHere?: (id: number) => Promise<ScenarioResult>;
}

export async function runInWorkers(tasks: readonly RunTask[], jobs: number, options: InWorkersOptions = {}): Promise<ScenarioResult[]> {
  const { started, playHere = (id: number) => runTask(tasks[id] as RunTask) } = options;
  const results: ScenarioResult[] = new Array<ScenarioResult>(tasks.length);
  let have = 0;
  let allIn: () => void = () => undefined;
  const complete = new Promise<void>((resolve) => (allIn = resolve));
  const store = (id: number, result: ScenarioResult): void => {
    results[id] = result;
    have += 1;
    if (have === tasks.length) allIn();
  };
  const next = new Int32Array(new SharedArrayBuffer(4));
  // The main thread is one of the n: it has the runner loaded already, and would otherwise sit idle. Workers
  // started early (cli/main.ts, before the runner was loaded; at most one per spare core) are used first.
  const early = started?.workers ?? [];
  const more = WorkerPool.start(Math.min(jobs, tasks.length) - 1 - early.length);
  const workers = [...early, ...more.workers];
  for (const worker of workers) worker.postMessage({ tasks, next } satisfies WorkerInput);
  const finished = Promise.all(workers.map((worker) => collect(worker, tasks, store)));
  // Awaited once the main thread's own share is played; a failure before then must not count as unhandled.
  finished.catch(() => undefined);
  try {
    for (let id = Atomics.add(next, 0, 1); id < tasks.length; id = Atomics.add(next, 0, 1)) {
      store(id, await playHere(id));
    }
    // Every result in is enough: a worker still loading the runner when the main thread has played the last
    // file is stopped, not waited for.
    await Promise.race([complete, finished]);
    if (have < tasks.length) throw new Error(`--jobs: ${tasks.length - have} of ${tasks.length} results never came back`);
  } finally {
    await Promise.all([started?.terminate(), more.terminate()]);
  }
  return results;
}

/** What a worker is sent once the files are planned: every task, and the shared counter of the next one to take. */
export interface WorkerInput {
  readonly tasks: readonly RunTask[];
  readonly next: Int32Array;
}

/** A worker's messages: one per task it played, then `done` when the counter has run past the last task. */
export type WorkerMessage = { readonly id: number; readonly result: ScenarioResult } | { readonly id: number; readonly error: string } | { readonly done: true };

/** Stores a worker's results as they come; resolves when it is done, rejects on its first failure. */
function collect(worker: Worker, tasks: readonly RunTask[], store: (id: number, result: ScenarioResult) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    worker.on("message", (message: WorkerMessage) => {
      if ("done" in message) resolve();
      else if ("result" in message) store(message.id, message.result);
      else reject(new Error(`${tasks[message.id]?.file ?? "a task"}: ${message.error}`));
    });
    worker.on("error", reject);
    worker.on("exit", (code) => reject(new Error(`a --jobs worker stopped (exit code ${code}) before its tasks were done`)));
  });
}
