import { parentPort } from "node:worker_threads";
import { runTask, type RunTask } from "./run-task.ts";

/**
 * A worker thread of `heartlock run --jobs N`: it plays the tasks the main thread sends (one file, or one
 * matrix variant of it) and posts each result back. Plans hold class instances, so each worker plans the
 * file itself; results are plain data and cross the thread boundary by structured clone.
 */
const port = parentPort;
if (port === null) throw new Error("run-worker.ts runs as a worker thread of heartlock run --jobs");
// Tasks queue up (the main thread sends the next before this one ends) and run one at a time.
let queue: Promise<void> = Promise.resolve();
port.on("message", (message: { readonly id: number; readonly task: RunTask }) => {
  queue = queue.then(() =>
    runTask(message.task).then(
      (result) => port.postMessage({ id: message.id, result }),
      (error: unknown) => port.postMessage({ id: message.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
    ),
  );
});
