import { iso } from "../../core/clock.ts";
import { offlineCodeFor } from "../../protocol/offline-code.ts";
import { ProblemError } from "../../protocol/problem.ts";
import { viewedState, type Account } from "../model.ts";
import { lenderSettled } from "../standing.ts";
import { isoOrNull } from "../state.ts";
import { refreshSyncs } from "../sync.ts";
import { withNewCode } from "../unlock-codes.ts";
import type { Handlers } from "./types.ts";

type SupportOps = "supportLookup" | "refresh" | "issueUnlockCode" | "issueOfflineCode" | "resetAttempts";

export const supportHandlers: Handlers<SupportOps> = {
  supportLookup(state, _caller, { query }) {
    const device = state.store.findDeviceByImei(query.imei);
    if (!device) throw new ProblemError(404, "not_found", `No financed device with IMEI ${query.imei}.`);
    const account = state.accountOf(device);
    state.log("support", "device.looked_up", { deviceId: device.deviceId, imei: device.imei });
    return {
      deviceId: device.deviceId,
      imei: device.imei,
      lenderId: device.lenderId,
      accountId: device.accountId,
      standing: account.standing,
      sync: state.syncView(account),
      ...viewedState(device),
      lastHeartbeatAt: isoOrNull(device.lastHeartbeatAt),
    };
  },

  refresh(state, _caller, { params }) {
    const device = state.deviceById(params.deviceId);
    state.log("support", "sync.refresh_requested", { deviceId: device.deviceId, accountId: device.accountId });
    refreshSyncs(state, state.accountOf(device));
    const account = state.accountOf(device);
    return { standing: account.standing, sync: state.syncView(account) };
  },

  resetAttempts(state, _caller, { params }) {
    const device = state.deviceById(params.deviceId);
    const cleared = device.attempts.failures;
    state.store.putDevice({ ...device, attempts: { failures: 0 } });
    state.log("support", "unlock_attempts.reset", { deviceId: device.deviceId, cleared });
    return { deviceId: device.deviceId, attemptsLeft: state.config.attempts.freeFailures, cleared };
  },

  issueUnlockCode(state, _caller, { params }) {
    const device = state.deviceById(params.deviceId);
    const account = state.accountOf(device);
    requireLenderSettled(account);
    const now = state.now();
    const code = state.credentials.digits(8);
    const next = withNewCode(device, code, now, state.config.unlockCodeTtl, account.defaultEpoch);
    state.store.putDevice(next);
    const expiresAt = iso(now + state.config.unlockCodeTtl);
    state.log("support", "unlock_code.issued", { deviceId: device.deviceId, code, expiresAt });
    return { code, expiresAt };
  },

  issueOfflineCode(state, _caller, { params, body }) {
    const device = state.deviceById(params.deviceId);
    if (!device.enrolment) throw new ProblemError(409, "conflict", `Device ${device.deviceId} has never checked in, so it has no secret to answer a challenge with.`);
    requireLenderSettled(state.accountOf(device));
    state.log("support", "offline_code.issued", { deviceId: device.deviceId, challenge: body.challenge });
    return { code: offlineCodeFor(body.challenge, device.enrolment.secret) };
  },
};

function requireLenderSettled(account: Account): void {
  if (!lenderSettled(account)) {
    throw new ProblemError(
      409,
      "standing_not_good",
      `The lender still shows account ${account.accountId} ${account.standing === "default" ? "in default" : "overdue"}; a code can be issued once the payment is recorded at the lender.`,
    );
  }
}
