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
 */
export async function runInWorkers(tasks: readonly RunTask[], jobs: number): Promise<ScenarioResult[]> {
  const results: ScenarioResult[] = new Array<ScenarioResult>(tasks.length);
  let next = 0;
  // The main thread is one of the n: it has the runner loaded already, and would otherwise sit idle.
  const workers = Array.from({ length: Math.max(0, Math.min(jobs, tasks.length) - 1) }, () => startWorker());
  // A worker always has its next task queued: while the main thread plays a scenario it does not read
  // messages, and a worker that had to wait for it would sit idle.
  const workerLane = async (worker: Worker): Promise<void> => {
    const inFlight = new Set<Promise<void>>();
    while (next < tasks.length || inFlight.size > 0) {
      while (inFlight.size < 2 && next < tasks.length) {
        const id = next;
        next += 1;
        const task = tasks[id];
        if (task === undefined) continue;
        const pending: Promise<void> = ask(worker, id, task).then((result) => {
          results[id] = result;
          inFlight.delete(pending);
        });
        inFlight.add(pending);
      }
      if (inFlight.size > 0) await Promise.race(inFlight);
    }
  };
  const mainLane = async (): Promise<void> => {
    while (next < tasks.length) {
      const id = next;
      next += 1;
      const task = tasks[id];
      if (task !== undefined) results[id] = await runTask(task);
    }
  };
  try {
    await Promise.all([mainLane(), ...workers.map(workerLane)]);
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
  return results;
}

function ask(worker: Worker, id: number, task: RunTask): Promise<ScenarioResult> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: { id: number; result?: ScenarioResult; error?: string }): void => {
      if (message.id !== id) return;
      cleanup();
      if (message.result !== undefined) resolve(message.result);
      else reject(new Error(`${task.file}: ${message.error ?? "the worker failed"}`));
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(error);
    };
    const cleanup = (): void => {
      worker.off("message", onMessage);
      worker.off("error", onError);
    };
    worker.on("message", onMessage);
    worker.on("error", onError);
    worker.postMessage({ id, task });
  });
}

/**
 * The worker runs from whatever this file runs from. Built JavaScript (dist/cli/jobs.js): the sibling
 * run-worker.js, as is. TypeScript sources through tsx (bin/heartlock.js registers tsx in the main thread
 * only; loader hooks do not reach other threads): a tiny evaluated entry registers tsx in the worker first,
 * then imports run-worker.ts.
 */
function startWorker(): Worker {
  const fromSources = import.meta.url.endsWith(".ts");
  const entry = new URL(`./run-worker.${fromSources ? "ts" : "js"}`, import.meta.url);
  if (!fromSources) return new Worker(entry);
  const tsx = tsxEsmApi();
  const code = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(code, { eval: true });
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
