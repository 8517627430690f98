import { HOUR, MINUTE, iso, type Millis } from "../../core/clock.ts";
import { Journal, type Actor, type EventData, type JournalEvent } from "../../core/journal.ts";
import { lockScreen } from "../../device-sim/lock-screen.ts";
import { initialSnapshot } from "../../device-sim/machine.ts";
import type { ExpectationResult, ScenarioResult, StepResult } from "../run/result.ts";

/**
 * Hand-made but realistic runs for the reporters' tests: the journal the lock service and one phone would
 * write for "Alice misses an installment on Friday evening, the phone locks, she pays on Saturday, the sync
 * lands on Monday morning in business hours, the phone unlocks" (Europe/Berlin, default policy: a heartbeat
 * every 6 hours, every 15 minutes while locked).
 */

export const IMEI = "490154203237518";
export const DEVICE_ID = "dev-7Hk2pQ9x";
const ACCOUNT = "alice";
const LENDER = "lender-a";
const TIME_ZONE = "Europe/Berlin";
const REGULAR = 6 * HOUR;
const LOCKED = 15 * MINUTE;

/** Writes the journal on a hand-moved clock, heartbeat by heartbeat, as the lock service and the phone would. */
class Tape {
  now: Millis;
  readonly journal: Journal;
  private seq = 0;
  private commands = 0;
  private lastCommandId: string | undefined;
  private unacknowledged: { id: string; type: string } | undefined;
  state: "active" | "locked" = "active";
  standing: "good" | "default" = "good";

  constructor(start: string) {
    this.now = Date.parse(start);
    this.journal = new Journal(() => this.now);
  }

  log(actor: Actor, type: string, data: EventData = {}): JournalEvent {
    return this.journal.append(actor, type, data);
  }

  /** One heartbeat exchange; a command (lock/unlock) is issued, answered and applied like the real service and agent do. */
  heartbeat(command: "none" | "lock" | "unlock" = "none"): void {
    const deviceId = DEVICE_ID;
    this.log("device", "heartbeat", {
      deviceId,
      seq: ++this.seq,
      state: this.state,
      ...(this.state === "locked" ? { lockReason: "overdue" } : {}),
      ...(this.lastCommandId ? { lastCommandId: this.lastCommandId } : {}),
    });
    if (this.unacknowledged && this.lastCommandId === this.unacknowledged.id) {
      this.log("lock-service", "command.acknowledged", { deviceId, commandId: this.unacknowledged.id, type: this.unacknowledged.type });
      this.unacknowledged = undefined;
    }
    const commandId = command === "none" ? "none" : `${deviceId}.c${++this.commands}`;
    if (command !== "none") this.log("lock-service", "command.issued", { deviceId, commandId, type: command });
    const locked = command === "lock" || (command === "none" && this.state === "locked");
    this.log("lock-service", "heartbeat.answered", {
      deviceId,
      standing: this.standing,
      command,
      commandId,
      nextHeartbeatAt: iso(this.now + (locked ? LOCKED : REGULAR)),
    });
    if (command === "none") return;
    this.unacknowledged = { id: commandId, type: command };
    this.lastCommandId = commandId;
    this.log("device", "device.command_applied", { deviceId, imei: IMEI, commandId, type: command });
    const to = command === "lock" ? "locked" : "active";
    this.log("device", "device.state_changed", { deviceId, imei: IMEI, from: this.state, to, ...(to === "locked" ? { lockReason: "overdue" } : {}) });
    this.state = to;
  }

  /** Routine heartbeats at the agent's interval until `until` (exclusive); returns when the next one is due. */
  heartbeatsUntil(next: Millis, until: Millis): Millis {
    let at = next;
    while (at < until) {
      this.now = at;
      this.heartbeat();
      at += this.state === "locked" ? LOCKED : REGULAR;
    }
    return at;
  }

  get lastSeq(): number {
    return this.journal.lastSeq;
  }

  events(): readonly JournalEvent[] {
    return this.journal.after(0);
  }
}

interface Run {
  readonly journal: readonly JournalEvent[];
  readonly steps: readonly StepResult[];
  readonly expectations: readonly ExpectationResult[];
  readonly startedAt: string;
  readonly endedAt: string;
}

/**
 * Plays the story. `endAt` lets a test keep the phone heartbeating for a month after the unlock, as a
 * 30-day scenario would.
 */
