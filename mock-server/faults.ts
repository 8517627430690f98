import type { Millis } from "../core/clock.ts";
import type { FaultKind } from "../protocol/messages/sim.ts";

/** Faults the facilitator injects. Pure: which fault applies to a call, given the time and its subject. */
export interface ActiveFault {
  readonly id: string;
  readonly kind: FaultKind;
  readonly target?: string;
  readonly until?: Millis;
  /** For `latency`: wall-clock milliseconds added at the HTTP edge. */
  readonly delayMs?: number;
  /** Applications left before the fault is spent (absent: until it expires or is cleared). */
  readonly times?: number;
}

/** What a call is about, so that a targeted fault can match it by deviceId, accountId or IMEI. */
export interface Subject {
  readonly deviceId?: string;
  readonly accountId?: string;
  readonly imei?: string;
}

export function findFault(faults: readonly ActiveFault[], kind: FaultKind, subject: Subject, now: Millis): ActiveFault | undefined {
  return faults.find((fault) => fault.kind === kind && isLive(fault, now) && matches(fault, subject));
}

/** The faults after `fault` applied once more: a counted fault counts down and leaves the list when spent. */
export function afterApplied(faults: readonly ActiveFault[], fault: ActiveFault): ActiveFault[] {
  if (fault.times === undefined) return [...faults];
  return faults.flatMap((each) => (each !== fault ? [each] : fault.times !== undefined && fault.times > 1 ? [{ ...fault, times: fault.times - 1 }] : []));
}

export function liveFaults(faults: readonly ActiveFault[], now: Millis): ActiveFault[] {
  return faults.filter((fault) => isLive(fault, now));
}

function isLive(fault: ActiveFault, now: Millis): boolean {
  return fault.until === undefined || now < fault.until;
}

function matches(fault: ActiveFault, subject: Subject): boolean {
  if (fault.target === undefined) return true;
  return fault.target === subject.deviceId || fault.target === subject.accountId || fault.target === subject.imei;
}
