import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { call, imeiOf, KEYS, startChild, type Child } from "../test/durable/crash-harness.ts";
import { flatVerdict, type MemorySample } from "./soak-verdict.ts";

/**
 * `npm run bench -- soak`: 1,000 phones heartbeating once a second for 60 s over loopback against a
 * `heartlock serve` child with journal retention on (HEARTLOCK_JOURNAL_KEEP=20000), printing every 5 s the
 * errors, heartbeat latency p50/p99 and the child's memory: its heap after a full gc (what the server keeps),
 * its heap total, its off-heap buffers and its RSS (what the system sees). At the end: whether the server's
 * memory was flat over the last half. SOAK_DEVICES / SOAK_SECONDS / SOAK_KEEP change it; SOAK_BODY=chunked sends
 * each heartbeat's body chunked (no Content-Length), as a streaming client would: the other body path.
 */
const DEVICES = Number(process.env.SOAK_DEVICES ?? 1000);
const SECONDS = Number(process.env.SOAK_SECONDS ?? 60);
const KEEP = process.env.SOAK_KEEP ?? "20000";
const CHUNKED = process.env.SOAK_BODY === "chunked";
const PROBE = fileURLToPath(new URL("./soak-probe.mjs", import.meta.url));
const MiB = 1024 * 1024;

interface Measured {
  readonly measured: { readonly rss: number; readonly heapTotal: number; readonly heapUsed: number; readonly external: number; readonly arrayBuffers: number };
  /** Full gcs V8 ran on its own since the last ask, and the heap the last of them left (undefined: none ran). */
  readonly fullGcs: number;
  readonly liveAfterFullGc?: number;
}

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted.length === 0 ? NaN : (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN);
}

const mib = (bytes: number) => (bytes / MiB).toFixed(1);

/**
 * The child's memory from bench/soak-probe.mjs over the IPC channel: "peek" as it is (every report, so the
 * soak does not change what it measures), "measure" after a forced full gc (at the start and the end).
 */
function ask(child: Child, what: "peek" | "measure"): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.process.off("message", answered);
      reject(new Error("the server child did not answer the memory probe within 10 s"));
    }, 10_000);
    const answered = (message: unknown) => {
      if (typeof message !== "object" || message === null || !("measured" in message)) return;
      clearTimeout(timer);
      child.process.off("message", answered);
      resolve(message as Measured);
    };
    child.process.on("message", answered);
    child.process.send(what);
  });
}

/** A POST whose body is a stream, so fetch sends it chunked; answers the status (the body is read and dropped). */
async function chunkedPost(url: string, token: string, body: unknown): Promise<number> {
  const bytes = new TextEncoder().encode(JSON.stringify(body));
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(bytes);
      controller.close();
    },
  });
  const init = { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: stream, duplex: "half" };
  const response = await fetch(url, init as RequestInit);
  await response.arrayBuffer();
  return response.status;
}

export async function soak(): Promise<void> {
  const child = await startChild(undefined, { HEARTLOCK_JOURNAL_KEEP: KEEP }, { nodeArgs: ["--expose-gc", "--import", PROBE], ipc: true });
  try {
    await drive(child);
  } finally {
    child.process.kill("SIGTERM");
  }
}

