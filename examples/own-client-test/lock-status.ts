/**
 * A team's own client code, as a UX team might write it for a prototype: plain `fetch`, written from
 * PROTOCOL.md alone. The test beside it runs it against Heartlock's MSW handlers with no server.
 */
export interface PhoneSession {
  readonly deviceId: string;
  readonly deviceToken: string;
  readonly deviceSecret: string;
}

export async function enrolPhone(baseUrl: string, imei: string): Promise<PhoneSession | "unmanaged"> {
  const response = await fetch(`${baseUrl}/v1/devices/checkin`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ identifiers: [{ type: "imei", value: imei }] }),
  });
  const body = (await response.json()) as { status: string } & Partial<PhoneSession>;
  if (body.status === "stop") return "unmanaged";
  if (!body.deviceId || !body.deviceToken || !body.deviceSecret) throw new Error(`check-in answered ${response.status}`);
  return { deviceId: body.deviceId, deviceToken: body.deviceToken, deviceSecret: body.deviceSecret };
}

/** What the lock screen should show after one heartbeat: the words a UX writer cares about. */
export async function lockScreenAfterHeartbeat(baseUrl: string, phone: PhoneSession, seq: number): Promise<{ locked: boolean; message?: string }> {
  const response = await fetch(`${baseUrl}/v1/devices/${phone.deviceId}/heartbeat`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${phone.deviceToken}` },
    body: JSON.stringify({ seq, state: "active", nonce: `n-${seq}` }),
  });
  if (!response.ok) throw new Error(`heartbeat answered ${response.status}`);
  const body = (await response.json()) as { command: { type: string; message?: string } };
  return body.command.type === "lock" ? { locked: true, ...(body.command.message ? { message: body.command.message } : {}) } : { locked: false };
}
