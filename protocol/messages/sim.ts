import { z } from "zod";
import { Duration, Id, IsoTime } from "../values.ts";

export const ClockView = z
  .object({
    now: IsoTime,
    /** Simulated milliseconds per real millisecond: 0 paused, 1 real time, 3600 an hour per second. */
    speed: z.number(),
  })
  .meta({ id: "Clock" });

export const ClockPatch = z
  .object({
    advanceBy: Duration.optional(),
    set: IsoTime.optional(),
    speed: z.number().min(0).max(1_000_000).optional(),
  })
  .refine((patch) => !(patch.advanceBy !== undefined && patch.set !== undefined), "use advanceBy or set, not both")
  .meta({ id: "ClockPatch", example: { advanceBy: "P1D" } });

/** Events per page of GET /v1/sim/events, by default and at most (Heartlock addition: `limit` and `next`). */
export const EVENTS_PAGE = 1000;
export const MAX_EVENTS_PAGE = 10_000;

export const EventsQuery = z.object({
  after: z
    .string()
    .max(16)
    .regex(/^\d+$/, "must be a whole number")
    .transform(Number)
    .optional(),
  limit: z
    .string()
    .max(6)
    .regex(/^\d+$/, "must be a whole number")
    .transform(Number)
    .pipe(z.number().int().min(1).max(MAX_EVENTS_PAGE))
    .optional(),
});

const JsonEvent = z
  .object({
    seq: z.number().int(),
    at: IsoTime,
    actor: z.string(),
    type: z.string(),
    data: z.record(z.string(), z.unknown()),
  })
  .meta({ id: "Event" });

export const EventsResponse = z
  .object({
    events: z.array(JsonEvent),
    /** Present while more events follow this page: pass it as `after` to read on. */
    next: z.number().int().optional(),
    /** The oldest event's seq the server still keeps (retention drops older ones; `seq` never restarts). */
    firstSeq: z.number().int().optional(),
  })
  .meta({ id: "Events" });

/** `mitm` (Heartlock addition): a man in the middle answers for the lock service (see mock-server/mitm.ts). */
export const faultKinds = ["outage", "latency", "drop", "forge", "sync_failure", "mitm"] as const;
export const FaultKind = z.enum(faultKinds);
export type FaultKind = z.infer<typeof FaultKind>;

export const FaultRequest = z
  .object({
    kind: FaultKind,
    /** A deviceId or accountId (or, for device calls, an IMEI); absent means every call. */
    target: Id.optional(),
    /** Simulated time after which the fault no longer applies; absent means until DELETE /v1/sim/faults. */
    until: IsoTime.optional(),
    /** Heartlock addition, for `latency` only: the wall-clock delay added to each HTTP answer (default PT1S, at most PT30S; more is refused). */
    delay: Duration.optional(),
    /**
     * Heartlock addition: the fault applies this many times and is then spent, however late those times come
     * (`sync_failure` with `times: 1`: the next sync attempt fails, whenever it runs; `outage` with `times: 3`:
     * the next three calls it matches get 503). Each application is journaled with the times left.
     */
    times: z.number().int().min(1).max(100).optional(),
  })
  .meta({ id: "FaultRequest", example: { kind: "sync_failure", target: "acct-1001" } });

export const Fault = z
  .object({ id: z.string(), kind: FaultKind, target: Id.optional(), until: IsoTime.optional(), delay: Duration.optional(), times: z.number().int().optional() })
  .meta({ id: "Fault" });
export type Fault = z.infer<typeof Fault>;

export const FaultList = z.object({ faults: z.array(Fault) }).meta({ id: "Faults" });
export const FaultsCleared = z.object({ cleared: z.number().int() }).meta({ id: "FaultsCleared" });
export const ResetResponse = z.object({ ok: z.literal(true) }).meta({ id: "ResetResponse" });
export const Health = z.object({ ok: z.literal(true) }).meta({ id: "Health" });

/** GET /v1/server-key (Heartlock addition): the pinned Ed25519 public key a phone is provisioned with. */
export const ServerKey = z
  .object({
    algorithm: z.literal("Ed25519"),
    publicKey: z.string().meta({ description: "base64url of the 32-byte public key" }),
    field: z.literal("serverSignature").meta({ description: "The answer field that carries the signature: base64url Ed25519 over the answer's canonical JSON without serverSignature and signature" }),
  })
  .meta({ id: "ServerKey" });
