import { createHistogram, performance } from "node:perf_hooks";
import { Pool } from "undici";
import { imeiFrom } from "../protocol/imei.ts";
import { verifyResponse } from "../protocol/signing.ts";

/**
 * A fleet of phones over the wire: N devices registered, checked in and then sending heartbeats as fast as a
 * bounded number of requests in flight allows, through one undici Pool, to a separate Heartlock server. A
 * load test of the lock service, not a story: each answer is checked (status and signature) and counted,
 * with throughput and latency percentiles. Loopback and bounded in time by design.
 */
export interface NetworkFleetOptions {
  readonly target: string;
  readonly devices: number;
  /** Seconds of heartbeats after everyone has checked in. */
  readonly seconds: number;
  /** Sockets in the pool. */
  readonly connections: number;
  /** Requests in flight at once (the phones take turns). */
  readonly inFlight: number;
  readonly lenderKey: string;
  /** Told how far set-up has come. */
  readonly onProgress?: (text: string) => void;
}

export interface NetworkFleetReport {
  readonly devices: number;
  readonly heartbeats: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly errors: number;
  readonly badSignatures: number;
  /** The first few distinct errors, for a human to read. */
  readonly errorSamples: readonly string[];
}

interface Phone {
  readonly deviceId: string;
  readonly token: string;
  readonly secret: string;
  seq: number;
}

export async function runNetworkFleet(options: NetworkFleetOptions): Promise<NetworkFleetReport> {
  const url = new URL(options.target);
  if (!["127.0.0.1", "localhost", "[::1]"].includes(url.hostname) && !url.hostname.startsWith("127.")) {
    throw new Error(`heartlock fleet drives loopback servers only, not ${url.hostname}`);
  }
  const pool = new Pool(url.origin, { connections: options.connections, pipelining: 1 });
  const errorSamples = new Set<string>();
  let errors = 0;
  const fail = (what: string) => {
    errors += 1;
    if (errorSamples.size < 5) errorSamples.add(what);
  };
  const post = async (path: string, token: string | undefined, body: unknown): Promise<{ status: number; json: unknown }> => {
    const response = await pool.request({
      method: "POST",
      path,
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    return { status: response.statusCode, json: await response.body.json() };
  };

  /**
   * The heartbeats' request: Pool.dispatch with a handler that collects the answer's bytes, the same request as
   * `post` sends, without the Readable stream pool.request builds around every answer (a tenth of this side's CPU
   * per heartbeat, measured under `npm run bench -- network`): the load generator should cost as little as it can.
   */
  const postFast = (path: string, token: string, body: string): Promise<{ status: number; text: string }> =>
    new Promise((resolve, reject) => {
      let status = 0;
      const chunks: Buffer[] = [];
      pool.dispatch(
        { method: "POST", path, headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body },
        {
          onRequestStart() {},
          onResponseStart(_controller, statusCode) {
            status = statusCode;
          },
          onResponseData(_controller, chunk) {
            chunks.push(chunk);
          },
          onResponseEnd() {
            resolve({ status, text: chunks.length === 1 ? (chunks[0] as Buffer).toString("utf8") : Buffer.concat(chunks).toString("utf8") });
          },
          onResponseError(_controller, error) {
            reject(error);
          },
        },
      );
    });

  try {
    // Set-up: register and check in every phone, a bounded number at a time.
    const phones: Phone[] = [];
    const salt = String(Math.floor(performance.timeOrigin) % 1_000_000).padStart(6, "0");
    await inBatches(options.devices, options.inFlight, async (i) => {
      const imei = imeiFrom(`9${salt}${String(i).padStart(7, "0")}`);
      const registered = await post("/v1/lender/devices", options.lenderKey, { imei, accountId: `fleet-${salt}-${i % 1000}`, contact: { phone: "+4930123456" } });
      if (registered.status !== 201 && registered.status !== 200) throw new Error(`registering ${imei}: ${registered.status} ${JSON.stringify(registered.json)}`);
      const checkin = await post("/v1/devices/checkin", undefined, { identifiers: [{ type: "imei", value: imei }] });
      const body = checkin.json as { deviceId?: string; deviceToken?: string; deviceSecret?: string };
      if (checkin.status !== 200 || !body.deviceId || !body.deviceToken || !body.deviceSecret) throw new Error(`checking in ${imei}: ${checkin.status} ${JSON.stringify(body)}`);
      phones.push({ deviceId: body.deviceId, token: body.deviceToken, secret: body.deviceSecret, seq: 0 });
      if (phones.length % 1000 === 0) options.onProgress?.(`${phones.length} of ${options.devices} phones checked in`);
    });

    const latency = createHistogram();
    let heartbeats = 0;
    let badSignatures = 0;
    let next = 0;
    // Each lane heartbeats its own phones in turn (lane, lane + lanes, … below the count, then from lane again), so
    // a phone never has two heartbeats in flight: two at once would race their seq numbers, and the service rightly
    // answers the later-arriving one 409. So there are at most as many lanes as phones.
    const lanes = Math.min(options.inFlight, phones.length);
    if (lanes < options.inFlight) options.onProgress?.(`${options.inFlight} in flight asked for, ${lanes} used: one heartbeat at a time per phone`);
    const began = performance.now();
    const until = began + options.seconds * 1000;
    const worker = async (lane: number) => {
      for (let turn = lane; performance.now() < until; turn = turn + lanes < phones.length ? turn + lanes : lane) {
        next += 1;
        const phone = phones[turn] as Phone;
        phone.seq += 1;
        const sent = performance.now();
        try {
          const answer = await postFast(`/v1/devices/${phone.deviceId}/heartbeat`, phone.token, JSON.stringify({ seq: phone.seq, state: "active", nonce: `n${phone.seq}-${next}` }));
          latency.record(Math.max(1, Math.round((performance.now() - sent) * 1000)));
          if (answer.status !== 200) fail(`heartbeat answered ${answer.status}: ${answer.text.slice(0, 200)}`);
          else if (!verifyResponse(JSON.parse(answer.text) as { signature: string }, phone.secret)) badSignatures += 1;
          else heartbeats += 1;
        } catch (error) {
          fail(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
        }
      }
    };
    await Promise.all(Array.from({ length: lanes }, (_, lane) => worker(lane)));
    const seconds = (performance.now() - began) / 1000;
    return {
      devices: phones.length,
      heartbeats,
      seconds: Math.round(seconds * 100) / 100,
      perSecond: Math.round(heartbeats / seconds),
      p50Ms: latency.percentile(50) / 1000,
      p99Ms: latency.percentile(99) / 1000,
      maxMs: latency.max / 1000,
      errors,
      badSignatures,
      errorSamples: [...errorSamples],
    };
  } finally {
    await pool.close();
  }
}

async function inBatches(count: number, width: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(width, count) }, lane));
}
