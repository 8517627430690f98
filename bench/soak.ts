import { readFileSync } from "node:fs";
import { call, imeiOf, KEYS, startChild } from "../test/durable/crash-harness.ts";

/**
 * `npm run bench -- soak`: 1,000 phones heartbeating once a second for 60 s over loopback against a
 * `heartlock serve` child with journal retention on (HEARTLOCK_JOURNAL_KEEP=20000), printing every 5 s the
 * errors, heartbeat latency p50/p99 and the child's RSS. SOAK_DEVICES / SOAK_SECONDS / SOAK_KEEP change it.
 */
const DEVICES = Number(process.env.SOAK_DEVICES ?? 1000);
const SECONDS = Number(process.env.SOAK_SECONDS ?? 60);
const KEEP = process.env.SOAK_KEEP ?? "20000";

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted.length === 0 ? NaN : (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN);
}

export async function soak(): Promise<void> {
  const child = await startChild(undefined, { HEARTLOCK_JOURNAL_KEEP: KEEP });
  try {
    await drive(child);
  } finally {
    child.process.kill("SIGTERM");
  }
}

async function drive(child: Awaited<ReturnType<typeof startChild>>): Promise<void> {
  const pid = child.process.pid ?? 0;
  const url = child.url;
  console.log(`soak: ${DEVICES} phones, one heartbeat a second each, ${SECONDS} s, journal keep ${KEEP}, against ${url} (pid ${pid}, RSS at start ${rssMiB(pid).toFixed(0)} MiB)`);
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
  console.log(`  ${phones.length} phones registered and checked in; RSS ${rssMiB(pid).toFixed(0)} MiB`);
  let latencies: number[] = [];
  let errors = 0;
  let total = 0;
  const end = Date.now() + SECONDS * 1000;
  const rows: string[] = [];
  const reporter = setInterval(() => {
    const sorted = [...latencies].sort((a, b) => a - b);
    const line = `  t=${String(Math.round((SECONDS * 1000 - (end - Date.now())) / 1000)).padStart(3)} s  heartbeats ${String(sorted.length).padStart(5)}  errors ${errors}  p50 ${quantile(sorted, 0.5).toFixed(1)} ms  p99 ${quantile(sorted, 0.99).toFixed(1)} ms  RSS ${rssMiB(pid).toFixed(0)} MiB`;
    rows.push(line);
    console.log(line);
    latencies = [];
  }, 5000);
  await Promise.all(
    phones.map(async (phone, i) => {
      await new Promise((resolve) => setTimeout(resolve, (i * 1000) / phones.length));
      while (Date.now() < end) {
        const started = performance.now();
        try {
          const beat = await call(url, "POST", `/v1/devices/${phone.deviceId}/heartbeat`, phone.token, { seq: ++phone.seq, state: "active", nonce: `soak-${i}-${phone.seq}` });
          if (beat.status !== 200) errors++;
        } catch {
          errors++;
        }
        total++;
        const took = performance.now() - started;
        latencies.push(took);
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, 1000 - took)));
      }
    }),
  );
  clearInterval(reporter);
  console.log(`soak done: ${total} heartbeats, ${errors} errors, RSS at end ${rssMiB(pid).toFixed(0)} MiB (the machine is shared: timings are from a loaded host)`);
}
