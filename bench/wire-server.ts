import { writeFileSync } from "node:fs";
import { Session } from "node:inspector";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { Pool } from "undici";
import { testKeys } from "../mock-server/create.ts";
import { secureCredentials } from "../mock-server/credentials.ts";
import { DEFAULT_JOURNAL_KEEP } from "../mock-server/env-config.ts";
import { canonicalJson } from "../protocol/canonical-json.ts";
import { serverKeyPair, serverSignatureOf } from "../protocol/server-key.ts";
import { defaultPolicy } from "../protocol/values.ts";
import { imeiFrom } from "../protocol/imei.ts";
import { startStudio } from "../studio/start.ts";

/**
 * One server for the wire bench, in its own process so the load generator and it do not share an event loop:
 * `real` is what `npm start` serves (the studio, its lock service mounted directly, with the pinned Ed25519
 * key, journal retention and CSPRNG credentials that studio/serve.ts gives it) with DEVICES phones enrolled; `bare` is a Hono route on the same node adapter that parses the JSON body and answers JSON.
 * Prints one JSON line: the URL and, for `real`, the file listing the phones' ids and tokens.
 */
const kind = process.argv[2];
const devicesFile = process.argv[3] ?? "";
const DEVICES = 1000;

if (kind === "bare" || kind === "bare-signed") {
  // bare-signed: the same route, its answer also Ed25519-signed as the service signs a heartbeat answer (and
  // nothing else): the most a server can do while every answer carries a `serverSignature`.
  const key = serverKeyPair(new Uint8Array(32).fill(7));
  const app = new Hono().post("/v1/devices/:deviceId/heartbeat", async (c) => {
    const seq = ((await c.req.json()) as { seq: number }).seq;
    if (kind === "bare") return c.json({ ok: true, seq });
    const answer = { ok: true, policy: defaultPolicy, seq, serverTime: new Date().toISOString() };
    return c.json({ ...answer, serverSignature: serverSignatureOf(key, canonicalJson(answer)) });
  });
  const stopProfile = process.env["HEARTLOCK_WIRE_PROFILE"] ? await profileFromHere(process.env["HEARTLOCK_WIRE_PROFILE"]) : async () => {};
  const server = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, (info) => console.log(JSON.stringify({ url: `http://127.0.0.1:${info.port}` })));
  process.once("SIGTERM", () => void stopProfile().then(() => server.close(() => process.exit(0))));
} else if (kind === "real") {
  const studio = await startStudio({
    keys: testKeys,
    seed: 1,
    speed: 0,
    // As studio/serve.ts: every heartbeat answer also carries the Ed25519 `serverSignature`.
    serving: { serverKey: serverKeyPair(new Uint8Array(32).fill(7)), journal: { keep: DEFAULT_JOURNAL_KEEP }, credentials: secureCredentials },
  });
  const pool = new Pool(studio.url, { connections: 8 });
  const phones: { id: string; token: string }[] = [];
  for (let i = 0; i < DEVICES; i++) {
    const imei = imeiFrom(`86${String(i).padStart(12, "0")}`);
    const post = async (path: string, body: unknown, token?: string) =>
      (await (await pool.request({ method: "POST", path, headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) })).body.json()) as Record<string, string>;
    await post("/v1/lender/devices", { imei, accountId: `bench-${i}`, contact: { phone: "+4930123456" } }, testKeys.lenders["lender-a"]);
    const checkin = await post("/v1/devices/checkin", { identifiers: [{ type: "imei", value: imei }] });
    phones.push({ id: checkin["deviceId"] ?? "", token: checkin["deviceToken"] ?? "" });
  }
  await pool.close();
  writeFileSync(devicesFile, phones.map((phone) => `${phone.id} ${phone.token}`).join("\n") + "\n");
  const stopProfile = process.env["HEARTLOCK_WIRE_PROFILE"] ? await profileFromHere(process.env["HEARTLOCK_WIRE_PROFILE"]) : async () => {};
  console.log(JSON.stringify({ url: studio.url }));
  process.once("SIGTERM", () => void stopProfile().then(() => studio.close()).then(() => process.exit(0)));
}

/**
 * HEARTLOCK_WIRE_PROFILE=file.cpuprofile: a CPU profile of the serving only (from here to SIGTERM), without the
 * start-up and enrolment that `node --cpu-prof` would mix in. Open it in Chrome DevTools or read it with a script.
 */
async function profileFromHere(file: string): Promise<() => Promise<void>> {
  const session = new Session();
  session.connect();
  const post = (method: string) => new Promise<unknown>((resolve, reject) => session.post(method, (error, result) => (error ? reject(error) : resolve(result))));
  await post("Profiler.enable");
  await post("Profiler.start");
  return async () => writeFileSync(file, JSON.stringify(((await post("Profiler.stop")) as { profile: unknown }).profile));
}

if (kind !== "real" && kind !== "bare" && kind !== "bare-signed") {
  console.error("usage: wire-server.ts real|bare|bare-signed [devices-file]");
  process.exit(2);
}
