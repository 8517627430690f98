import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { ScenarioResult } from "../scenarios/run/result.ts";
import { runTask, type RunTask } from "./run-task.ts";

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
export async function runInWorkers(tasks: readonly RunTask[], jobs: number): Promise<ScenarioResult[]> {
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
  // The main thread is one of the n: it has the runner loaded already, and would otherwise sit idle.
  const workers = Array.from({ length: Math.max(0, Math.min(jobs, tasks.length) - 1) }, () => startWorker({ tasks, next } satisfies WorkerInput));
  const finished = Promise.all(workers.map((worker) => collect(worker, tasks, store)));
  // Awaited once the main thread's own share is played; a failure before then must not count as unhandled.
  finished.catch(() => undefined);
  try {
    for (let id = Atomics.add(next, 0, 1); id < tasks.length; id = Atomics.add(next, 0, 1)) {
      const task = tasks[id];
      if (task !== undefined) store(id, await runTask(task));
    }
    // Every result in is enough: a worker still loading the runner when the main thread has played the last
    // file is stopped, not waited for.
    await Promise.race([complete, finished]);
    if (have < tasks.length) throw new Error(`--jobs: ${tasks.length - have} of ${tasks.length} results never came back`);
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
  return results;
}

/** What a worker is given at its start: every task, and the shared counter of the next one to take. */
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

/**
 * The worker runs from whatever this file runs from. Built JavaScript (dist/cli/jobs.js): the sibling
 * run-worker.js, as is. TypeScript sources through tsx (bin/heartlock.js registers tsx in the main thread
 * only; loader hooks do not reach other threads): a tiny evaluated entry registers tsx in the worker first,
 * then imports run-worker.ts.
 */
function startWorker(workerData: WorkerInput): Worker {
  const fromSources = import.meta.url.endsWith(".ts");
  const entry = new URL(`./run-worker.${fromSources ? "ts" : "js"}`, import.meta.url);
  if (!fromSources) return new Worker(entry, { workerData });
  const tsx = tsxEsmApi();
  const code = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(code, { eval: true, workerData });
}

/**
 * tsx's ESM register API, as a file URL. Found through tsx's own exports map, because import.meta.resolve is
 * missing under vitest's module runner and require.resolve picks the CommonJS build, whose register() cannot
 * find its ESM half from a worker.
 */
function tsxEsmApi(): string {
  const require = createRequire(import.meta.url);
  const manifestFile = require.resolve("tsx/package.json");
  const manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as { exports: Record<string, { import: { default: string } }> };
  const target = manifest.exports["./esm/api"]?.import.default;
  if (target === undefined) throw new Error("this tsx has no ./esm/api export; run the built JavaScript instead");
  return pathToFileURL(join(dirname(manifestFile), target)).href;
}
