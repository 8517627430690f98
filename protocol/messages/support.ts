import { z } from "zod";
import { DeviceState, Id, Imei, IsoTime, LockReason, Standing, SyncStatus } from "../values.ts";

export const SupportLookupQuery = z.object({ imei: Imei });

export const SupportDeviceView = z
  .object({
    deviceId: Id,
    imei: Imei,
    lenderId: Id,
    accountId: Id,
    standing: Standing,
    sync: SyncStatus,
    state: DeviceState.nullable(),
    lockReason: LockReason.optional(),
    lastHeartbeatAt: IsoTime.nullable(),
  })
  .meta({ id: "SupportDevice" });

export const RefreshResponse = z.object({ standing: Standing, sync: SyncStatus }).meta({ id: "RefreshResponse" });

export const UnlockCodeResponse = z
  .object({ code: z.string().regex(/^\d{8}$/), expiresAt: IsoTime })
  .meta({ id: "UnlockCode", example: { code: "48213377", expiresAt: "2026-03-12T10:00:00.000Z" } });

export const OfflineCodeRequest = z
  .object({
    challenge: z
      .string()
      .min(4)
      .max(64)
      .regex(/^[A-Za-z0-9-]+$/, "letters, digits and - only"),
  })
  .meta({ id: "OfflineCodeRequest", example: { challenge: "4821-7730" } });

export const OfflineCodeResponse = z.object({ code: z.string().regex(/^\d{8}$/) }).meta({ id: "OfflineCode" });

export const ResetAttemptsResponse = z
  .object({ deviceId: z.string(), attemptsLeft: z.number().int(), cleared: z.number().int() })
  .meta({ id: "ResetAttempts", example: { deviceId: "dev-1a2b3c4d", attemptsLeft: 5, cleared: 7 } });