function play(endAt: string): Run {
  const startedAt = "2026-03-06T08:00:00.000Z"; // Fri 6 Mar 09:00 in Berlin
  const t = new Tape(startedAt);
  const steps: StepResult[] = [];
  const expectations: ExpectationResult[] = [];
  const recent = (n: number) => t.events().slice(-n);

  // Setup: the lender registers the phone; it checks in by IMEI, is enrolled and sends its first heartbeat.
  t.log("lender", "device.registered", { lenderId: LENDER, accountId: ACCOUNT, deviceId: DEVICE_ID, imei: IMEI, newAccount: true });
  t.log("device", "checkin", { imei: IMEI, model: "Pixel 8a" });
  t.log("lock-service", "checkin.answered", { imei: IMEI, status: "ready", deviceId: DEVICE_ID, reenrolment: false });
  t.log("device", "device.enrolled", { deviceId: DEVICE_ID, imei: IMEI });
  t.log("device", "device.state_changed", { deviceId: DEVICE_ID, imei: IMEI, from: "unenrolled", to: "active" });
  t.heartbeat();
  let next = t.heartbeatsUntil(t.now + REGULAR, Date.parse("2026-03-06T17:00:00.000Z"));

  // Step 1, Fri 18:00: the lender reports the missed installment, without a grace period.
  t.now = Date.parse("2026-03-06T17:00:00.000Z");
  let before = t.lastSeq;
  t.log("lender", "default.reported", {
    lenderId: LENDER,
    accountId: ACCOUNT,
    reportId: "r-2026-03",
    amountDue: { value: 49.99, currency: "EUR" },
    dueDate: "2026-03-01",
    gracePeriod: null,
  });
  t.log("lock-service", "standing.changed", { lenderId: LENDER, accountId: ACCOUNT, from: "good", to: "default", reason: "default reported" });
  t.standing = "default";
  steps.push({
    index: 0,
    line: 24,
    at: iso(t.now),
    say: "Alice misses her March installment; the lender reports it on Friday evening.",
    action: { do: "lender.default", params: { account: ACCOUNT, amount: "49.99 EUR", dueDate: "2026-03-01" } },
    outcome: "account alice is in default",
    seqBefore: before,
    seqAfter: t.lastSeq,
  });
  expectations.push(passing(0, t.now, "account alice is in default", "default"));

  // Fri 21:00: the next heartbeat learns of the default and the phone locks; then it calls every 15 minutes.
  t.now = next;
  t.heartbeat("lock");
  next = t.heartbeatsUntil(t.now + LOCKED, Date.parse("2026-03-07T09:00:00.000Z"));

  // Step 2, Sat 10:00: a check that the phone is locked.
  t.now = Date.parse("2026-03-07T09:00:00.000Z");
  steps.push({ index: 1, line: 31, at: iso(t.now), say: "Saturday morning: the phone is locked.", seqBefore: t.lastSeq, seqAfter: t.lastSeq });
  expectations.push(passing(1, t.now, "alice-phone is locked (overdue)", "locked (overdue)"));
  next = t.heartbeatsUntil(next, Date.parse("2026-03-07T11:00:00.000Z") + 1);

  // Step 3, Sat 12:00: Alice pays; the sync is due in business hours, on Monday.
  t.now = Date.parse("2026-03-07T11:00:00.000Z");
  before = t.lastSeq;
  t.log("owner", "owner.paid", { deviceId: DEVICE_ID, imei: IMEI, amount: { value: 49.99, currency: "EUR" } });
  t.log("lender", "payment.recorded", { lenderId: LENDER, accountId: ACCOUNT, paymentId: "p-1", amount: { value: 49.99, currency: "EUR" } });
  const expectedBy = "2026-03-09T09:30:00.000Z"; // Mon 10:30 in Berlin: 90 business minutes
  t.log("sync", "sync.scheduled", { lenderId: LENDER, accountId: ACCOUNT, paymentId: "p-1", expectedBy });
  steps.push({
    index: 2,
    line: 35,
    at: iso(t.now),
    say: "Alice pays from the payment app on Saturday.",
    action: { do: "owner.pay", params: { device: "alice-phone", amount: "49.99 EUR" } },
    outcome: "the lender recorded payment p-1; the sync is due Mon 9 Mar 10:30",
    seqBefore: before,
    seqAfter: t.lastSeq,
  });
  // The expectation a newcomer writes: paying unlocks at once. It does not: the payment has yet to sync.
  expectations.push({
    step: 2,
    line: 39,
    at: iso(t.now),
    description: "alice-phone is active",
    passed: false,
    expected: "active",
    found: "locked (overdue)",
    recentEvents: recent(6),
  });

  // Mon 10:30: the sync lands, the standing is good again, and the next heartbeat unlocks the phone.
  next = t.heartbeatsUntil(next, Date.parse(expectedBy));
  t.now = Date.parse(expectedBy);
  t.log("sync", "sync.completed", { lenderId: LENDER, accountId: ACCOUNT, paymentId: "p-1", expectedBy });
  t.log("lock-service", "standing.changed", { lenderId: LENDER, accountId: ACCOUNT, from: "default", to: "good", reason: "payment synced" });
  t.standing = "good";
  t.heartbeat("unlock");
  next = t.heartbeatsUntil(t.now + REGULAR, Date.parse("2026-03-09T11:00:00.000Z"));

  // Step 4, Mon 12:00: the payment has synced and the phone is unlocked.
  t.now = Date.parse("2026-03-09T11:00:00.000Z");
  steps.push({ index: 3, line: 41, at: iso(t.now), say: "Monday: the sync lands in business hours and the phone unlocks.", seqBefore: t.lastSeq, seqAfter: t.lastSeq });
  expectations.push(passing(3, t.now, "sync.completed for account alice since P2D", "at least 1", "1"));
  expectations.push(passing(3, t.now, "alice-phone is active", "active"));

  t.heartbeatsUntil(next, Date.parse(endAt) + 1);
  t.now = Date.parse(endAt);
  return { journal: t.events(), steps, expectations, startedAt, endedAt: iso(t.now) };
}

