import type { EventData, JournalEvent, JsonValue } from "../../core/journal.ts";
import type { NameBook } from "./names.ts";
import { localTime } from "./time.ts";

export { nameBook, type NameBook } from "./names.ts";

/**
 * One plain-language sentence per journal event, for a workshop audience: phones by name, money with its
 * currency, times local to the scenario. The journal stays the single history; this only tells it.
 */
export function narrate(event: JournalEvent, names: NameBook): string {
  const tell = tellers[event.type];
  if (!tell) return `${event.actor}: ${event.type}`;
  // A phone the scenario did not name opens the sentence as "the phone …" or "device dev-…": capitalise
  // that, but never a phone's own name ("alice-phone locks").
  return tell(new Reader(event.data, names)).replace(/^(the phone|device )/, (start) => start.charAt(0).toUpperCase() + start.slice(1));
}

/**
 * The noise of a normal run: heartbeats with nothing to do, check-ins, reads, and the protocol's own
 * bookkeeping (an acknowledged command, a command applied: its visible effect is the state change that
 * follows). Reporters collapse these ("· 24 routine heartbeats") so the story stays visible.
 */
export function isRoutine(event: JournalEvent): boolean {
  switch (event.type) {
    case "heartbeat":
    case "checkin":
    case "account.viewed":
    case "device.looked_up":
    case "command.acknowledged":
    case "device.command_applied":
      return true;
    case "heartbeat.answered":
      return event.data["command"] === "none";
    case "checkin.answered":
      // A phone no lender financed is told to stop: that is part of the story, not noise.
      return event.data["status"] !== "stop";
    default:
      return false;
  }
}

/** Reads an event's data defensively: the journal is plain JSON, and an older run may lack a field. */
class Reader {
  constructor(
    readonly data: EventData,
    private readonly names: NameBook,
  ) {}

  text(key: string): string | undefined {
    const value = this.data[key];
    return typeof value === "string" || typeof value === "number" || typeof value === "boolean" ? String(value) : undefined;
  }

  /** The phone the event is about, by name when the scenario named it. */
  phone(): string {
    const deviceId = this.text("deviceId");
    const imei = this.text("imei");
    const known = (deviceId !== undefined ? this.names.devices.get(deviceId) : undefined) ?? (imei !== undefined ? this.names.devices.get(imei) : undefined);
    if (known) return known;
    if (deviceId !== undefined) return `device ${deviceId}`;
    return imei !== undefined ? `the phone with IMEI ${imei}` : "the phone";
  }

  account(): string {
    return `account ${this.text("accountId") ?? "?"}`;
  }

  money(key: string): string {
    return formatMoney(this.data[key]);
  }

  time(key: string): string | undefined {
    const value = this.text(key);
    return value === undefined || value === "" ? undefined : localTime(value, this.names.timeZone);
  }
}

type Teller = (r: Reader) => string;

const commandPhrases: Record<string, (phone: string) => string> = {
  lock: (phone) => `The lock service tells ${phone} to lock.`,
  unlock: (phone) => `The lock service tells ${phone} to unlock.`,
  remind: (phone) => `The lock service tells ${phone} to show a payment reminder.`,
  release: (phone) => `The lock service releases ${phone}: the loan is paid off.`,
};

const unlockAnswers: Record<string, Teller> = {
  accepted: (r) => `The lock service accepts the unlock code from ${r.phone()}.`,
  code_invalid: (r) => {
    const until = r.time("cooldownUntil");
    const failures = r.text("failures");
    return `The lock service rejects the unlock code from ${r.phone()}${failures ? ` (${failures} wrong so far)` : ""}${until ? `; no more tries until ${until}` : ""}.`;
  },
  code_expired: (r) => `The lock service refuses the unlock code from ${r.phone()}: it has expired or was replaced.`,
  too_many_attempts: (r) => `The lock service refuses to check a code from ${r.phone()}: too many wrong codes, try again in ${r.text("retryAfter") ?? "?"} s.`,
};

const faultPhrases: Record<string, Teller> = {
  outage: (r) => `A simulated outage refuses ${r.text("operation") ?? "a call"} (503).`,
  drop: (r) => `A simulated network fault drops ${r.text("operation") ?? "a call"} without an answer.`,
  latency: (r) => `A simulated network delay slows ${r.text("operation") ?? "a call"}.`,
  forge: (r) => `An attacker's forged "unlock" answer reaches ${r.phone()} (wrong signature).`,
};

