import { parentPort } from "node:worker_threads";
import type { WorkerInput, WorkerMessage } from "./jobs.ts";
import { runTask } from "./run-task.ts";

/**
 * A worker thread of `heartlock run --jobs N`: it takes the next task from the counter it shares with the
 * other threads (one file, or one matrix variant of it), plays it and posts the result back, until none are
 * left. Plans hold class instances, so each worker plans the file itself; results are plain data and cross
 * the thread boundary by structured clone. The worker is started before the main thread has read the files
 * (cli/worker-pool.ts): importing run-task above loads the runner meanwhile, and the tasks come in one message.
 */
const port = parentPort;
if (port === null) throw new Error("run-worker.ts runs as a worker thread of heartlock run --jobs");
const post = (message: WorkerMessage): void => port.postMessage(message);
port.once("message", (input: WorkerInput) => void play(input));

async function play({ tasks, next }: WorkerInput): Promise<void> {
  for (let id = Atomics.add(next, 0, 1); id < tasks.length; id = Atomics.add(next, 0, 1)) {
    const task = tasks[id];
    if (task === undefined) continue;
    try {
      post({ id, result: await runTask(task) });
    } catch (error) {
      post({ id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
  }
  post({ done: true });
}