function passing(step: number, at: Millis, description: string, expected: string, found = expected): ExpectationResult {
  return { step, at: iso(at), description, passed: true, expected, found, recentEvents: [] };
}

function result(run: Run, scenario: ScenarioResult["scenario"], expectations: readonly ExpectationResult[]): ScenarioResult {
  const end = Date.parse(run.endedAt);
  const screen = lockScreen({ ...initialSnapshot(IMEI, "Pixel 8a"), status: "active", lastValidAt: end }, end, { timeZone: TIME_ZONE });
  return {
    scenario,
    seed: 7,
    transport: "direct",
    passed: expectations.every((e) => e.passed) && run.steps.every((s) => s.error === undefined),
    startedAt: run.startedAt,
    endedAt: run.endedAt,
    timeZone: TIME_ZONE,
    steps: run.steps,
    expectations,
    journal: run.journal,
    screens: { "alice-phone": screen },
    devices: { "alice-phone": { name: "alice-phone", imei: IMEI, deviceId: DEVICE_ID, account: ACCOUNT, lender: LENDER } },
    stats: {
      events: run.journal.length,
      heartbeats: run.journal.filter((e) => e.type === "heartbeat").length,
      simulatedMs: end - Date.parse(run.startedAt),
      wallMs: 14.6,
    },
  };
}

const story = {
  name: "missed-payment-lock",
  title: "Missed payment: locked until the sync lands",
  summary: "Alice misses an installment on a Friday evening. Her phone locks at its next heartbeat; she pays on Saturday, but the payment reaches the lock service only on Monday, in business hours.",
  objectives: [
    "A missed installment locks the phone at its next heartbeat, not at once.",
    "A locked phone keeps emergency calls and the payment app.",
    "Paying does not unlock at once: the payment must sync, and the sync runs in business hours.",
  ],
  file: "scenarios/missed-payment-lock.yaml",
} as const;

/** Every expectation holds. */
export function passingRun(endAt = "2026-03-09T17:00:00.000Z"): ScenarioResult {
  const run = play(endAt);
  return result(run, story, run.expectations.filter((e) => e.passed));
}

/** The same story with the newcomer's expectation that paying unlocks at once: one expectation fails. */
export function failingRun(endAt = "2026-03-09T17:00:00.000Z"): ScenarioResult {
  const run = play(endAt);
  return result(run, { ...story, name: "payment-unlocks-at-once", title: "Paying unlocks the phone at once (it does not)" }, run.expectations);
}

/** The run with the phone out of coverage at the end: `times` failed heartbeats, an hour apart, appended to the journal. */
export function offlineTail(times: number): ScenarioResult {
  const base = passingRun();
  const last = base.journal[base.journal.length - 1];
  const from = Date.parse(base.endedAt);
  const failures: JournalEvent[] = Array.from({ length: times }, (_, i) => ({
    seq: (last?.seq ?? 0) + 1 + i,
    at: iso(from + (i + 1) * HOUR),
    actor: "device",
    type: "device.heartbeat_failed",
    data: { deviceId: DEVICE_ID, imei: IMEI, error: "offline" },
  }));
  return { ...base, journal: [...base.journal, ...failures], endedAt: iso(from + times * HOUR) };
}

/** A run whose last action failed unexpectedly: support could not issue a code. */
export function erroredRun(): ScenarioResult {
  const base = failingRun();
  const last = base.journal[base.journal.length - 1];
  const seq = last?.seq ?? 0;
  const step: StepResult = {
    index: base.steps.length,
    line: 45,
    at: base.endedAt,
    say: "Support issues an unlock code.",
    action: { do: "support.issue_code", params: { device: "alice-phone" } },
    error: "409 standing_not_good: The lender still shows account alice overdue",
    seqBefore: seq,
    seqAfter: seq,
  };
  return { ...base, passed: false, steps: [...base.steps, step] };
}
