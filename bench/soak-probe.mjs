// Loaded into the soak's `heartlock serve` child (`node --expose-gc --import <this>`; plain JS, so it needs no
// loader). Over the IPC channel:
//   "peek"    -> process.memoryUsage() as it is, and the heap left after the last full gc V8 ran on its own
//                since the previous ask (from v8.GCProfiler): the server's live memory, measured without
//                disturbing it (a forced gc every 5 s would itself keep RSS down and hide what a user sees).
//   "measure" -> a forced full gc first, then process.memoryUsage() (the soak does this at its start and end).
import v8 from "node:v8";

let profiler = new v8.GCProfiler();
profiler.start();

/** The full (mark-compact) gcs V8 ran since the last ask: how many, and what the last one left. */
function fullGcsSinceLastAsk() {
  const { statistics } = profiler.stop();
  profiler = new v8.GCProfiler();
  profiler.start();
  const full = statistics.filter((gc) => gc.gcType === "MarkSweepCompact");
  const last = full[full.length - 1];
  return { fullGcs: full.length, liveAfterFullGc: last?.afterGC.heapStatistics.usedHeapSize };
}

process.on("message", (message) => {
  if (!process.send) return;
  if (message === "peek") process.send({ measured: process.memoryUsage(), ...fullGcsSinceLastAsk() });
  if (message === "measure" && typeof globalThis.gc === "function") {
    globalThis.gc();
    process.send({ measured: process.memoryUsage(), ...fullGcsSinceLastAsk() });
  }
});
// The channel must not keep the server alive, nor change how it ends on a signal (adding the listener ref'd it).
process.channel?.unref();
