import type { Clock, JobId, TimerOwner } from "../core/clock.ts";
import type { Journal } from "../core/journal.ts";
import type { Random } from "../core/random.ts";
import { CheckinResponse, HeartbeatResponse } from "../protocol/messages/device.ts";
import { safeParse } from "../protocol/fast-parse.ts";
import type { OperationId, RawRequest } from "../protocol/operations.ts";
import type { Problem } from "../protocol/problem.ts";
import { verifyAnswer } from "../protocol/server-key.ts";
import { verifyResponse } from "../protocol/signing.ts";
import { lockScreen, type LockScreen, type ScreenOptions } from "./lock-screen.ts";
import { initialSnapshot, reportedState, transition, type AgentEffect, type AgentEvent, type UnlockOutcome } from "./machine.ts";
import type { DeviceSnapshot, Timer } from "./snapshot.ts";
import { TransportError, type LockServiceTransport, type Reply } from "./transports/transport.ts";

/** The queue of an idle phone (see DeviceAgent.dispatch), shared by all of them. */
const SETTLED: Promise<void> = Promise.resolve();

export interface DeviceAgentOptions {
  readonly imei: string;
  readonly model?: string;
  readonly clock: Clock;
  readonly transport: LockServiceTransport;
  readonly journal: Journal;
  /** This phone's own stream (fork it per device), for nonces, jitter and challenges. */
  readonly random: Random;
  /**
   * The lock service's Ed25519 public key (base64url), provisioned at registration: when set, the phone refuses
   * any check-in or heartbeat answer without a valid `serverSignature` (protocol/server-key.ts).
   */
  readonly serverKey?: string;
}

/**
 * The driver around the pure lock-agent machine: it feeds events in, performs the effects (calls the lock
 * service through a transport, arms timers on the injected clock, writes the journal) and feeds the
 * answers back. Events are handled one at a time, so a code typed during a heartbeat waits its turn.
 */
export class DeviceAgent implements TimerOwner<Timer> {
  private current: DeviceSnapshot;
  /*
   * A fleet holds tens of thousands of these, so the per-phone state is kept small: the options are unpacked
   * into fields (no second object), the pending timers are four job ids in fields (no Map), and timers are armed
   * with clock.scheduleTimer, so the clock keeps (this, kind) rather than a fresh closure and label per job (a
   * heartbeat re-arms two timers; those were most of a phone's garbage).
   */
  private readonly clock: Clock;
  private readonly transport: LockServiceTransport;
  private readonly journal: Journal;
  private readonly random: Random;
  private readonly serverKey: string | undefined;
  private heartbeatJob: JobId | undefined;
  private offlineWarningJob: JobId | undefined;
  private offlineLockJob: JobId | undefined;
  private bootJob: JobId | undefined;
  /** The phone handles one event at a time: each dispatch waits for the one before (see dispatch). */
  private queue: Promise<void> = SETTLED;
  /** Dispatches not yet finished; at 0 the queue goes back to the shared SETTLED. */
  private queued = 0;

  constructor(options: DeviceAgentOptions) {
    this.clock = options.clock;
    this.transport = options.transport;
    this.journal = options.journal;
    this.random = options.random;
    this.serverKey = options.serverKey;
    this.current = initialSnapshot(options.imei, options.model);
  }

  get snapshot(): DeviceSnapshot {
    return this.current;
  }

  get imei(): string {
    return this.current.imei;
  }

  get deviceId(): string | undefined {
    return this.current.credentials?.deviceId;
  }

  screen(options: ScreenOptions = {}): LockScreen {
    return lockScreen(this.current, this.clock.now(), options);
  }

  powerOn(): Promise<void> {
    return this.dispatch({ type: "power_on" });
  }
  powerOff(): Promise<void> {
    return this.dispatch({ type: "power_off" });
  }
  reboot(): Promise<void> {
    return this.dispatch({ type: "reboot" });
  }
  factoryReset(): Promise<void> {
    return this.dispatch({ type: "factory_reset" });
  }
  setOnline(online: boolean): Promise<void> {
    return this.dispatch({ type: "network", online });
  }
  enterCode(code: string): Promise<void> {
    return this.dispatch({ type: "code_entered", code });
  }
  enterOfflineCode(code: string): Promise<void> {
    return this.dispatch({ type: "offline_code_entered", code });
  }
  detectTamper(): Promise<void> {
    return this.dispatch({ type: "tamper_detected", challenge: this.challenge() });
  }

