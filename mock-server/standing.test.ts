import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { DAY, HOUR, type Millis } from "../core/clock.ts";
import type { Account, DefaultReport, PaymentRecord, PaymentSyncState } from "./model.ts";
import { completeLoan, graceEnded, lenderSettled, newAccount, paymentSynced, reportDefault, type StandingResult } from "./standing.ts";

/** PROTOCOL.md (lender) and README "Standing": the lock service's standing rules, as pure functions. */

const T0: Millis = Date.parse("2026-03-02T09:00:00.000Z");
const GRACE_JOB = 7;

function report(reportId: string, minor: number, options: { at?: Millis; grace?: Millis; currency?: string } = {}): DefaultReport {
  const reportedAt = options.at ?? T0;
  return { reportId, fingerprint: reportId, currency: options.currency ?? "EUR", minor, reportedAt, lockAt: reportedAt + (options.grace ?? 0) };
}

function payment(paymentId: string, minor: number, options: { currency?: string; sync?: PaymentSyncState["status"] } = {}): PaymentRecord {
  const expectedBy = T0 + HOUR;
  const sync: PaymentSyncState =
    options.sync === "failed"
      ? { status: "failed", expectedBy, error: "token update failed" }
      : options.sync === "synced"
        ? { status: "synced", expectedBy, syncedAt: expectedBy }
        : { status: "pending", expectedBy, jobId: 99 };
  return { paymentId, fingerprint: paymentId, currency: options.currency ?? "EUR", minor, recordedAt: T0, paidAt: T0, sync };
}

/** What the service does with `schedule_grace_end`: it remembers the job on the account. */
function withGraceJob(result: StandingResult): Account {
  return result.effects.some((e) => e.type === "schedule_grace_end") ? { ...result.account, graceJobId: GRACE_JOB } : result.account;
}

const fresh = (): Account => newAccount("lender-a", "acct-1");
const inDefault = (minor = 5000): Account => reportDefault(fresh(), report("r1", minor), undefined).account;
const overdue = (minor = 5000, grace = 3 * DAY): Account => withGraceJob(reportDefault(fresh(), report("r1", minor, { grace }), grace));

describe("reportDefault", () => {
  it("puts a good account in default at once when no grace period is given", () => {
    const { account, effects } = reportDefault(fresh(), report("r1", 5000), undefined);
    expect(account.standing).toBe("default");
    expect(account.lockAt).toBe(T0);
    expect(account.owed).toEqual({ EUR: 5000 });
    expect(effects).toEqual([{ type: "standing_changed", from: "good", to: "default", reason: expect.any(String) }]);
  });

  it("treats a zero grace period like none", () => {
    const { account, effects } = reportDefault(fresh(), report("r1", 5000), 0);
    expect(account.standing).toBe("default");
    expect(effects.map((e) => e.type)).toEqual(["standing_changed"]);
  });

  it("makes a good account overdue until the grace period ends, and schedules that end", () => {
    const grace = 3 * DAY;
    const { account, effects } = reportDefault(fresh(), report("r1", 5000, { grace }), grace);
    expect(account.standing).toBe("overdue");
    expect(account.lockAt).toBe(T0 + grace);
    expect(effects).toEqual([
      { type: "standing_changed", from: "good", to: "overdue", reason: expect.any(String) },
      { type: "schedule_grace_end", at: T0 + grace },
    ]);
  });

  it("keeps the earlier lock when a second report during the grace period would lock later", () => {
    const grace = 5 * DAY;
    const { account, effects } = reportDefault(overdue(), report("r2", 2000, { at: T0 + DAY, grace }), grace);
    expect(account.standing).toBe("overdue");
    expect(account.lockAt).toBe(T0 + 3 * DAY);
    expect(account.owed).toEqual({ EUR: 7000 });
    expect(effects).toEqual([]);
  });

  it("brings the lock closer when a second report's grace period ends sooner, replacing the scheduled end", () => {
    const grace = HOUR;
    const { account, effects } = reportDefault(overdue(), report("r2", 2000, { at: T0 + DAY, grace }), grace);
    expect(account.standing).toBe("overdue");
    expect(account.lockAt).toBe(T0 + DAY + HOUR);
    expect(effects).toEqual([
      { type: "cancel_grace_end", jobId: GRACE_JOB },
      { type: "schedule_grace_end", at: T0 + DAY + HOUR },
    ]);
  });

  it("locks an overdue account at once when a second report has no grace, cancelling the grace end", () => {
    const { account, effects } = reportDefault(overdue(), report("r2", 2000, { at: T0 + DAY }), undefined);
    expect(account.standing).toBe("default");
    expect(account.graceJobId).toBeUndefined();
    expect(effects).toEqual([
      { type: "cancel_grace_end", jobId: GRACE_JOB },
      { type: "standing_changed", from: "overdue", to: "default", reason: expect.any(String) },
    ]);
  });

  it("adds a further report to what a defaulted account owes without any other effect", () => {
    const { account, effects } = reportDefault(inDefault(), report("r2", 2000, { grace: DAY }), DAY);
    expect(account.standing).toBe("default");
    expect(account.owed).toEqual({ EUR: 7000 });
    expect(account.reports.r2).toBeDefined();
    expect(effects).toEqual([]);
  });

  it("counts each report as a new default epoch, so an earlier unlock code does not cover it", () => {
    const once = reportDefault(fresh(), report("r1", 100), undefined).account;
    const twice = reportDefault(once, report("r2", 100), undefined).account;
    expect([once.defaultEpoch, twice.defaultEpoch]).toEqual([1, 2]);
  });

  it("changes nothing on a paid-off account", () => {
    const paidOff = completeLoan(inDefault()).account;
    const result = reportDefault(paidOff, report("r2", 2000), undefined);
    expect(result.account).toEqual(paidOff);
    expect(result.effects).toEqual([]);
  });
});

