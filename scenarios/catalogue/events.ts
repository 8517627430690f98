import type { Actor } from "../../core/journal.ts";
import { commandTypes } from "../../protocol/messages/device.ts";
import { faultKinds } from "../../protocol/messages/sim.ts";
import { deviceStates, lockReasons, standings } from "../../protocol/values.ts";

/**
 * The event catalogue, typed: every event type the lock service, the simulated phones and the scenario
 * runner write, who writes it, and the keys its `data` may carry. The validator checks event expectations
 * against it (a misspelt type, actor or data key is an invalid file, not a check that can never fail), and a
 * test runs the whole library and fails when any event it emits is missing here, so it cannot drift.
 * The README's "Events" table lists the same types.
 */
export interface EventSpec {
  readonly actors: readonly Actor[];
  readonly data: readonly string[];
  /** The only values some keys take (a command's type, a standing): `data: { type: lokc }` is a typo, not a check. */
  readonly values?: Readonly<Record<string, readonly string[]>>;
}

const phoneStates = [...deviceStates, "unenrolled"] as const;
const unlockResults = ["accepted", "code_invalid", "code_expired", "too_many_attempts"] as const;

const ids = ["deviceId", "imei"] as const;
const account = ["lenderId", "accountId"] as const;

export const eventCatalogue = {
  // lender
  "device.registered": { actors: ["lender"], data: [...account, ...ids, "newAccount"] },
  "default.reported": { actors: ["lender"], data: [...account, "amountDue", "dueDate", "gracePeriod", "reportId"] },
  "payment.recorded": { actors: ["lender"], data: [...account, "amount", "paymentId"] },
  "loan.completed": { actors: ["lender"], data: [...account] },
  "account.viewed": { actors: ["lender"], data: [...account] },
  // the phone's messages, written by the lock service
  checkin: { actors: ["device"], data: ["imei", "model"] },
  heartbeat: { actors: ["device"], data: ["deviceId", "seq", "state", "lockReason", "lastCommandId"], values: { state: deviceStates, lockReason: lockReasons } },
  unlock_attempt: { actors: ["device"], data: ["deviceId"] },
  // lock service
  "checkin.answered": { actors: ["lock-service"], data: [...ids, "status", "reenrolment"], values: { status: ["ready", "stop"] } },
  "heartbeat.answered": { actors: ["lock-service"], data: ["deviceId", "standing", "command", "commandId", "nextHeartbeatAt"], values: { standing: standings, command: commandTypes } },
  "unlock_attempt.answered": { actors: ["lock-service"], data: ["deviceId", "result", "failures", "cooldownUntil", "retryAfter"], values: { result: unlockResults } },
  "command.issued": { actors: ["lock-service"], data: ["deviceId", "commandId", "type"], values: { type: commandTypes } },
  "command.acknowledged": { actors: ["lock-service"], data: ["deviceId", "commandId", "type"], values: { type: commandTypes } },
  "standing.changed": { actors: ["lock-service"], data: [...account, "from", "to", "reason"], values: { from: standings, to: standings } },
  "fault.applied": { actors: ["lock-service"], data: ["deviceId", "faultId", "kind", "operation", "faultTimesLeft"], values: { kind: faultKinds } },
  "server.resumed": { actors: ["lock-service"], data: ["at", "lastSeq", "devices"] },
  "job.failed": { actors: ["lock-service"], data: ["error"] },
  // sync
  "sync.scheduled": { actors: ["sync"], data: [...account, "paymentId", "expectedBy"] },
  "sync.completed": { actors: ["sync"], data: [...account, "paymentId", "expectedBy"] },
  "sync.failed": { actors: ["sync"], data: [...account, "paymentId", "expectedBy", "error", "faultId", "faultTimesLeft"] },
  "sync.delay_changed": { actors: ["sync"], data: ["min", "max"] },
  // support
  "device.looked_up": { actors: ["support"], data: [...ids] },
  "sync.refresh_requested": { actors: ["support"], data: ["deviceId", "accountId"] },
  "unlock_code.issued": { actors: ["support"], data: ["deviceId", "code", "expiresAt"] },
  "offline_code.issued": { actors: ["support"], data: ["deviceId", "challenge"] },
  "unlock_attempts.reset": { actors: ["support"], data: ["deviceId", "cleared"] },
  // facilitator
  "clock.changed": { actors: ["facilitator"], data: ["from", "to", "speed"] },
  "fault.added": { actors: ["facilitator"], data: ["id", "kind", "target", "until", "times"], values: { kind: faultKinds } },
  "faults.cleared": { actors: ["facilitator"], data: ["cleared"] },
  "sim.reset": { actors: ["facilitator"], data: [] },
  // the simulated phone's own
  "device.enrolled": { actors: ["device"], data: [...ids] },
  "device.state_changed": { actors: ["device"], data: [...ids, "from", "to", "lockReason", "challenge"], values: { from: phoneStates, to: phoneStates, lockReason: lockReasons } },
  "device.command_applied": { actors: ["device"], data: [...ids, "commandId", "type"], values: { type: commandTypes } },
  "device.answer_refused": { actors: ["device"], data: [...ids, "call", "reason"] },
  "device.response_rejected": { actors: ["device"], data: [...ids, "reason", "claimedCommand"] },
  "device.heartbeat_failed": { actors: ["device"], data: [...ids, "error"] },
  "device.checkin_failed": { actors: ["device"], data: [...ids, "error"] },
  "device.checkin_refused": { actors: ["device"], data: ["imei", "answer"] },
  "device.credentials_rejected": { actors: ["device"], data: [...ids, "status"] },
  "device.offline_warning": { actors: ["device"], data: [...ids, "lockAt"] },
  "device.unlocked_by_code": { actors: ["device"], data: [...ids] },
  "device.offline_code_accepted": { actors: ["device"], data: [...ids] },
  "device.offline_code_rejected": { actors: ["device"], data: [...ids, "failures"] },
  // the owner (each carries the phone's imei and, once enrolled, its deviceId)
  "device.powered_on": { actors: ["owner"], data: [...ids] },
  "device.powered_off": { actors: ["owner"], data: [...ids] },
  "device.rebooted": { actors: ["owner"], data: [...ids] },
  "device.factory_reset": { actors: ["owner"], data: [...ids] },
  "device.online": { actors: ["owner"], data: [...ids] },
  "device.offline": { actors: ["owner"], data: [...ids] },
  "owner.code_entered": { actors: ["owner"], data: [...ids, "digits"] },
  "owner.offline_code_entered": { actors: ["owner"], data: [...ids, "digits"] },
  "owner.paid": { actors: ["owner"], data: [...ids, "amount"] },
  "owner.sold": { actors: ["owner"], data: [...ids, "to"] },
} as const satisfies Record<string, EventSpec>;

export type EventType = keyof typeof eventCatalogue;

export const eventTypes = Object.keys(eventCatalogue).sort() as EventType[];

export function eventSpec(type: string): EventSpec | undefined {
  return Object.hasOwn(eventCatalogue, type) ? (eventCatalogue as Record<string, EventSpec>)[type] : undefined;
}