async function drive(child: Child): Promise<void> {
  const pid = child.process.pid ?? 0;
  const url = child.url;
  console.log(`soak: ${DEVICES} phones, one heartbeat a second each, ${SECONDS} s, journal keep ${KEEP}, ${CHUNKED ? "chunked bodies" : "bodies with Content-Length"}, against ${url} (pid ${pid}, RSS at start ${rssMiB(pid).toFixed(0)} MiB)`);
  // bin/heartlock.js runs dist/ when it is built: a stale build measures old code (run `npm run build` first).
  const fromSource = process.env.HEARTLOCK_FROM_SOURCE === "1" || !existsSync(fileURLToPath(new URL("../dist/cli/main.js", import.meta.url)));
  console.log(`  the server runs ${fromSource ? "the TypeScript sources (through tsx: more memory at start)" : "the built dist/ (rebuild with `npm run build` after a change)"}`);
  const phones: { deviceId: string; token: string; seq: number }[] = [];
  for (let index = 0; index < DEVICES; index += 50) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(50, DEVICES - index) }, async (_, k) => {
        const imei = imeiOf(900_000 + index + k);
        const reg = await call(url, "POST", "/v1/lender/devices", KEYS.lender, { imei, accountId: `soak-${index + k}`, contact: { phone: "+4930123456" } });
        if (reg.status !== 201) throw new Error(`register ${reg.status} ${JSON.stringify(reg.body)}`);
        const ready = await call(url, "POST", "/v1/devices/checkin", undefined, { identifiers: [{ type: "imei", value: imei }] });
        return { deviceId: String(ready.body.deviceId), token: String(ready.body.deviceToken), seq: 0 };
      }),
    );
    phones.push(...batch);
  }
  const before = (await ask(child, "measure")).measured;
  console.log(`  ${phones.length} phones registered and checked in; server heap after gc ${mib(before.heapUsed)} MiB, RSS ${mib(before.rss)} MiB`);
  // Per interval only: the samples are dropped at every report, so the bench's own memory stays flat too.
  let latencies: number[] = [];
  let errors = 0;
  // Why requests failed, by status or error code: a handful of keys, however long the run.
  const causes = new Map<string, number>();
  const failed = (cause: string) => {
    errors++;
    causes.set(cause, (causes.get(cause) ?? 0) + 1);
  };
  let total = 0;
  const started = Date.now();
  const end = started + SECONDS * 1000;
  const samples: MemorySample[] = [];
  let measuring = false;
  let live: number | undefined;
  const reporter = setInterval(() => {
    if (measuring) return;
    measuring = true;
    const sorted = latencies.sort((x, y) => x - y);
    latencies = [];
    const t = (Date.now() - started) / 1000;
    ask(child, "peek")
      .then(({ measured: m, fullGcs, liveAfterFullGc }) => {
        live = liveAfterFullGc ?? live;
        if (live !== undefined) samples.push({ t, heapMiB: live / MiB, rssMiB: m.rss / MiB });
        console.log(
          `  t=${String(Math.round(t)).padStart(3)} s  heartbeats ${String(sorted.length).padStart(5)}  errors ${errors}  p50 ${quantile(sorted, 0.5).toFixed(1)} ms  p99 ${quantile(sorted, 0.99).toFixed(1)} ms` +
            `  server: heap after gc ${live === undefined ? "-" : mib(live)} MiB (${fullGcs} full gcs), heap ${mib(m.heapUsed)}/${mib(m.heapTotal)} MiB, external ${mib(m.external)} MiB, RSS ${mib(m.rss)} MiB` +
            `  bench: heap ${mib(process.memoryUsage().heapUsed)} MiB`,
        );
      })
      .catch((error: unknown) => console.log(`  t=${Math.round(t)} s  ${String(error)}`))
      .finally(() => (measuring = false));
  }, 5000);
  await Promise.all(
    phones.map(async (phone, i) => {
      await new Promise((resolve) => setTimeout(resolve, (i * 1000) / phones.length));
      while (Date.now() < end) {
        const sent = performance.now();
        try {
          const body = { seq: ++phone.seq, state: "active", nonce: `soak-${i}-${phone.seq}` };
          const status = CHUNKED ? await chunkedPost(`${url}/v1/devices/${phone.deviceId}/heartbeat`, phone.token, body) : (await call(url, "POST", `/v1/devices/${phone.deviceId}/heartbeat`, phone.token, body)).status;
          if (status !== 200) failed(`HTTP ${status}`);
        } catch (error) {
          failed(String((error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message));
        }
        total++;
        const took = performance.now() - sent;
        latencies.push(took);
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, 1000 - took)));
      }
    }),
  );
  clearInterval(reporter);
  const rssAtEnd = (await ask(child, "peek")).measured.rss;
  const last = (await ask(child, "measure")).measured;
  console.log(
    `soak done: ${total} heartbeats, ${errors} errors; server heap after a forced gc ${mib(before.heapUsed)} -> ${mib(last.heapUsed)} MiB, RSS ${mib(before.rss)} -> ${mib(rssAtEnd)} MiB (the machine is shared: timings are from a loaded host)`,
  );
  if (causes.size > 0) console.log(`  errors by cause: ${[...causes].map(([cause, count]) => `${cause} x${count}`).join(", ")}`);
  console.log(flatVerdict(samples));
}