describe("graceEnded", () => {
  it("changes nothing when the job fires before the lock time", () => {
    const account = overdue();
    const result = graceEnded(account, T0 + 3 * DAY - 1);
    expect(result.account).toEqual(account);
    expect(result.effects).toEqual([]);
  });

  it("puts an overdue account in default at the lock time", () => {
    const { account, effects } = graceEnded(overdue(), T0 + 3 * DAY);
    expect(account.standing).toBe("default");
    expect(account.lockAt).toBe(T0 + 3 * DAY);
    expect(effects).toEqual([{ type: "standing_changed", from: "overdue", to: "default", reason: expect.any(String) }]);
  });

  it.each<[string, () => Account]>([
    ["settled by a payment", () => paymentSynced(overdue(), payment("p1", 5000), T0 + DAY).account],
    ["already in default", () => reportDefault(overdue(), report("r2", 100), undefined).account],
    ["paid off", () => completeLoan(overdue()).account],
  ])("changes nothing when the account is %s (a stale job)", (_label, make) => {
    const account = make();
    const result = graceEnded(account, T0 + 10 * DAY);
    expect(result.account).toEqual(account);
    expect(result.effects).toEqual([]);
  });
});

describe("paymentSynced", () => {
  it("keeps a defaulted account in default after a partial payment, with no effects", () => {
    const { account, effects } = paymentSynced(inDefault(5000), payment("p1", 4999), T0 + HOUR);
    expect(account.standing).toBe("default");
    expect(account.owed).toEqual({ EUR: 1 });
    expect(effects).toEqual([]);
  });

  it("returns a defaulted account to good when the synced payment covers what is owed", () => {
    const { account, effects } = paymentSynced(inDefault(5000), payment("p1", 5000), T0 + HOUR);
    expect(account.standing).toBe("good");
    expect(account.lockAt).toBeUndefined();
    expect(effects).toEqual([{ type: "standing_changed", from: "default", to: "good", reason: expect.any(String) }]);
  });

  it("returns an overdue account to good and cancels its grace end", () => {
    const { account, effects } = paymentSynced(overdue(5000), payment("p1", 6000), T0 + HOUR);
    expect(account.standing).toBe("good");
    expect(account.graceJobId).toBeUndefined();
    expect(effects).toEqual([
      { type: "cancel_grace_end", jobId: GRACE_JOB },
      { type: "standing_changed", from: "overdue", to: "good", reason: expect.any(String) },
    ]);
  });

  it("does not let a payment in another currency cover the amount owed", () => {
    const { account, effects } = paymentSynced(inDefault(5000), payment("p1", 9999, { currency: "USD" }), T0 + HOUR);
    expect(account.standing).toBe("default");
    expect(effects).toEqual([]);
  });

  it("requires every currency to be covered before the account is good", () => {
    const twoCurrencies = reportDefault(inDefault(5000), report("r2", 3000, { currency: "USD" }), undefined).account;
    const eurPaid = paymentSynced(twoCurrencies, payment("p1", 5000), T0 + HOUR).account;
    expect(eurPaid.standing).toBe("default");
    expect(paymentSynced(eurPaid, payment("p2", 3000, { currency: "USD" }), T0 + 2 * HOUR).account.standing).toBe("good");
  });

  it("records the payment as synced at the sync time", () => {
    const { account } = paymentSynced(inDefault(), payment("p1", 100), T0 + 2 * HOUR);
    expect(account.payments.p1?.sync).toEqual({ status: "synced", expectedBy: T0 + HOUR, syncedAt: T0 + 2 * HOUR });
  });

  it("keeps credit from earlier synced payments, so a later report it covers changes nothing", () => {
    const credited = paymentSynced(fresh(), payment("p1", 5000), T0).account;
    expect(credited.standing).toBe("good");
    const covered = reportDefault(credited, report("r1", 4000, { at: T0 + DAY }), undefined);
    expect(covered.account.standing).toBe("good");
    expect(covered.effects).toEqual([]);
    const exceeded = reportDefault(covered.account, report("r2", 2000, { at: T0 + 2 * DAY }), undefined);
    expect(exceeded.account.standing).toBe("default");
  });

  it("leaves a paid-off account paid off", () => {
    const { account, effects } = paymentSynced(completeLoan(inDefault()).account, payment("p1", 100), T0 + HOUR);
    expect(account.standing).toBe("paid_off");
    expect(effects).toEqual([]);
  });
});

