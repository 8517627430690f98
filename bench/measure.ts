/** Timing helpers for benchmarks. Wall-clock reads are fine here: benchmarks are an edge, not the core. */
export interface Measurement {
  readonly name: string;
  readonly perOpMicros: number;
  readonly ops: number;
}

/** Runs `op` in rounds until `minMs` have passed and keeps the fastest round's per-operation time. */
export async function measure(name: string, op: () => unknown, options: { batch?: number; minMs?: number } = {}): Promise<Measurement> {
  const batch = options.batch ?? 1000;
  const minMs = options.minMs ?? 600;
  for (let i = 0; i < batch; i++) await op(); // warm-up
  let best = Infinity;
  let ops = 0;
  const started = performance.now();
  while (performance.now() - started < minMs) {
    const t0 = performance.now();
    for (let i = 0; i < batch; i++) await op();
    best = Math.min(best, (performance.now() - t0) / batch);
    ops += batch;
  }
  return { name, perOpMicros: best * 1000, ops };
}

export async function timeOnce<T>(run: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const t0 = performance.now();
  const result = await run();
  return { ms: performance.now() - t0, result };
}