function stateChanged(r: Reader): string {
  const phone = r.phone();
  const from = r.text("from");
  switch (r.text("to")) {
    case "locked": {
      const challenge = r.text("challenge");
      return `${phone} locks (reason: ${r.text("lockReason") ?? "unknown"})${challenge ? `; its offline challenge is ${challenge}` : ""}.`;
    }
    case "active":
      if (from === "locked") return `${phone} unlocks.`;
      if (from === "reminding") return `${phone} clears the payment reminder.`;
      return `${phone} is active.`;
    case "reminding":
      return `${phone} shows a payment reminder.`;
    case "released":
      return `${phone} is released: the lock agent lets go for good.`;
    case "unmanaged":
      return `${phone} runs unmanaged: no lender financed it.`;
    default:
      return `${phone} goes from ${from ?? "?"} to ${r.text("to") ?? "?"}.`;
  }
}

const tellers: Record<string, Teller> = {
  // ---------------------------------------------------------------- lender
  "device.registered": (r) => `The lender registers ${r.phone()} on ${r.account()}.`,
  "default.reported": (r) => {
    const grace = r.text("gracePeriod");
    return `The lender reports a missed installment of ${r.money("amountDue")} on ${r.account()} (${grace ? `grace ${grace}` : "no grace period"}).`;
  },
  "payment.recorded": (r) => `The lender records a payment of ${r.money("amount")} on ${r.account()}.`,
  "loan.completed": (r) => `The lender marks the loan on ${r.account()} as paid off.`,
  "account.viewed": (r) => `The lender looks at ${r.account()}.`,

  // ---------------------------------------------------------------- device messages
  checkin: (r) => `${r.phone()} checks in with the lock service.`,
  heartbeat: (r) => {
    const reason = r.text("lockReason");
    return `${r.phone()} sends a heartbeat (${r.text("state") ?? "?"}${reason ? `, ${reason}` : ""}).`;
  },
  unlock_attempt: (r) => `${r.phone()} sends an unlock code to the lock service.`,

  // ---------------------------------------------------------------- lock service
  "checkin.answered": (r) => {
    if (r.text("status") === "stop") return `The lock service knows no financed phone with IMEI ${r.text("imei") ?? "?"} and answers "stop".`;
    return r.data["reenrolment"] === true ? `The lock service enrols ${r.phone()} again with new credentials.` : `The lock service enrols ${r.phone()}.`;
  },
  "heartbeat.answered": (r) => {
    const command = r.text("command") ?? "none";
    const standing = r.text("standing") ?? "?";
    return command === "none"
      ? `The lock service answers ${r.phone()}: standing ${standing}, nothing to do.`
      : `The lock service answers ${r.phone()}: standing ${standing}, command ${command}.`;
  },
  "unlock_attempt.answered": (r) => (unlockAnswers[r.text("result") ?? ""] ?? ((x: Reader) => `The lock service answers the unlock code from ${x.phone()}: ${x.text("result") ?? "?"}.`))(r),
  "command.issued": (r) => (commandPhrases[r.text("type") ?? ""] ?? ((phone: string) => `The lock service sends ${phone} a ${r.text("type") ?? "?"} command.`))(r.phone()),
  "command.acknowledged": (r) => {
    const type = r.text("type");
    return `${r.phone()} confirms the ${type ? `${type} ` : ""}command.`;
  },
  "standing.changed": (r) =>
    `Account ${r.text("accountId") ?? "?"} goes from ${r.text("from") ?? "?"} to ${r.text("to") ?? "?"} (${r.text("reason") ?? "no reason given"}).`,
  "server.resumed": (r) => `The lock service restarts from its data folder and carries on after event ${r.text("lastSeq") ?? "?"}.`,
  "job.failed": (r) => `A job on the lock service's clock fails: ${r.text("error") ?? "unknown error"}.`,
  "fault.applied": (r) => (faultPhrases[r.text("kind") ?? ""] ?? ((x: Reader) => `A ${x.text("kind") ?? "?"} fault applies.`))(r),

  // ---------------------------------------------------------------- sync
  "sync.scheduled": (r) => `The payment on ${r.account()} is on its way: the sync is due ${r.time("expectedBy") ?? "later"}.`,
  "sync.completed": () => "The payment reaches the lock service.",
  "sync.failed": (r) => `The sync fails: ${r.text("error") ?? "unknown error"}.`,
  "sync.delay_changed": (r) => `From now on a payment takes ${r.text("min") ?? "?"}${r.text("max") !== r.text("min") ? ` to ${r.text("max") ?? "?"}` : ""} of business time to sync.`,

  // ---------------------------------------------------------------- support
  "device.looked_up": (r) => `Support looks up ${r.phone()}.`,
  "sync.refresh_requested": (r) => `Support asks for a manual sync refresh for ${r.phone()}.`,
  "unlock_code.issued": (r) => {
    const until = r.time("expiresAt");
    return `Support issues unlock code ${r.text("code") ?? "?"} for ${r.phone()}${until ? ` (valid until ${until})` : ""}.`;
  },
  "unlock_attempts.reset": (r) => `Support resets ${r.phone()}'s wrong-code count, so its owner can try again now.`,
  "offline_code.issued": (r) => `Support answers the offline challenge ${r.text("challenge") ?? "?"} shown on ${r.phone()}.`,

  // ---------------------------------------------------------------- facilitator
  "clock.changed": (r) => `The facilitator moves the clock to ${r.time("to") ?? "?"}.`,
  "fault.added": (r) => {
    const target = r.text("target");
    const until = r.time("until");
    const delay = r.text("delay");
    const times = r.text("times");
    const count = times === undefined ? "" : times === "1" ? " for the next attempt only" : ` for the next ${times} attempts`;
    return `The facilitator injects a ${r.text("kind") ?? "?"} fault${target ? ` for ${target}` : ""}${delay ? ` (${delay})` : ""}${until ? ` until ${until}` : ""}${count}.`;
  },
  "faults.cleared": (r) => `The facilitator clears every fault (${r.text("cleared") ?? "0"} active).`,
  "sim.reset": () => "The facilitator resets the simulation.",

  // ---------------------------------------------------------------- the phone's own
  "device.enrolled": (r) => `${r.phone()} is enrolled: the lock agent now answers to the lock service.`,
  "device.state_changed": stateChanged,
  "device.command_applied": (r) => `${r.phone()} applies the ${r.text("type") ?? "?"} command.`,
  "device.response_rejected": (r) =>
    r.text("reason") === "nonce"
      ? `${r.phone()} ignores a replayed answer (wrong nonce) that claimed "${r.text("claimedCommand") ?? "?"}".`
      : `${r.phone()} ignores an answer with a bad signature that claimed "${r.text("claimedCommand") ?? "?"}".`,
  "device.answer_refused": (r) => `${r.phone()} refuses an answer to its ${r.text("call") ?? "call"} that the lock service's pinned key did not sign.`,
  "device.heartbeat_failed": (r) => `${r.phone()} cannot reach the lock service: ${r.text("error") ?? "unknown error"}.`,
  "device.checkin_failed": (r) => `${r.phone()} cannot check in: ${r.text("error") ?? "unknown error"}.`,
  "device.checkin_refused": (r) => `${r.phone()} ignores an unsigned "stop": only a signed release ends management.`,
  "device.credentials_rejected": (r) => `The lock service no longer knows ${r.phone()}'s token (${r.text("status") ?? "?"}); it will check in again.`,
  "device.offline_warning": (r) => {
    const at = r.time("lockAt");
    return `${r.phone()} warns its owner: it locks${at ? ` at ${at}` : " soon"} unless it reaches the lock service.`;
  },
  "device.unlocked_by_code": (r) => `${r.phone()} accepts the unlock code and restarts.`,
  "device.offline_code_accepted": (r) => `${r.phone()} accepts the offline code and restarts.`,
  "device.offline_code_rejected": (r) => `${r.phone()} rejects the offline code (${r.text("failures") ?? "?"} wrong so far).`,

  // ---------------------------------------------------------------- the owner
  "device.powered_on": (r) => `The owner switches ${r.phone()} on.`,
  "device.powered_off": (r) => `The owner switches ${r.phone()} off; it sends nothing until it is switched on again.`,
  "device.rebooted": (r) => `The owner restarts ${r.phone()}.`,
  "device.factory_reset": (r) => `The owner erases ${r.phone()} with a factory reset.`,
  "device.online": (r) => `${r.phone()} is back online.`,
  "device.offline": (r) => `${r.phone()} loses its network.`,
  "owner.code_entered": (r) => `The owner types an unlock code (${r.text("digits") ?? "?"} digits) on ${r.phone()}.`,
  "owner.offline_code_entered": (r) => `The owner types an offline code (${r.text("digits") ?? "?"} digits) on ${r.phone()}.`,
  // Written by the scenario runner, not the lock service: what the owner did outside the phone.
  "owner.paid": (r) => `The owner of ${r.phone()} pays ${r.money("amount")}.`,
  "owner.sold": (r) => `The owner sells ${r.phone()} to ${r.text("to") ?? "someone"}.`,
};

/** "49.99 EUR"; a list of amounts (the lock command's amountDue) is joined with "+". */
export function formatMoney(value: JsonValue | undefined): string {
  if (Array.isArray(value)) return value.map(formatMoney).join(" + ") || "nothing";
  if (value === null || typeof value !== "object") return "an unknown amount";
  const amount = value["value"];
  const currency = typeof value["currency"] === "string" ? value["currency"] : "";
  const number = typeof amount === "number" ? amount : typeof amount === "string" ? Number(amount) : Number.NaN;
  if (Number.isNaN(number)) return `an unknown amount${currency ? ` of ${currency}` : ""}`;
  // Whole amounts stay whole ("120 EUR"); anything else shows its cents, as the lender wrote them.
  const shown = Number.isInteger(number) ? String(number) : number.toFixed(2);
  return `${shown}${currency ? ` ${currency}` : ""}`;
}