describe("completeLoan", () => {
  it("pays off an overdue account and cancels its grace end", () => {
    const { account, effects } = completeLoan(overdue());
    expect(account.standing).toBe("paid_off");
    expect(account.lockAt).toBeUndefined();
    expect(effects).toEqual([
      { type: "cancel_grace_end", jobId: GRACE_JOB },
      { type: "standing_changed", from: "overdue", to: "paid_off", reason: expect.any(String) },
    ]);
  });

  it("is final: completing again, a report or a grace end changes nothing", () => {
    const paidOff = completeLoan(fresh()).account;
    for (const result of [completeLoan(paidOff), reportDefault(paidOff, report("r1", 100), undefined), graceEnded(paidOff, T0 + DAY)]) {
      expect(result.account.standing).toBe("paid_off");
      expect(result.effects).toEqual([]);
    }
  });
});

describe("lenderSettled", () => {
  const withPayments = (account: Account, ...payments: PaymentRecord[]): Account => ({
    ...account,
    payments: Object.fromEntries(payments.map((p) => [p.paymentId, p])),
  });

  it.each<[string, Account, boolean]>([
    ["a good account", fresh(), true],
    ["a defaulted account with no payment", inDefault(5000), false],
    ["a pending payment that covers the default", withPayments(inDefault(5000), payment("p1", 5000)), true],
    ["a failed sync whose payment covers the default", withPayments(inDefault(5000), payment("p1", 5000, { sync: "failed" })), true],
    ["a pending payment that covers only part", withPayments(inDefault(5000), payment("p1", 4000)), false],
    ["two pending payments that together cover it", withPayments(inDefault(5000), payment("p1", 2500), payment("p2", 2500)), true],
    ["a pending payment in another currency", withPayments(inDefault(5000), payment("p1", 5000, { currency: "USD" })), false],
    ["a paid-off account", completeLoan(inDefault(5000)).account, true],
  ])("judges the lender's books settled for %s: %s", (_label, account, settled) => {
    expect(lenderSettled(account)).toBe(settled);
  });

  it("does not count a synced payment twice", () => {
    const partlyPaid = paymentSynced(inDefault(5000), payment("p1", 2500), T0 + HOUR).account;
    expect(partlyPaid.standing).toBe("default");
    expect(lenderSettled(partlyPaid)).toBe(false);
  });
});

describe("standing without grace periods", () => {
  type Step = { readonly kind: "report" | "pay"; readonly minor: number };
  const step = fc.record({ kind: fc.constantFrom<Step["kind"]>("report", "pay"), minor: fc.integer({ min: 1, max: 100_000 }) });

  it("is good exactly when the synced payments cover the reported amounts, after every step", () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 30 }), (steps) => {
        let account = fresh();
        let reported = 0;
        let paid = 0;
        steps.forEach(({ kind, minor }, i) => {
          const at = T0 + i * HOUR;
          if (kind === "report") {
            reported += minor;
            account = reportDefault(account, report(`r${i}`, minor, { at }), undefined).account;
          } else {
            paid += minor;
            account = paymentSynced(account, payment(`p${i}`, minor), at).account;
          }
          expect(account.standing === "good").toBe(paid >= reported);
          expect(account.standing).toBe(paid >= reported ? "good" : "default");
        });
      }),
    );
  });
});
