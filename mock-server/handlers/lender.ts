import { iso } from "../../core/clock.ts";
import { parseDuration } from "../../core/duration.ts";
import { canonicalJson } from "../../protocol/canonical-json.ts";
import { ProblemError } from "../../protocol/problem.ts";
import { newDeviceRecord, ownEntry, viewedState, type Account, type DefaultReport, type PaymentRecord } from "../model.ts";
import { toMinor } from "../money.ts";
import { completeLoan, newAccount, reportDefault } from "../standing.ts";
import { isoOrNull } from "../state.ts";
import { drawSyncDelay, scheduleSync } from "../sync.ts";
import { lenderOf, type Handlers } from "./types.ts";

type LenderOps = "registerDevice" | "reportDefault" | "recordPayment" | "completeLoan" | "getAccount";

export const lenderHandlers: Handlers<LenderOps> = {
  registerDevice(state, caller, { body }) {
    const lenderId = lenderOf(caller);
    if (state.store.findDeviceByImei(body.imei)) {
      // PROTOCOL.md asks for 409 on the same IMEI twice; the answer is the same whoever registered it, and says
      // nothing about the other registration (no lender, account or standing), so it leaks only what 409 must.
      throw new ProblemError(409, "conflict", "This IMEI cannot be registered. If the phone should be yours to finance, contact Heartlock support.");
    }
    const existing = state.store.getAccount(lenderId, body.accountId);
    if (!existing) state.store.putAccount(newAccount(lenderId, body.accountId));
    const device = newDeviceRecord({
      deviceId: `dev-${state.random.token(8)}`,
      imei: body.imei,
      lenderId,
      accountId: body.accountId,
      model: body.model,
      lockMessage: body.lockMessage,
      contact: body.contact,
      registeredAt: state.now(),
    });
    state.store.putDevice(device);
    state.log("lender", "device.registered", {
      lenderId,
      accountId: body.accountId,
      deviceId: device.deviceId,
      imei: body.imei,
      newAccount: !existing,
    });
    return { deviceId: device.deviceId, accountId: body.accountId, status: "registered" as const };
  },

  reportDefault(state, caller, { params, body }) {
    const account = state.lenderAccount(lenderOf(caller), params.accountId);
    const fingerprint = canonicalJson(body);
    const earlier = ownEntry(account.reports, body.reportId);
    if (earlier) {
      if (earlier.fingerprint !== fingerprint) throw idempotencyConflict("reportId", body.reportId);
      return { accountId: account.accountId, standing: account.standing, lockAt: iso(account.lockAt ?? earlier.lockAt) };
    }
    if (account.standing === "paid_off") throw new ProblemError(409, "conflict", `Account ${account.accountId} is paid off.`);

    const now = state.now();
    const graceMs = body.gracePeriod === undefined ? undefined : parseDuration(body.gracePeriod);
    const { currency, minor } = toMinor(body.amountDue);
    const report: DefaultReport = { reportId: body.reportId, fingerprint, currency, minor, reportedAt: now, lockAt: now + (graceMs ?? 0) };
    state.log("lender", "default.reported", {
      lenderId: account.lenderId,
      accountId: account.accountId,
      reportId: body.reportId,
      amountDue: { value: body.amountDue.value, currency },
      dueDate: body.dueDate,
      gracePeriod: body.gracePeriod ?? null,
    });
    const next = state.commit(reportDefault(account, report, graceMs));
    return { accountId: next.accountId, standing: next.standing, lockAt: iso(next.lockAt ?? report.lockAt) };
  },

  recordPayment(state, caller, { params, body }) {
    const account = state.lenderAccount(lenderOf(caller), params.accountId);
    const fingerprint = canonicalJson(body);
    const earlier = ownEntry(account.payments, body.paymentId);
    if (earlier) {
      if (earlier.fingerprint !== fingerprint) throw idempotencyConflict("paymentId", body.paymentId);
      return paymentAccepted(account, earlier);
    }
    const now = state.now();
    const expectedBy = state.calendarOf(account.lenderId).addBusinessTime(now, drawSyncDelay(state));
    const { currency, minor } = toMinor(body.amount);
    const jobId = scheduleSync(state, account, body.paymentId, expectedBy);
    const payment: PaymentRecord = {
      paymentId: body.paymentId,
      fingerprint,
      currency,
      minor,
      recordedAt: now,
      paidAt: body.paidAt === undefined ? now : Date.parse(body.paidAt),
      sync: { status: "pending", expectedBy, jobId },
    };
    state.store.putAccount({ ...account, payments: { ...account.payments, [payment.paymentId]: payment } });
    const ids = { lenderId: account.lenderId, accountId: account.accountId, paymentId: payment.paymentId };
    state.log("lender", "payment.recorded", { ...ids, amount: { value: body.amount.value, currency } });
    state.log("sync", "sync.scheduled", { ...ids, expectedBy: iso(expectedBy) });
    return paymentAccepted(account, payment);
  },

  completeLoan(state, caller, { params }) {
    const account = state.lenderAccount(lenderOf(caller), params.accountId);
    state.log("lender", "loan.completed", { lenderId: account.lenderId, accountId: account.accountId });
    state.commit(completeLoan(account));
    return { accountId: account.accountId, standing: "paid_off" as const };
  },

  getAccount(state, caller, { params }) {
    const account = state.lenderAccount(lenderOf(caller), params.accountId);
    state.log("lender", "account.viewed", { lenderId: account.lenderId, accountId: account.accountId });
    const devices = state.store.devicesOfAccount(account.lenderId, account.accountId).map((device) => ({
      deviceId: device.deviceId,
      imei: device.imei,
      ...viewedState(device),
      lastHeartbeatAt: isoOrNull(device.lastHeartbeatAt),
    }));
    return {
      accountId: account.accountId,
      lenderId: account.lenderId,
      standing: account.standing,
      sync: state.syncView(account),
      devices,
      ...(account.lockAt !== undefined ? { lockAt: iso(account.lockAt) } : {}),
    };
  },
};

function paymentAccepted(account: Account, payment: PaymentRecord) {
  return {
    accountId: account.accountId,
    paymentId: payment.paymentId,
    sync: { status: "pending" as const, expectedBy: iso(payment.sync.expectedBy) },
  };
}

function idempotencyConflict(field: string, id: string): ProblemError {
  return new ProblemError(409, "idempotency_conflict", `${field} ${id} was already used with a different body.`);
}
