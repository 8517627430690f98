import type { Money } from "../protocol/values.ts";

/** Amounts per currency in minor units (cents), so sums never drift the way floats do. */
export type Balance = Readonly<Record<string, number>>;

export function toMinor(money: Money): { currency: string; minor: number } {
  return { currency: money.currency, minor: Math.round(money.value * 100) };
}

export function addTo(balance: Balance, currency: string, minor: number): Balance {
  const next = { ...balance, [currency]: (balance[currency] ?? 0) + minor };
  if (next[currency] === 0) delete next[currency];
  return next;
}

/** True when nothing is owed in any currency (overpayment counts as settled). */
export function isSettled(balance: Balance): boolean {
  return Object.values(balance).every((minor) => minor <= 0);
}

export function owedAmounts(balance: Balance): Money[] {
  return Object.entries(balance)
    .filter(([, minor]) => minor > 0)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([currency, minor]) => ({ value: minor / 100, currency }));
}
