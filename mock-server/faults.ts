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
