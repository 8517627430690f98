/** One 5-second report of the soak: the server's heap after a full gc and its RSS, at `t` seconds in. */
export interface MemorySample {
  readonly t: number;
  readonly heapMiB: number;
  readonly rssMiB: number;
}

/** Heap after gc may move this much over the last half and still count as flat (a few MiB of noise: caches, code). */
export const HEAP_SLACK_MIB = 4;
/** RSS moves more (the allocator keeps freed pages a while): flat when it gains less than this over the last half. */
export const RSS_SLACK_MIB = 20;

const mean = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

/**
 * The soak's last line: was the server's memory flat over the second half of the run? Compares the mean of the
 * first three samples of the second half with the mean of the last three, so one gc's timing does not decide it.
 */
export function flatVerdict(samples: readonly MemorySample[]): string {
  const lastT = samples[samples.length - 1]?.t ?? 0;
  const half = samples.filter((sample) => sample.t >= lastT / 2);
  if (half.length < 4) return `flat: unknown (only ${half.length} samples in the last half; run longer, e.g. SOAK_SECONDS=120)`;
  const first = half.slice(0, 3);
  const last = half.slice(-3);
  const heap = mean(last.map((s) => s.heapMiB)) - mean(first.map((s) => s.heapMiB));
  const rss = mean(last.map((s) => s.rssMiB)) - mean(first.map((s) => s.rssMiB));
  const flat = heap <= HEAP_SLACK_MIB && rss <= RSS_SLACK_MIB;
  const signed = (value: number, digits: number) => `${value >= 0 ? "+" : ""}${value.toFixed(digits)}`;
  return `flat: ${flat ? "yes" : "no"} (${signed(heap, 1)} MiB heap after gc, ${signed(rss, 0)} MiB RSS over the last half, t=${Math.round(half[0]?.t ?? 0)}..${Math.round(lastT)} s; flat means heap <= +${HEAP_SLACK_MIB} MiB and RSS <= +${RSS_SLACK_MIB} MiB)`;
}
