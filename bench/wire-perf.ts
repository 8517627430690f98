import { execFileSync, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";

/**
 * What each microsecond of one heartbeat costs the server: `node --import tsx bench/wire-perf.ts [real|bare|bare-signed] [seconds]`
 * starts the wire bench's server (bench/wire-server.ts) with V8's perf map, loads it with wrk as `npm run bench -- wire`
 * does, and prints its CPU time per request in categories. Needs Linux `perf` (apt-get install linux-perf) and wrk.
 *
 * Two rounds: the first, without perf, gives the server process's CPU per request (utime + stime from /proc, so the
 * kernel's share of the socket write is in it); the second, under `perf record -e cpu-clock -g`, gives the shares,
 * each sample charged to the innermost frame of its stack that a category names (a JSON.stringify inside the
 * signing code counts as signing, the HMAC inside it as the HMAC). perf slows the process, so its shares are
 * applied to the first round's figure. A V8 sampling profile (HEARTLOCK_WIRE_PROFILE) samples wall time instead,
 * which on a shared machine charges the time the process waited for a core to whatever it was doing.
 */
const HERE = new URL(".", import.meta.url).pathname;
const kind = process.argv[2] ?? "real";
const seconds = Number(process.argv[3] ?? 6);

const CATEGORIES: readonly (readonly [string, RegExp])[] = [
  ["Ed25519 sign (OpenSSL, node:crypto sign)", /ossl_ed25519|ed25519_|fe_|ge_|x25519|sha512_block|SignJob|crypto\/sig|SignTraits|serverSignatureOf/],
  ["HMAC-SHA256 (node:crypto)", /Hmac|crypto\/hash|hmacBase64url|HMAC|sha256_block/],
  ["socket write (writev, kernel TCP)", /writev|writeGeneric|Socket\._write|clearBuffer|tcp_|__sys_writev/],
  ["zod validation", /zod\//],
  ["answer serialisation + signing JS", /signed-answer|canonical-json/],
  ["journal append", /core\/journal/],
  ["heartbeat handler, store, auth", /handlers\/device|mock-server\/store|mock-server\/state|mock-server\/money|mock-server\/standing|mock-server\/auth|mock-server\/faults|core\//],
  ["service.invoke + validate", /mock-server\/service/],
  ["studio access middleware", /studio\/access/],
  ["body limit + readCall (JSON.parse)", /http\/limits|http\/request/],
  ["route handler (app.ts, node-server.ts)", /http\/app|http\/node-server|wire-server/],
  ["Hono (router, compose, context)", /\/hono\/dist/],
  ["@hono/node-server adapter", /@hono\/node-server/],
  ["Node HTTP (llhttp, http server, streams, timers)", /llhttp|_http_|node:events|streams\/|node:net|timers|stream_base|node:buffer|task_queues|promises/],
  ["event loop (epoll, scheduling)", /epoll|uv__io_poll|uv_run|schedule/],
  ["GC", /Scavenge|MarkCompact|Heap::|GCTracer|ConcurrentMarking|Sweeper/],
];
const OTHER = "other (JS runtime, malloc, unattributed)";

const dir = mkdtempSync(join(tmpdir(), "heartlock-wire-perf-"));
const devicesFile = join(dir, "phones.txt");
if (kind !== "real") execFileSync("sh", ["-c", `for i in $(seq 1 100); do echo "dev-$i token-$i"; done > ${devicesFile}`]);
const child = spawn(process.execPath, ["--perf-basic-prof-only-functions", "--import", "tsx", join(HERE, "wire-server.ts"), kind, devicesFile], { stdio: ["ignore", "pipe", "inherit"] });
const url = (JSON.parse(await new Promise<string>((resolve) => createInterface({ input: child.stdout }).once("line", resolve))) as { url: string }).url;
const pid = String(child.pid);
const cpuMicros = () => {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10_000; // clock ticks of 10 ms
};
let seqBase = 0;
const wrk = (duration: number) => {
  seqBase += 10_000_000;
  const out = spawnSync("wrk", ["-t1", "-c32", `-d${duration}s`, "-s", join(HERE, "heartbeat.lua"), url, "--", devicesFile, String(seqBase)], { encoding: "utf8" }).stdout;
  return { requests: Number(/(\d+) requests in/.exec(out)?.[1] ?? NaN), perSecond: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? NaN) };
};
try {
  wrk(2); // warm-up
  const before = cpuMicros();
  const plain = wrk(seconds);
  const perRequest = (cpuMicros() - before) / plain.requests;
  const data = join(dir, "perf.data");
  const recording = spawn("perf", ["record", "-e", "cpu-clock", "-F", "4000", "-g", "-p", pid, "-o", data, "--", "sleep", String(seconds)], { stdio: "ignore" });
  wrk(seconds);
  await new Promise((resolve) => recording.once("exit", resolve));
  const script = execFileSync("perf", ["script", "-i", data, "-F", "ip,sym"], { encoding: "utf8", maxBuffer: 1 << 30, stdio: ["ignore", "pipe", "ignore"] });
  const counts = new Map<string, number>();
  let total = 0;
  for (const block of script.split("\n\n")) {
    const frames = block.split("\n").map((line) => line.trim().replace(/^[0-9a-f]+\s+/, "")).filter(Boolean);
    if (frames.length === 0) continue;
    total += 1;
    const category = frames.map((frame) => CATEGORIES.find(([, pattern]) => pattern.test(frame))?.[0]).find((name) => name !== undefined) ?? OTHER;
    counts.set(category, (counts.get(category) ?? 0) + 1);
  }
  console.log(`${kind}: ${plain.perSecond.toFixed(0)} req/s, ${perRequest.toFixed(1)} µs of server CPU per request (wrk -t1 -c32, ${seconds} s); ${total} perf samples`);
  for (const name of [...CATEGORIES.map(([category]) => category), OTHER]) {
    const share = (counts.get(name) ?? 0) / total;
    console.log(`${(share * perRequest).toFixed(1).padStart(7)} µs ${(share * 100).toFixed(1).padStart(5)} %  ${name}`);
  }
} finally {
  child.kill("SIGTERM");
}
