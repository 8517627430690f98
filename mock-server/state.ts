import type { BusinessCalendar } from "../core/calendar.ts";
import { parseDuration } from "../core/duration.ts";
import { iso, type ControllableClock, type Job, type JobId, type Millis } from "../core/clock.ts";
import type { Actor, EventData, Journal } from "../core/journal.ts";
import type { Random } from "../core/random.ts";
import { ProblemError } from "../protocol/problem.ts";
import type { SyncStatus } from "../protocol/values.ts";
import { Authenticator, type Keys } from "./auth.ts";
import type { ServiceConfig } from "./config.ts";
import type { CredentialSource } from "./credentials.ts";
import { signAnswer, type ServerKeyPair } from "../protocol/server-key.ts";
import { afterApplied, type ActiveFault } from "./faults.ts";
import type { Account, DeviceRecord } from "./model.ts";
import type { StandingEffect, StandingResult } from "./standing.ts";
import { graceEnded } from "./standing.ts";
import type { Store } from "./store.ts";

export interface ServiceDeps {
  readonly clock: ControllableClock;
  readonly journal: Journal;
  readonly random: Random;
  readonly calendar: BusinessCalendar;
  /** A lender with its own calendar (time zone): its payments' syncs count that calendar's business days. */
  readonly lenderCalendars?: ReadonlyMap<string, BusinessCalendar>;
  readonly store: Store;
  readonly keys: Keys;
  readonly config: ServiceConfig;
  /** Tokens, secrets and codes; a fork of the seeded `random` when not given (scenario runs), a CSPRNG in `serve`. */
  readonly credentials?: CredentialSource;
  /** The pinned Ed25519 key: when given, check-in and heartbeat answers carry `serverSignature` (protocol/server-key.ts). */
  readonly serverKey?: ServerKeyPair;
}

/**
 * Everything the handlers share: the injected clock, journal, randomness and store, plus the few helpers
 * that turn the pure rules' effects into journal entries and clock jobs.
 */
export class ServiceState {
  readonly clock: ControllableClock;
  readonly journal: Journal;
  readonly random: Random;
  readonly credentials: CredentialSource;
  readonly serverKey: ServerKeyPair | undefined;
  readonly calendar: BusinessCalendar;
  private readonly lenderCalendars: ReadonlyMap<string, BusinessCalendar>;
  readonly store: Store;
  readonly config: ServiceConfig;
  readonly auth: Authenticator;
  /** The policy's heartbeat intervals, parsed once: every heartbeat needs one. */
  readonly intervals: { readonly regular: Millis; readonly locked: Millis };
  faults: ActiveFault[] = [];
  /** Starts as configured; a scenario's `sync.delay` step changes it for payments recorded afterwards. */
  syncDelay: { readonly min: Millis; readonly max: Millis };
  faultCount = 0;
  private readonly jobs = new Set<JobId>();

  /** The lender's own calendar when it has one, otherwise the service's. */
  calendarOf(lenderId: string): BusinessCalendar {
    return this.lenderCalendars.get(lenderId) ?? this.calendar;
  }

  constructor(deps: ServiceDeps) {
    this.clock = deps.clock;
    this.journal = deps.journal;
    this.random = deps.random;
    // A stream of its own, never the one sync delays are drawn from: `serve` takes its credentials from a CSPRNG,
    // and a run with seeded credentials must still draw the same delays as the studio playing the same story.
    this.credentials = deps.credentials ?? deps.random.fork("credentials");
    this.serverKey = deps.serverKey;
    this.calendar = deps.calendar;
    this.lenderCalendars = deps.lenderCalendars ?? new Map();
    this.store = deps.store;
    this.config = deps.config;
    this.auth = new Authenticator(deps.keys);
    this.syncDelay = deps.config.syncDelay;
    this.intervals = {
      regular: parseDuration(deps.config.policy.heartbeatInterval),
      locked: parseDuration(deps.config.policy.lockedHeartbeatInterval),
    };
  }

  now(): Millis {
    return this.clock.now();
  }