  /** Cancels every timer: the phone is switched off for good (end of a scenario, fleet teardown). */
  shutdown(): void {
    for (const timer of TIMERS) this.cancelTimer(timer);
  }

  private dispatch(event: AgentEvent): Promise<void> {
    this.queued += 1;
    const run = this.queue.then(() => this.handle(event));
    // The tail settles when `run` does (a failure stays with the caller of `run`). An idle phone keeps no promise
    // of its own: 100,000 idle phones would hold 100,000 settled ones, ~5 MB.
    const settle = () => this.settle();
    this.queue = run.then(settle, settle);
    return run;
  }

  private settle(): void {
    this.queued -= 1;
    if (this.queued === 0) this.queue = SETTLED;
  }

  private async handle(event: AgentEvent): Promise<void> {
    const step = transition(this.current, event, this.clock.now());
    this.current = step.snapshot;
    for (const effect of step.effects) await this.perform(effect);
  }

  private async perform(effect: AgentEffect): Promise<void> {
    switch (effect.type) {
      case "log":
        this.journal.append(effect.actor, effect.event, effect.data);
        return;
      case "schedule": {
        const timer = effect.timer;
        this.cancelTimer(timer);
        this.setJob(timer, this.clock.scheduleTimer(effect.at, this, timer));
        return;
      }
      case "cancel":
        this.cancelTimer(effect.timer);
        return;
      case "send_checkin":
        return this.checkin();
      case "send_heartbeat":
        return this.heartbeat(effect.seq);
      case "send_unlock_attempt":
        return this.unlockAttempt(effect.code);
    }
  }

  private fire(timer: Timer): Promise<void> {
    this.setJob(timer, undefined);
    const extra = timer === "offline_lock" ? { challenge: this.challenge() } : {};
    return this.dispatch({ type: "timer", timer, ...extra });
  }

  private cancelTimer(timer: Timer): void {
    const id = this.jobOf(timer);
    if (id !== undefined) {
      this.clock.cancel(id);
      this.setJob(timer, undefined);
    }
  }

  private jobOf(timer: Timer): JobId | undefined {
    switch (timer) {
      case "heartbeat":
        return this.heartbeatJob;
      case "offline_warning":
        return this.offlineWarningJob;
      case "offline_lock":
        return this.offlineLockJob;
      case "boot":
        return this.bootJob;
    }
  }

  private setJob(timer: Timer, id: JobId | undefined): void {
    switch (timer) {
      case "heartbeat":
        this.heartbeatJob = id;
        return;
      case "offline_warning":
        this.offlineWarningJob = id;
        return;
      case "offline_lock":
        this.offlineLockJob = id;
        return;
      case "boot":
        this.bootJob = id;
        return;
    }
  }

  /** The clock's side of a timer armed with scheduleTimer (TimerOwner): not for callers. */
  runTimer(timer: Timer): Promise<void> {
    return this.fire(timer);
  }

  /** "heartbeat dev-1": how the clock's pending list names this phone's timer. */
  timerLabel(timer: Timer): string {
    return `${timer} ${this.deviceId ?? this.imei}`;
  }

  private async checkin(): Promise<void> {
    const body = { identifiers: [{ type: "imei", value: this.imei }], ...(this.current.model ? { model: this.current.model } : {}) };
    const reply = await this.send("checkin", { body });
    if (typeof reply === "string") return this.handle({ type: "call_failed", call: "checkin", error: reply });
    const parsed = CheckinResponse.safeParse(reply.body);
    if (reply.status !== 200 || !parsed.success) {
      return this.handle({ type: "call_failed", call: "checkin", error: failure(reply) });
    }
    if (parsed.data.status === "ready" && !this.pinned(reply.body)) return this.refuse("checkin");
    return this.handle({ type: "checkin_answered", response: parsed.data });
  }

