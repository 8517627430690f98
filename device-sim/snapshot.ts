import type { Millis } from "../core/clock.ts";
import type { Contact, LockReason, Money } from "../protocol/values.ts";

/**
 * Everything the lock agent on one phone knows. Plain data, so the pure machine can compute the next one
 * and a test can compare two of them. Times are on the simulated clock.
 */
export type AgentStatus = "unenrolled" | "unmanaged" | "active" | "reminding" | "locked" | "released";

export interface Credentials {
  readonly deviceId: string;
  readonly token: string;
  readonly secret: string;
}

export interface AgentPolicy {
  readonly heartbeatInterval: Millis;
  readonly lockedHeartbeatInterval: Millis;
  readonly offlineLockAfter: Millis;
  readonly offlineWarningBefore: Millis;
}

export interface Reminder {
  readonly lockAt?: string;
  readonly amountDue?: readonly Money[];
  readonly contact?: Contact;
}

export interface LockInfo {
  readonly reason: LockReason;
  readonly message?: string;
  readonly contact?: Contact;
  readonly amountDue?: readonly Money[];
  /** Shown on an offline or tamper lock; support answers it with an offline code. */
  readonly challenge?: string;
  readonly since: Millis;
}

export type KeypadCause = "no_connection" | "reconnecting" | "service_error";

/** The lock screen's code keypad: what the owner sees after each try. */
export interface Keypad {
  /** Wrong codes so far (offline codes, counted on the phone). */
  readonly failures: number;
  /** What the lock service last said is left before a cooldown (online codes). */
  readonly attemptsLeft?: number;
  readonly cooldownUntil?: Millis;
  readonly last?: "accepted" | "invalid" | "expired" | "cooldown" | "unreachable";
  /** Why a code could not be checked (`last: "unreachable"`): a fact the copy deck words, not a sentence. */
  readonly cause?: KeypadCause;
}

export interface DeviceSnapshot {
  readonly imei: string;
  readonly model?: string;
  readonly status: AgentStatus;
  readonly credentials?: Credentials;
  /**
   * When this phone was first enrolled since its last factory reset. An enrolled phone is ended only by a
   * signed `release`: an unsigned check-in answer of "stop" does not turn it unmanaged.
   */
  readonly managedSince?: Millis;
  readonly policy: AgentPolicy;
  /** Last heartbeat seq sent for the current enrolment. */
  readonly seq: number;
  readonly lastCommandId?: string;
  /** The last heartbeat answer that was correctly signed and echoed our nonce. */
  readonly lastValidAt?: Millis;
  /** Consecutive failed calls, for exponential backoff. */
  readonly failures: number;
  readonly online: boolean;
  readonly bootingUntil?: Millis;
  /** Switched off by its owner (owner.power_off) until powered on again. */
  readonly poweredOff?: boolean;
  readonly offlineWarningShown: boolean;
  readonly reminder?: Reminder;
  readonly lock?: LockInfo;
  readonly keypad: Keypad;
  /** Offline codes are checked on the phone, so the phone limits the attempts itself. */
  readonly offlineKeypad: Keypad;
}

/** One timer of each kind at a time: scheduling one again replaces it. `heartbeat` also carries retries. */
export type Timer = "heartbeat" | "offline_warning" | "offline_lock" | "boot";
