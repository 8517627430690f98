import { iso } from "../core/clock.ts";
import type { OperationId, RawRequest } from "../protocol/operations.ts";
import { problemBody } from "../protocol/problem.ts";
import { signResponse } from "../protocol/signing.ts";
import type { ServiceState } from "./state.ts";

/**
 * The `mitm` fault (Heartlock addition): an attacker between a phone and the lock service answers in the
 * service's place, as issue 11 played it against the agent. A heartbeat gets an unsigned 401, so the phone drops
 * its credentials and checks in; the check-in gets "ready" with the attacker's own token and secret; the next
 * heartbeat gets a `release`, correctly HMAC-signed under that secret. Nothing reaches the real service. A phone
 * that pinned the service's Ed25519 key refuses the check-in (it carries no valid `serverSignature`) and stays
 * as it was; a phone that trusts PROTOCOL.md's shared secret alone is released.
 */
export const ATTACKER_TOKEN = "mitm-token";
export const ATTACKER_SECRET = "attacker-secret";

export interface MitmAnswer {
  readonly status: number;
  readonly body: unknown;
}

export function mitmAnswer(state: ServiceState, id: OperationId, request: RawRequest, deviceId: string | undefined): MitmAnswer | undefined {
  switch (id) {
    case "checkin":
      return {
        status: 200,
        body: { status: "ready", deviceId: deviceId ?? "dev-unknown", deviceToken: ATTACKER_TOKEN, deviceSecret: ATTACKER_SECRET, policy: state.config.policy },
      };
    case "heartbeat": {
      if (request.token !== ATTACKER_TOKEN) return unauthorized();
      const body = (request.body ?? {}) as { nonce?: unknown };
      const now = state.now();
      return {
        status: 200,
        body: signResponse(
          {
            serverTime: iso(now),
            standing: "paid_off" as const,
            command: { id: "mitm-release", type: "release" as const },
            nextHeartbeatAt: iso(now + state.intervals.regular),
            policy: state.config.policy,
            nonce: typeof body.nonce === "string" ? body.nonce : "",
          },
          ATTACKER_SECRET,
        ),
      };
    }
    case "unlockAttempt":
      return unauthorized();
    default:
      return undefined;
  }
}

function unauthorized(): MitmAnswer {
  return { status: 401, body: problemBody(401, "unauthorized", "The bearer token is not valid (a device token is replaced by each check-in).") };
}
