import { z } from "zod";
import { Contact, DeviceState, Id, Imei, IsoTime, LockReason, Money, Policy, Standing } from "../values.ts";

/** What a lock command says when the lender registered no message of its own. */
export const DEFAULT_LOCK_MESSAGE = "This device is locked due to an overdue installment payment.";

export const DeviceParams = z.object({ deviceId: Id });

export const CheckinRequest = z
  .object({
    identifiers: z
      .array(z.object({ type: z.string().min(1).max(16), value: z.string().min(1).max(64) }))
      .min(1)
      .max(8)
      .refine((ids) => ids.some((id) => id.type === "imei"), "must include an identifier of type imei")
      .refine(
        (ids) => ids.filter((id) => id.type === "imei").every((id) => Imei.safeParse(id.value).success),
        "imei identifiers must be 15 digits with a valid Luhn check digit",
      ),
    model: z.string().min(1).max(64).optional(),
    manufacturer: z.string().min(1).max(64).optional(),
  })
  .meta({ id: "CheckinRequest", example: { identifiers: [{ type: "imei", value: "490154203237518" }] } });

export const CheckinReady = z.object({
  status: z.literal("ready"),
  deviceId: Id,
  deviceToken: z.string(),
  deviceSecret: z.string(),
  policy: Policy,
  /** Heartlock addition: Ed25519 under the pinned server key (see README "Security model"). */
  serverSignature: z.string().optional(),
});
export const CheckinStop = z.object({ status: z.literal("stop") });
export const CheckinResponse = z.discriminatedUnion("status", [CheckinReady, CheckinStop]).meta({ id: "CheckinResponse" });
export type CheckinResponse = z.infer<typeof CheckinResponse>;

export const HeartbeatRequest = z
  .object({
    seq: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    state: DeviceState,
    lockReason: LockReason.optional(),
    lastCommandId: z.string().min(1).max(64).optional(),
    /** Echoed in the signed answer; 16 or more random characters make a replay useless. */
    nonce: z.string().min(1).max(128),
  })
  .refine((hb) => hb.state !== "locked" || hb.lockReason !== undefined, {
    message: "a locked device reports its lockReason",
    path: ["lockReason"],
  })
  .meta({ id: "HeartbeatRequest" });
export type HeartbeatRequest = z.infer<typeof HeartbeatRequest>;

export const commandTypes = ["none", "remind", "lock", "unlock", "release"] as const;
export const CommandType = z.enum(commandTypes);
export type CommandType = z.infer<typeof CommandType>;

export const Command = z
  .object({
    /** Stable until acknowledged; `"none"` for the `none` command. */
    id: z.string(),
    type: CommandType,
    message: z.string().optional(),
    contact: Contact.optional(),
    /** Heartlock addition on `remind`: when the device will lock unless the payment arrives. */
    lockAt: IsoTime.optional(),
    /** Heartlock addition on `remind` and `lock`: what is owed. */
    amountDue: z.array(Money).optional(),
  })
  .meta({ id: "Command" });
export type Command = z.infer<typeof Command>;

export const HeartbeatResponse = z
  .object({
    serverTime: IsoTime,
    standing: Standing,
    command: Command,
    nextHeartbeatAt: IsoTime,
    policy: Policy,
    nonce: z.string(),
    signature: z.string(),
    /** Heartlock addition: Ed25519 under the pinned server key, over the answer with `signature` (see README). */
    serverSignature: z.string().optional(),
  })
  .meta({ id: "HeartbeatResponse" });
export type HeartbeatResponse = z.infer<typeof HeartbeatResponse>;

export const UnlockAttemptRequest = z
  .object({ code: z.string().regex(/^\d{8}$/, "must be 8 digits") })
  .meta({ id: "UnlockAttemptRequest" });

export const UnlockAttemptResponse = z.object({ result: z.literal("accepted") }).meta({ id: "UnlockAttemptResponse" });
