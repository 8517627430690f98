import type { Millis } from "../core/clock.ts";
import type { CommandType } from "../protocol/messages/device.ts";
import type { Contact, DeviceState, LockReason, Standing } from "../protocol/values.ts";
import type { Balance } from "./money.ts";

/** The lock service's records. Plain data: the store keeps them, the pure rules compute new ones. */

export interface DefaultReport {
  readonly reportId: string;
  /** Canonical JSON of the validated request, to tell an idempotent repeat from a conflicting reuse. */
  readonly fingerprint: string;
  readonly currency: string;
  readonly minor: number;
  readonly reportedAt: Millis;
  readonly lockAt: Millis;
}

export type PaymentSyncState =
  | { readonly status: "pending"; readonly expectedBy: Millis; readonly jobId: number }
  | { readonly status: "failed"; readonly expectedBy: Millis; readonly error: string }
  | { readonly status: "synced"; readonly expectedBy: Millis; readonly syncedAt: Millis };

export interface PaymentRecord {
  readonly paymentId: string;
  readonly fingerprint: string;
  readonly currency: string;
  readonly minor: number;
  readonly recordedAt: Millis;
  readonly paidAt: Millis;
  readonly sync: PaymentSyncState;
}

export interface Account {
  readonly lenderId: string;
  readonly accountId: string;
  readonly standing: Standing;
  /** When an overdue account turns to default (or did); absent while good or paid off. */
  readonly lockAt?: Millis;
  /** The grace-end job on the clock, so a payment that settles the account can cancel it. */
  readonly graceJobId?: number;
  /** Counts default reports, so that an unlock code covers the defaults it was issued against, not later ones. */
  readonly defaultEpoch: number;
  /** What the lock service believes is owed: reported defaults minus *synced* payments. */
  readonly owed: Balance;
  readonly reports: Readonly<Record<string, DefaultReport>>;
  readonly payments: Readonly<Record<string, PaymentRecord>>;
}

export interface Enrolment {
  readonly token: string;
  readonly secret: string;
  readonly enrolledAt: Millis;
}

export interface IssuedCommand {
  readonly id: string;
  readonly type: Exclude<CommandType, "none">;
  readonly acknowledged: boolean;
}

export interface UnlockCode {
  readonly code: string;
  /** The account's defaultEpoch at issue: the code lifts those defaults, not ones reported after it. */
  readonly epoch: number;
  readonly issuedAt: Millis;
  readonly expiresAt: Millis;
  readonly usedAt?: Millis;
  readonly supersededAt?: Millis;
}

export interface AttemptLimiter {
  /** Consecutive wrong codes since the last success. */
  readonly failures: number;
  readonly cooldownUntil?: Millis;
}

export interface DeviceRecord {
  readonly deviceId: string;
  readonly imei: string;
  readonly lenderId: string;
  readonly accountId: string;
  readonly model?: string;
  readonly lockMessage?: string;
  readonly contact: Contact;
  readonly registeredAt: Millis;
  readonly enrolment?: Enrolment;
  /** Highest heartbeat seq seen for the current enrolment; -1 before the first. */
  readonly lastSeq: number;
  readonly lastHeartbeatAt?: Millis;
  readonly reportedState?: DeviceState;
  readonly reportedLockReason?: LockReason;
  readonly command?: IssuedCommand;
  readonly commandCount: number;
  /** The account's defaultEpoch when a valid unlock code was redeemed: those defaults no longer lock it. */
  readonly unlockedThroughEpoch?: number;
  readonly codes: readonly UnlockCode[];
  readonly attempts: AttemptLimiter;
}

/**
 * A record's own entry for an id a client chose: a plain `record[id]` would find Object.prototype members
 * for ids like "constructor" (records are rebuilt by spreading, so they keep a prototype).
 */
export function ownEntry<T>(record: Readonly<Record<string, T>>, id: string): T | undefined {
  return Object.hasOwn(record, id) ? record[id] : undefined;
}

export function accountKey(lenderId: string, accountId: string): string {
  return `${lenderId}/${accountId}`;
}

/** A device as the lender registers it: not yet checked in, no commands, no codes. */
export function newDeviceRecord(
  fields: Pick<DeviceRecord, "deviceId" | "imei" | "lenderId" | "accountId" | "contact" | "registeredAt" | "model" | "lockMessage">,
): DeviceRecord {
  return { ...fields, contact: sharedContact(fields.contact), lastSeq: -1, commandCount: 0, codes: NO_CODES, attempts: NO_FAILURES };
}

/**
 * A fleet's phones are registered with the lender's one contact: equal contacts (same members, same order) share
 * one frozen copy instead of a parsed object per device record. Records are rebuilt, never edited.
 */
function sharedContact(contact: Contact): Contact {
  const last = lastContact;
  if (
    last !== undefined &&
    last.phone === contact.phone &&
    last.email === contact.email &&
    Object.keys(last).join() === Object.keys(contact).join()
  ) {
    return last;
  }
  lastContact = Object.freeze({ ...contact });
  return lastContact;
}

let lastContact: Contact | undefined;

/* Shared by every new device record (records are rebuilt, never edited; frozen so an edit would throw). */
const NO_CODES: readonly UnlockCode[] = Object.freeze([]);
const NO_FAILURES: AttemptLimiter = Object.freeze({ failures: 0 });

/**
 * The state (and, when locked, the lock reason) the lender and support see for a device: what it last reported, except after a signed `release`
 * went out. A released phone stops calling home (PROTOCOL.md: "devices are released at their next heartbeat"), so
 * it never reports `released` itself; the service knows it sent the release.
 */
export function viewedState(device: DeviceRecord): { readonly state: DeviceState | null; readonly lockReason?: LockReason } {
  if (device.command?.type === "release") return { state: "released" };
  const state = device.reportedState ?? null;
  return state === "locked" && device.reportedLockReason ? { state, lockReason: device.reportedLockReason } : { state };
}
