import { HOUR, type Millis } from "../core/clock.ts";
import { DEFAULT_LOCK_MESSAGE } from "../protocol/messages/device.ts";
import { defaultPolicy, type Policy } from "../protocol/values.ts";
import { defaultAttemptRules, type AttemptRules } from "../protocol/attempts.ts";

/** The lock service's tunables. Defaults follow PROTOCOL.md and the measured facts in DESIGN.md. */
export interface ServiceConfig {
  readonly policy: Policy;
  /**
   * Sync delay in *business time* (only business hours on business days count), drawn uniformly per
   * payment between min and max. The defaults give "one hour to two business days": a payment on Friday
   * evening lands the next week, and a holiday pushes it a day further.
   */
  readonly syncDelay: { readonly min: Millis; readonly max: Millis };
  readonly unlockCodeTtl: Millis;
  readonly attempts: AttemptRules;
  /** Shown on the lock screen when the lender registered no message of its own. */
  readonly defaultLockMessage: string;
}

/** Two business days of the default 09:00–17:00 calendar. */
const TWO_BUSINESS_DAYS = 2 * 8 * HOUR;

export const defaultConfig: ServiceConfig = {
  policy: defaultPolicy,
  syncDelay: { min: HOUR, max: TWO_BUSINESS_DAYS },
  unlockCodeTtl: 72 * HOUR,
  attempts: defaultAttemptRules,
  defaultLockMessage: DEFAULT_LOCK_MESSAGE,
};
