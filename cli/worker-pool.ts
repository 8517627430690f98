import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";

/**
 * The worker threads of `heartlock run --jobs N`, started before the main thread loads the scenario runner.
 *
 * Loading the runner costs a thread ~0.2 s, a fifth of the whole library's run. A worker started only once the
 * main thread had loaded it, read every file and planned them began its share that much later, while the main
 * thread was already warm: on this 2-core machine `--jobs 2` was slower than a serial run. Started first, a
 * worker loads on the second core while the main thread loads on the first, and both are ready together.
 *
 * This file imports nothing of the runner, so starting the pool costs the main thread nothing. A worker loads
 * run-worker (which imports the runner) at once, then waits for its work (cli/jobs.ts sends it two phases).
 */
/** `--jobs <n>`: a whole number of threads from 1 to 999, else undefined (run-command.ts says why it is refused). */
export function jobCount(text: string | undefined): number | undefined {
  if (text === undefined) return 1;
  return /^[1-9]\d{0,2}$/.test(text) ? Number(text) : undefined;
}

export class WorkerPool {
  private constructor(readonly workers: readonly Worker[]) {}

  static start(count: number): WorkerPool {
    return new WorkerPool(Array.from({ length: Math.max(0, count) }, () => startWorker()));
  }

  /** Stops every worker, whether it was given tasks or not (a run of one file, a refused command line). */
  async terminate(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}

/**
 * The worker runs from whatever this file runs from. Built JavaScript (dist/cli/worker-pool.js): the sibling
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