  private async heartbeat(seq: number): Promise<void> {
    const credentials = this.current.credentials;
    if (!credentials) return this.handle({ type: "call_failed", call: "heartbeat", error: "not_enrolled" });
    const nonce = this.random.token(16);
    const { lastCommandId } = this.current;
    const body = { seq, ...reportedState(this.current), ...(lastCommandId ? { lastCommandId } : {}), nonce };
    const reply = await this.send("heartbeat", { token: credentials.token, params: { deviceId: credentials.deviceId }, body });
    if (typeof reply === "string") return this.handle({ type: "call_failed", call: "heartbeat", error: reply });
    if (credentialsRejected(reply)) return this.handle({ type: "credentials_rejected", status: reply.status });
    const parsed = safeParse(HeartbeatResponse, reply.body);
    if (reply.status !== 200 || !parsed.success) {
      return this.handle({ type: "call_failed", call: "heartbeat", error: failure(reply) });
    }
    // An answer that fails the HMAC is the machine's to reject (as PROTOCOL.md says); one that passes it must also
    // carry the pinned key's signature, or someone who learned the secret is speaking.
    // The machine re-checks the HMAC unless told this verdict (and the secret it was under): one hash per answer.
    const ok = verifyResponse(reply.body as HeartbeatResponse, credentials.secret);
    if (ok && !this.pinned(reply.body)) return this.refuse("heartbeat");
    const verified = { secret: credentials.secret, ok };
    return this.handle({ type: "heartbeat_answered", response: parsed.data, raw: reply.body, nonce, jitter: this.random.next(), verified });
  }

  private async unlockAttempt(code: string): Promise<void> {
    const credentials = this.current.credentials;
    const reply = credentials
      ? await this.send("unlockAttempt", { token: credentials.token, params: { deviceId: credentials.deviceId }, body: { code } })
      : "not_enrolled";
    await this.handle({ type: "unlock_answered", outcome: unlockOutcome(reply) });
    // The lock service no longer knows our token: enrol again, as a heartbeat would.
    if (credentialsRejected(reply)) {
      await this.handle({ type: "credentials_rejected", status: reply.status });
    }
  }

  /** True when no key is pinned, or the answer carries a valid signature under it. */
  private pinned(body: unknown): boolean {
    return this.serverKey === undefined || verifyAnswer(this.serverKey, body);
  }

  /** An answer not signed by the pinned key is not the lock service's: nothing in it is applied, no secret, no command. */
  private refuse(call: "checkin" | "heartbeat"): Promise<void> {
    this.journal.append("device", "device.answer_refused", { ...(this.deviceId ? { deviceId: this.deviceId } : {}), imei: this.imei, call, reason: "not signed by the pinned lock-service key" });
    return this.handle({ type: "call_failed", call, error: "unsigned_answer" });
  }

  /** A call, or the reason no answer came ("offline", "unreachable"). */
  private async send(id: OperationId, request: RawRequest): Promise<Reply | string> {
    if (!this.current.online) return "offline";
    try {
      return await this.transport.call(id, request);
    } catch (error) {
      if (error instanceof TransportError) return "unreachable";
      throw error;
    }
  }

  /** An offline challenge as the phone shows it: eight characters in two groups, e.g. "4K7Q-9M2X". */
  private challenge(): string {
    const text = this.random.token(8).toUpperCase();
    return `${text.slice(0, 4)}-${text.slice(4)}`;
  }
}

const TIMERS: readonly Timer[] = ["heartbeat", "offline_warning", "offline_lock", "boot"];

/** 401 or 404 to a device call: the lock service no longer knows this token (a reset, or another check-in). */
function credentialsRejected(reply: Reply | string): reply is Reply & { status: 401 | 404 } {
  return typeof reply !== "string" && (reply.status === 401 || reply.status === 404);
}

function failure(reply: Reply): string {
  const code = (reply.body as Partial<Problem> | null)?.code;
  return reply.status === 200 ? "bad_response" : `http_${reply.status}${code ? `_${code}` : ""}`;
}

function unlockOutcome(reply: Reply | string): UnlockOutcome {
  if (reply === "not_enrolled" || credentialsRejected(reply)) {
    return { result: "unreachable", cause: "reconnecting" };
  }
  // Only structured facts reach the screen (a result, a count, a time): the service's English \`detail\` never does.
  if (typeof reply === "string") return { result: "unreachable", cause: "no_connection" };
  switch (reply.status) {
    case 200:
      return { result: "accepted" };
    case 410:
      return { result: "expired" };
    case 429:
      return { result: "cooldown", retryAfter: Number(reply.headers["retry-after"] ?? 60) * 1000 };
    case 422: {
      const left = (reply.body as Partial<Problem> | null)?.attemptsLeft;
      const retryAfter = reply.headers["retry-after"];
      return { result: "invalid", ...(typeof left === "number" ? { attemptsLeft: left } : {}), ...(retryAfter !== undefined ? { retryAfter: Number(retryAfter) * 1000 } : {}) };
    }
    default:
      return { result: "unreachable", cause: "service_error" };
  }
}
