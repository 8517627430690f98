import { verifyResponse } from "heartlock/client";

/**
 * The prototype's own client code, written from PROTOCOL.md with plain `fetch`, as a UX team would.
 * It does not know whether a real server or the MSW worker answers.
 */
export interface HeartbeatAnswer {
  serverTime: string;
  standing: string;
  command: { id: string; type: "none" | "remind" | "lock" | "unlock" | "release"; message?: string; contact?: { phone?: string; email?: string } };
  nextHeartbeatAt: string;
  nonce: string;
  signature: string;
}

export class LockServiceApi {
  constructor(
    private readonly baseUrl: string,
    private readonly keys: { lender: string; support: string },
  ) {}

  private async call<T>(method: string, path: string, token: string | undefined, body?: unknown): Promise<{ status: number; body: T }> {
    const headers: Record<string, string> = { accept: "application/json" };
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers["content-type"] = "application/json";
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    return { status: response.status, body: (await response.json()) as T };
  }

  register(imei: string, accountId: string) {
    return this.call("POST", "/v1/lender/devices", this.keys.lender, {
      imei,
      accountId,
      lockMessage: "This phone is locked because an installment is overdue. Pay in the Acme Pay app or call us.",
      contact: { phone: "+49301234567" },
    });
  }
  reportDefault(accountId: string) {
    return this.call("POST", `/v1/lender/accounts/${accountId}/defaults`, this.keys.lender, { reportId: "missed-march", amountDue: { value: 49.99, currency: "EUR" }, dueDate: "2026-03-01" });
  }
  recordPayment(accountId: string) {
    return this.call("POST", `/v1/lender/accounts/${accountId}/payments`, this.keys.lender, { paymentId: "paid-march", amount: { value: 49.99, currency: "EUR" } });
  }
  account(accountId: string) {
    return this.call<{ standing: string; sync: { status: string; expectedBy?: string } }>("GET", `/v1/lender/accounts/${accountId}`, this.keys.lender);
  }
  issueCode(deviceId: string) {
    return this.call<{ code?: string; detail?: string }>("POST", `/v1/support/devices/${deviceId}/unlock-codes`, this.keys.support);
  }
  checkin(imei: string) {
    return this.call<{ status: string; deviceId: string; deviceToken: string; deviceSecret: string }>("POST", "/v1/devices/checkin", undefined, { identifiers: [{ type: "imei", value: imei }] });
  }
  async heartbeat(device: { deviceId: string; deviceToken: string; deviceSecret: string }, seq: number, state: string, nonce: string) {
    const answer = await this.call<HeartbeatAnswer>("POST", `/v1/devices/${device.deviceId}/heartbeat`, device.deviceToken, { seq, state, nonce, ...(state === "locked" ? { lockReason: "overdue" } : {}) });
    // A phone ignores an answer whose signature or nonce is wrong (PROTOCOL.md): HMAC-SHA256 over canonical JSON.
    const verified = answer.status === 200 && answer.body.nonce === nonce && verifyResponse(answer.body, device.deviceSecret);
    return { ...answer, verified };
  }
  unlock(device: { deviceId: string; deviceToken: string }, code: string) {
    return this.call<{ result?: string; detail?: string }>("POST", `/v1/devices/${device.deviceId}/unlock-attempts`, device.deviceToken, { code });
  }
}