  log(actor: Actor, type: string, data: EventData = {}): void {
    this.journal.append(actor, type, data);
  }

  /**
   * Journals that `fault` applied to a call once more (`fault.applied`), and counts a fault given `times` down:
   * spent, it leaves the list. Every kind counts the same way (sync failures count in sync.ts, journaled as sync.failed).
   */
  faultApplied(fault: ActiveFault, data: EventData): void {
    this.faults = afterApplied(this.faults, fault);
    this.log("lock-service", "fault.applied", { kind: fault.kind, faultId: fault.id, ...data, ...(fault.times !== undefined ? { faultTimesLeft: fault.times - 1 } : {}) });
  }

  /** Jobs the service owns, so that a reset can cancel them all. */
  schedule(at: Millis, label: string, job: Job): JobId {
    const id = this.clock.schedule(
      at,
      () => {
        this.jobs.delete(id);
        return job();
      },
      label,
    );
    this.jobs.add(id);
    return id;
  }

  cancel(id: JobId): void {
    this.jobs.delete(id);
    this.clock.cancel(id);
  }

  cancelAllJobs(): void {
    for (const id of this.jobs) this.clock.cancel(id);
    this.jobs.clear();
  }

  /** The job that turns an overdue account to default when its grace ends (also re-armed after a restart). */
  scheduleGraceEnd(account: Account, at: Millis): JobId {
    const { lenderId, accountId } = account;
    return this.schedule(at, `grace ends ${accountId}`, () => {
      const current = this.store.getAccount(lenderId, accountId);
      if (current) this.commit(graceEnded({ ...current, graceJobId: undefined }, this.now()));
    });
  }

  /** Stores the account and performs the standing rules' effects. */
  commit(result: StandingResult): Account {
    let account = result.account;
    for (const effect of result.effects) account = this.perform(account, effect);
    this.store.putAccount(account);
    return account;
  }

  private perform(account: Account, effect: StandingEffect): Account {
    switch (effect.type) {
      case "standing_changed":
        this.log("lock-service", "standing.changed", {
          lenderId: account.lenderId,
          accountId: account.accountId,
          from: effect.from,
          to: effect.to,
          reason: effect.reason,
        });
        return account;
      case "cancel_grace_end":
        this.cancel(effect.jobId);
        return account;
      case "schedule_grace_end":
        return { ...account, graceJobId: this.scheduleGraceEnd(account, effect.at) };
    }
  }

  accountOf(device: DeviceRecord): Account {
    const account = this.store.getAccount(device.lenderId, device.accountId);
    if (!account) throw new Error(`device ${device.deviceId} has no account ${device.accountId}`);
    return account;
  }

  lenderAccount(lenderId: string, accountId: string): Account {
    const account = this.store.getAccount(lenderId, accountId);
    if (!account) throw new ProblemError(404, "not_found", `No account ${accountId} for this lender.`);
    return account;
  }

  /** A support or admin lookup by id. */
  deviceById(deviceId: string): DeviceRecord {
    const device = this.store.getDevice(deviceId);
    if (!device) throw new ProblemError(404, "not_found", `No device ${deviceId}.`);
    return device;
  }

  /** The account's sync as one status: a failure wins over pending work, which wins over idle. */
  syncView(account: Account): SyncStatus {
    let pendingUntil: Millis | undefined;
    for (const payment of Object.values(account.payments)) {
      if (payment.sync.status === "failed") return { status: "failed", expectedBy: iso(payment.sync.expectedBy), error: payment.sync.error };
      if (payment.sync.status === "pending") pendingUntil = Math.max(pendingUntil ?? 0, payment.sync.expectedBy);
    }
    return pendingUntil === undefined ? { status: "idle" } : { status: "pending", expectedBy: iso(pendingUntil) };
  }
}

export function isoOrNull(at: Millis | undefined): string | null {
  return at === undefined ? null : iso(at);
}

/** An answer to a phone, signed with the pinned server key when the service has one. */
export function serverSigned<T extends object>(state: ServiceState, answer: T): T {
  return state.serverKey ? signAnswer(state.serverKey, answer) : answer;
}
