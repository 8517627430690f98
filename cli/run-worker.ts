import { parentPort } from "node:worker_threads";
import type { PhaseMessage, WorkerMessage, WorkerSaid } from "./jobs.ts";
import { planOutcome, playPlanned, type PlanCache } from "./plan-cache.ts";

/**
 * A worker thread of `heartlock run --jobs N`. It is started before the main thread has read the files
 * (cli/worker-pool.ts): importing the runner above loads it meanwhile. Then it is sent two phases (cli/jobs.ts):
 * first the files, which it reads and plans, keeping the plans; then the runs, which it plays, from its own
 * plans where it has them. In each phase it takes the next item from the counter it shares with the other
 * threads and posts what it did, until none are left. Results are plain data and cross the thread boundary by
 * structured clone.
 */
if (parentPort === null) throw new Error("run-worker.ts runs as a worker thread of heartlock run --jobs");
const port = parentPort;
const plans: PlanCache = new Map();

port.on("message", (message: PhaseMessage) => void work(message));

async function work(message: PhaseMessage): Promise<void> {
  const { next, phase, order } = message;
  // Every message names its phase: a worker still loading may answer a phase the main thread has already closed.
  const say = (said: WorkerSaid): void => port.postMessage({ ...said, phase } satisfies WorkerMessage);
  const count = "plan" in message ? message.plan.files.length : message.run.tasks.length;
  for (let k = Atomics.add(next, 0, 1); k < count; k = Atomics.add(next, 0, 1)) {
    const id = order?.[k] ?? k;
    const what = "plan" in message ? message.plan.files[id] : message.run.tasks[id]?.file;
    try {
      if ("plan" in message) {
        say({ id, ...planOutcome(plans, message.plan.files[id] as string) });
      } else {
        const task = message.run.tasks[id];
        if (task !== undefined) say({ id, result: await playPlanned(plans, task) });
      }
    } catch (error) {
      say({ id, error: `${what ?? "a task"}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}` });
      return;
    }
  }
  say({ done: true });
}
