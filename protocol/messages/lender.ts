import { z } from "zod";
import { Contact, plainText, DeviceState, Duration, Id, Imei, IsoDate, IsoTime, LockReason, Money, Reference, Standing, SyncStatus } from "../values.ts";

export const AccountParams = z.object({ accountId: Id });

export const RegisterDeviceRequest = z
  .object({
    imei: Imei,
    accountId: Id,
    model: plainText(64).optional(),
    lockMessage: plainText(350).optional(),
    contact: Contact,
  })
  .meta({ id: "RegisterDeviceRequest" });

export const RegisterDeviceResponse = z
  .object({ deviceId: Id, accountId: Id, status: z.literal("registered") })
  .meta({ id: "RegisterDeviceResponse" });

export const ReportDefaultRequest = z
  .object({
    reportId: Reference,
    amountDue: Money,
    dueDate: z.union([IsoDate, IsoTime]),
    gracePeriod: Duration.optional(),
  })
  .meta({ id: "ReportDefaultRequest" });

export const ReportDefaultResponse = z
  .object({
    accountId: Id,
    standing: Standing,
    /** When the devices lock (or locked): now without a grace period, the end of the grace period with one. */
    lockAt: IsoTime,
  })
  .meta({ id: "ReportDefaultResponse" });

export const RecordPaymentRequest = z
  .object({
    paymentId: Reference,
    amount: Money,
    paidAt: IsoTime.optional(),
  })
  .meta({ id: "RecordPaymentRequest" });

export const RecordPaymentResponse = z
  .object({
    accountId: Id,
    paymentId: Reference,
    sync: z.object({ status: z.literal("pending"), expectedBy: IsoTime }),
  })
  .meta({ id: "RecordPaymentResponse" });

export const CompleteLoanResponse = z
  .object({ accountId: Id, standing: z.literal("paid_off") })
  .meta({ id: "CompleteLoanResponse" });

export const AccountDevice = z.object({
  deviceId: Id,
  imei: Imei,
  /** What the device last reported; null before its first heartbeat. */
  state: DeviceState.nullable(),
  lockReason: LockReason.optional(),
  lastHeartbeatAt: IsoTime.nullable(),
});

export const AccountView = z
  .object({
    accountId: Id,
    lenderId: Id,
    standing: Standing,
    sync: SyncStatus,
    devices: z.array(AccountDevice),
    /** Heartlock addition: when an overdue account turns to default (present while overdue or in default). */
    lockAt: IsoTime.optional(),
  })
  .meta({ id: "Account" });
