import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { imeiFrom } from "../../protocol/imei.ts";

/** A `heartlock serve --data DIR` child and a load of many phones against it, for the kill -9 test and bench. */
export const KEYS = { admin: "crash-admin", support: "crash-support", lender: "crash-lender" } as const;
const BIN = fileURLToPath(new URL("../../bin/heartlock.js", import.meta.url));

export interface Child {
  readonly url: string;
  readonly process: ChildProcess;
  readonly output: () => string;
}

export interface ChildOptions {
  /** Node flags before the bin (the soak's `--expose-gc --import probe`). */
  readonly nodeArgs?: readonly string[];
  /** Opens an IPC channel to the child (the soak asks its probe for memory figures over it). */
  readonly ipc?: boolean;
}

/** Starts `heartlock serve` (durable with `dir`) on a free port with a paused clock, and waits for its banner's URL. */
export function startChild(dir: string | undefined, extraEnv: Record<string, string> = {}, options: ChildOptions = {}): Promise<Child> {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), BIN, "serve", ...(dir === undefined ? [] : ["--data", dir])], {
    env: {
      ...process.env,
      PORT: "0",
      HEARTLOCK_CLOCK: "manual",
      HEARTLOCK_ADMIN_KEY: KEYS.admin,
      HEARTLOCK_SUPPORT_KEY: KEYS.support,
      HEARTLOCK_LENDER_KEYS: `lender-a:${KEYS.lender}`,
      ...extraEnv,
    },
    stdio: ["ignore", "pipe", "pipe", ...(options.ipc ? (["ipc"] as const) : [])],
  });
  let text = "";
  return new Promise((resolve, reject) => {
    const seen = (chunk: Buffer) => {
      text += chunk.toString();
      const match = /URL\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(text);
      if (match?.[1]) resolve({ url: match[1], process: child, output: () => text });
    };
    child.stdout?.on("data", seen);
    child.stderr?.on("data", seen);
    child.once("exit", (code) => reject(new Error(`heartlock serve exited (${code}) before it listened:\n${text}`)));
  });
}

export interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
  /** The request was sent more than once: an earlier copy may have been carried out, its answer lost on the wire. */
  readonly resent: boolean;
}

export async function call(url: string, method: string, path: string, token: string | undefined, body?: unknown): Promise<Answer> {
  const { response, resent } = await fetchRetrying(url + path, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, resent };
}

/** Counts requests retried after a transport failure (a socket reset under load): nothing was acknowledged by those. */
export const transport = { retries: 0, causes: new Set<string>() };

/** Like a phone: a request lost on the wire (no answer at all) is sent again, up to three times. */
async function fetchRetrying(url: string, init: RequestInit): Promise<{ response: Response; resent: boolean }> {
  for (let attempt = 1; ; attempt++) {
    try {
      return { response: await fetch(url, init), resent: attempt > 1 };
    } catch (error) {
      if (attempt >= 3) throw error;
      transport.retries++;
      transport.causes.add(String((error as { cause?: { code?: string } }).cause?.code ?? error));
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    }
  }
}

/** What the server acknowledged before it died: each phone's progress, payments, and the journal's last seq seen. */
export interface Acknowledged {
  readonly registered: Map<string, string>; // imei -> deviceId
  readonly tokens: Map<string, { token: string; seq: number }>; // deviceId -> token and last acknowledged heartbeat seq
  readonly payments: Map<string, { expectedBy: string }>; // accountId -> the acknowledged payment's sync
  lastSeq: number;
  lastEvent?: unknown;
  errors: number;
  readonly failures: string[];
}

/** A refusal before the kill is a real failure: it is counted and kept with its status and problem for the test's message. */
function refused(ack: Acknowledged, what: string, answer: Answer): void {
  ack.errors++;
  ack.failures.push(`${what}: ${answer.status} ${String(answer.body.detail ?? answer.body.title ?? "")}${answer.resent ? " (re-sent)" : ""}`);
}

export function imeiOf(index: number): string {
  return imeiFrom(`35${String(index).padStart(12, "0")}`);
}

/**
 * Every phone: registered by the lender, checked in, heartbeating; every fifth account also gets a default and
 * a payment. Runs until `stop()` says so (the server is killed meanwhile); failures after the kill are expected
 * and simply not acknowledged.
 */
export async function load(url: string, devices: number, ack: Acknowledged, stop: () => boolean): Promise<void> {
  const phone = async (index: number) => {
    const imei = imeiOf(index);
    const accountId = `acct-${index}`;
    try {
      const reg = await call(url, "POST", "/v1/lender/devices", KEYS.lender, { imei, accountId, contact: { phone: "+4930123456" } });
      // A re-sent registration whose first copy was carried out is refused as a second one: support finds it.
      const registered = reg.status === 409 && reg.resent ? await call(url, "GET", `/v1/support/devices?imei=${imei}`, KEYS.support) : reg;
      if (registered.status !== 201 && registered.status !== 200) return void refused(ack, "register", registered);
      ack.registered.set(imei, String(registered.body.deviceId));
      const checkin = await call(url, "POST", "/v1/devices/checkin", undefined, { identifiers: [{ type: "imei", value: imei }] });
      if (checkin.status !== 200) return void refused(ack, "check-in", checkin);
      const deviceId = String(checkin.body.deviceId);
      const token = String(checkin.body.deviceToken);
      ack.tokens.set(deviceId, { token, seq: -1 });
      if (index % 5 === 0) {
        const report = await call(url, "POST", `/v1/lender/accounts/${accountId}/defaults`, KEYS.lender, { reportId: "r1", amountDue: { value: 20, currency: "EUR" }, dueDate: "2026-01-01" });
        if (report.status !== 202) return void refused(ack, "default", report);
        const pay = await call(url, "POST", `/v1/lender/accounts/${accountId}/payments`, KEYS.lender, { paymentId: "p1", amount: { value: 20, currency: "EUR" } });
        if (pay.status !== 202) return void refused(ack, "payment", pay);
        ack.payments.set(accountId, { expectedBy: String((pay.body.sync as { expectedBy: string }).expectedBy) });
      }
      for (let seq = 0; !stop(); seq++) {
        const beat = await call(url, "POST", `/v1/devices/${deviceId}/heartbeat`, token, { seq, state: "active", nonce: `n-${index}-${seq}` });
        // A re-sent heartbeat whose first copy was counted is refused for its seq, as a phone's would be; the phone
        // goes on with the next seq. Nothing was acknowledged for it.
        if (beat.status === 409 && beat.resent) continue;
        if (beat.status !== 200) return void refused(ack, `heartbeat ${seq}`, beat);
        ack.tokens.set(deviceId, { token, seq });
      }
    } catch (error) {
      // After the kill: the server died mid-request and nothing was acknowledged. Before it: a real failure.
      if (!stop()) {
        ack.errors++;
        ack.failures.push(`${String(error)} (${String((error as { cause?: unknown }).cause)})`);
      }
    }
  };
  const watcher = (async () => {
    while (!stop()) {
      try {
        const page = await call(url, "GET", `/v1/sim/events?after=${Math.max(0, ack.lastSeq - 1)}&limit=1000`, KEYS.admin);
        const events = (page.body.events ?? []) as { seq: number }[];
        const last = events[events.length - 1];
        if (last && last.seq > ack.lastSeq) {
          ack.lastSeq = last.seq;
          ack.lastEvent = last;
        }
      } catch {
        // A poll lost to the load or the kill: the next one catches up.
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  await Promise.all([...Array.from({ length: devices }, (_, index) => phone(index)), watcher]);
}
