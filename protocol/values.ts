import { z } from "zod";
import { isDuration, parseDuration } from "../core/duration.ts";
import { isValidImei } from "./imei.ts";

/** Shared value types of the protocol. Every schema here is what the server validates, and what the docs show. */

export const Imei = z
  .string()
  .refine(isValidImei, { message: "must be 15 digits with a valid Luhn check digit" })
  .meta({ description: "15-digit IMEI with a valid Luhn check digit", example: "490154203237518" });

/** What an id may be made of (also read by protocol/fast-parse.ts, which must accept no id this refuses). */
export const ID_PATTERN = /^[A-Za-z0-9._:-]+$/;
export const Id = z
  .string()
  .min(1)
  .max(64)
  .regex(ID_PATTERN, "may use letters, digits and . _ : - only")
  .meta({ example: "acct-1001" });

/**
 * A lender's own reference (reportId, paymentId): any printable ASCII without spaces, so invoice numbers
 * such as "INV/2026/7" fit. Ids that appear in paths (accountId, deviceId) use the narrower `Id`.
 */
export const Reference = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[\x21-\x7E]+$/, "may use printable ASCII without spaces only")
  .meta({ example: "INV/2026/0007" });

export const IsoTime = z.iso
  .datetime({ offset: true })
  // Four-digit years only: the simulated clock must stay far inside JavaScript's date range.
  .refine((text) => /^\d{4}-/.test(text), "must have a four-digit year")
  .meta({ example: "2026-03-02T09:00:00.000Z" });

export const IsoDate = z.iso.date().meta({ example: "2026-03-01" });

/** Ten years: longer than any installment plan, and far from the end of JavaScript's dates. */
export const MAX_DURATION_DAYS = 3650;

/**
 * Text people read (a lock message, a model name): control characters (but line breaks) and invisible format
 * characters are refused. A bidi override (U+202E) can make a lock screen read backwards, or make "pay 500"
 * look like "pay 005"; zero-width spaces and word joiners hide text. ZERO WIDTH NON-JOINER and JOINER (U+200C,
 * U+200D) are letters' business, not hiding places: Persian and the Indic scripts need them to spell words, and
 * emoji sequences (👨‍👩‍👧) are joined by them. A lone surrogate is no character at all (it prints as U+FFFD).
 */
const HIDDEN = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u200B\u200E\u200F\u2028-\u202E\u2060-\u2069\uFEFF\uFFF9-\uFFFB]/u;
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
export function plainText(max: number) {
  return z
    .string()
    .min(1)
    .max(max)
    .refine((text) => !HIDDEN.test(text), "must not contain control, bidi-override or invisible characters")
    .refine((text) => !LONE_SURROGATE.test(text), "must be well-formed Unicode (it holds a lone surrogate)");
}

export const Duration = z
  .string()
  .max(40)
  .superRefine((text, ctx) => {
    if (!isDuration(text)) {
      ctx.addIssue({ code: "custom", message: "must be an ISO-8601 duration in days, hours, minutes or seconds, e.g. PT6H or P3D" });
    } else if (parseDuration(text) > MAX_DURATION_DAYS * 86_400_000) {
      ctx.addIssue({ code: "custom", message: `may be at most P${MAX_DURATION_DAYS}D` });
    }
  })
  .meta({ description: "ISO-8601 duration (D = 24 h; years, months and weeks are not accepted)", example: "P3D" });

/**
 * Money as `{ value, currency }`. `value` may be a JSON number or a decimal string ("49.99"); at most two
 * decimals, because the lock service compares amounts in minor units and must not round silently.
 */
export const Money = z
  .object({
    value: z
      .union([z.number(), z.string().regex(/^\d+(\.\d{1,2})?$/, "must be a decimal like 49.99")])
      .transform((value) => Number(value))
      .refine((value) => Number.isFinite(value) && value > 0 && value <= 1e9, "must be more than 0 and at most 1e9")
      .refine((value) => Math.abs(value * 100 - Math.round(value * 100)) < 1e-6, "may have at most two decimals"),
    currency: z.string().regex(/^[A-Z]{3}$/, "must be an ISO-4217 code like EUR"),
  })
  .meta({ id: "Money", example: { value: 49.99, currency: "EUR" } });
export type Money = z.infer<typeof Money>;

export const Contact = z
  .object({
    phone: z
      .string()
      .min(1)
      .max(20)
      .regex(/^[0-9+*#]+$/, "may use 0-9 + * # only")
      .optional(),
    email: z.email().max(60).optional(),
  })
  .refine((contact) => contact.phone !== undefined || contact.email !== undefined, {
    message: "needs at least a phone or an email",
  })
  .meta({ id: "Contact", example: { phone: "+4930123456", email: "help@lender.example" } });
export type Contact = z.infer<typeof Contact>;

export const standings = ["good", "overdue", "default", "paid_off"] as const;
export const Standing = z.enum(standings).meta({ id: "Standing" });
export type Standing = z.infer<typeof Standing>;

export const deviceStates = ["unmanaged", "active", "reminding", "locked", "released"] as const;
export const DeviceState = z.enum(deviceStates).meta({ id: "DeviceState" });
export type DeviceState = z.infer<typeof DeviceState>;

export const lockReasons = ["overdue", "offline", "tamper"] as const;
export const LockReason = z.enum(lockReasons).meta({ id: "LockReason" });
export type LockReason = z.infer<typeof LockReason>;

export const syncStatuses = ["idle", "pending", "failed"] as const;
export const SyncStatus = z
  .object({
    status: z.enum(syncStatuses),
    expectedBy: IsoTime.optional(),
    error: z.string().optional(),
  })
  .meta({ id: "Sync", example: { status: "pending", expectedBy: "2026-03-09T10:00:00.000Z" } });
export type SyncStatus = z.infer<typeof SyncStatus>;

export const Policy = z
  .object({
    heartbeatInterval: Duration,
    lockedHeartbeatInterval: Duration,
    offlineLockAfter: Duration,
    offlineWarningBefore: Duration,
  })
  .meta({
    id: "Policy",
    example: { heartbeatInterval: "PT6H", lockedHeartbeatInterval: "PT15M", offlineLockAfter: "P30D", offlineWarningBefore: "P3D" },
  });
export type Policy = z.infer<typeof Policy>;

export const defaultPolicy: Policy = {
  heartbeatInterval: "PT6H",
  lockedHeartbeatInterval: "PT15M",
  offlineLockAfter: "P30D",
  offlineWarningBefore: "P3D",
};
