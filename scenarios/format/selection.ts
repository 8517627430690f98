import { SeededRandom } from "../../core/seeded-random.ts";

/**
 * Part of a fleet, for an action or an expectation: `device: { fleet: shop, share: 10% }` or
 * `device: { pattern: "shop-1*" }`. Which phones a share picks depends only on the run's seed and the
 * selection itself (never on other draws), so the same seed picks the same phones, and a selection written
 * twice in a scenario picks the same phones both times: "10 % default" and "those 10 % are locked" agree.
 */
export interface Selection {
  readonly fleet?: string;
  readonly pattern?: string;
  /** "10%", or a fraction from 0 to 1. */
  readonly share?: string | number;
}

export type DeviceRef = string | Selection;

/** The name a selection goes by in groups, reports and verdicts: "shop (10% chosen by the seed)". */
export function selectionKey(selection: Selection): string {
  const what = selection.fleet !== undefined ? `fleet ${selection.fleet}` : `pattern ${selection.pattern ?? "*"}`;
  const from = selection.fleet !== undefined && selection.pattern !== undefined ? `${what} matching ${selection.pattern}` : what;
  return selection.share === undefined ? from : `${from} (${shareText(selection.share)} chosen by the seed)`;
}

export function deviceRefName(ref: DeviceRef): string {
  return typeof ref === "string" ? ref : selectionKey(ref);
}

/** The candidates a selection draws from: a fleet's phones, or every device whose name matches the pattern. */
export function candidatesOf(selection: Selection, groups: ReadonlyMap<string, readonly string[]>, deviceNames: readonly string[]): string[] {
  const pool = selection.fleet !== undefined ? [...(groups.get(selection.fleet) ?? [])] : [...deviceNames];
  if (selection.pattern === undefined) return pool;
  const glob = globRegExp(selection.pattern);
  return pool.filter((name) => glob.test(name));
}

/** Picks ceil(share × n) of the candidates (at least one when the share is above 0), in declaration order. */
export function choose(candidates: readonly string[], selection: Selection, seed: number | string): string[] {
  if (selection.share === undefined) return [...candidates];
  const fraction = shareFraction(selection.share);
  const count = Math.min(candidates.length, Math.ceil(fraction * candidates.length));
  const random = new SeededRandom(seed).fork(`select ${selectionKey(selection)}`);
  const order = [...candidates.keys()];
  // A partial Fisher–Yates shuffle: the first `count` positions are a uniform sample.
  for (let i = 0; i < count; i += 1) {
    const j = random.int(i, order.length - 1);
    [order[i], order[j]] = [order[j] ?? 0, order[i] ?? 0];
  }
  const picked = new Set(order.slice(0, count));
  return candidates.filter((_, index) => picked.has(index));
}

export function shareFraction(share: string | number): number {
  return typeof share === "number" ? share : Number(share.replace(/\s*%$/, "")) / 100;
}

function shareText(share: string | number): string {
  return typeof share === "number" ? `${Math.round(share * 1000) / 10}%` : share.replace(/\s+/g, "");
}

/** `*` is any run of characters, `?` one character; everything else is literal; the whole name must match. */
function globRegExp(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${body}$`);
}
