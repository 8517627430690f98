import { randomBytes } from "node:crypto";
import { systemWall } from "../core/wall-clock.ts";
import { secureCredentials } from "../mock-server/credentials.ts";
import { DEFAULT_JOURNAL_KEEP } from "../mock-server/env-config.ts";
import { serverKeyPair } from "../protocol/server-key.ts";
import { playScenario } from "../scenarios/run/runner.ts";
import { stagePlan } from "../studio/fleet-stage.ts";
import { StudioHub, type StudioMessage } from "../studio/hub.ts";
import { stateText } from "../studio/wire-state.ts";

/**
 * `npm run bench -- studio`: the studio with 1,000 phones, in-process and without a browser. The hub is opened
 * as `heartlock serve` opens it (pinned server key, CSPRNG credentials, journal retention), with one page "connected" (a listener that counts the bytes the stream would
 * send), the thousand-phones fleet scenario is loaded and the clock jumps 30 days. Goals: load + jump <= 5 s,
 * the welcome a page gets on connecting <= 1 MB. The baseline is the same scenario played by `heartlock run`
 * (playScenario, fleet journal, direct transport) in the same process, before and after: the ratio is what the
 * studio adds. CPU time is printed beside the wall time: on a shared machine it is the steadier figure.
 */
const SCENARIO = "thousand-phones";
const JUMP_GOAL_MS = 5000;
const WELCOME_GOAL_BYTES = 1024 * 1024;

const gc = () => (globalThis as { gc?: () => void }).gc?.();
const bytes = (text: string) => Buffer.byteLength(text, "utf8");
const sum = (messages: readonly StudioMessage[]) => messages.reduce((total, message) => total + bytes(message.data), 0);
const kb = (n: number) => `${(n / 1024).toFixed(0)} KiB`;
const verdict = (value: number, limit: number, unit: (n: number) => string) => (value <= limit ? "met" : `missed by ${unit(value - limit)}`);

export async function studioBench(): Promise<void> {
  const row = (name: string, value: string, note: string) => console.log(`${name.padEnd(60)} ${value.padStart(12)}  ${note}`);

  const plan = stagePlan(SCENARIO);
  // The baseline's result (its whole journal) is dropped before the studio runs: kept, it made the GC work harder.
  const baselineRun = async () => {
    const { ms, cpuMs } = await timed(() => playScenario(plan, { transport: "direct", journal: "fleet" }));
    return { ms, cpuMs };
  };
  const before = await baselineRun();
  gc();

  // As `heartlock serve` opens it (studio/serve.ts): a pinned Ed25519 key signing every answer and verified by every
  // phone, CSPRNG credentials and the journal's retention. Without them the jump measured ~8x less than serve's.
  const hub = await StudioHub.open({
    wall: systemWall,
    serving: { serverKey: serverKeyPair(new Uint8Array(randomBytes(32))), credentials: secureCredentials, journal: { keep: DEFAULT_JOURNAL_KEEP } },
    onError: (error) => console.error("bench studio:", error),
  });
  const sent = { messages: 0, bytes: 0, states: 0, stateBytes: 0 };
  hub.subscribe((message) => {
    sent.messages += 1;
    sent.bytes += bytes(message.data);
    if (message.event === "state") {
      sent.states += 1;
      sent.stateBytes = Math.max(sent.stateBytes, bytes(message.data));
    }
  });
  const load = await timed(() => hub.stage.load(SCENARIO));
  const jump = await timed(() => hub.stage.clock({ op: "jump", by: "P30D" }));
  const welcome = await timed(async () => hub.welcome());
  const welcomeBytes = sum(welcome.result);
  const welcomeMessages = welcome.result.length;
  const state = hub.state();
  const stateBytes = bytes(stateText(state));
  const wholeStateBytes = bytes(JSON.stringify(state));
  const events = hub.stage.current.run.world.journal.lastSeq;
  const total = load.ms + jump.ms;
  await hub.close();
  gc();
  // The same load and jump without the pinned key (what this bench measured until 4 December): the difference is
  // the Ed25519 signature of every answer, which `serve` pays and `heartlock run` does not.
  const unpinned = await StudioHub.open({ wall: systemWall, onError: (error) => console.error("bench studio:", error) });
  unpinned.subscribe(() => undefined);
  const unpinnedRun = await timed(async () => {
    await unpinned.stage.load(SCENARIO);
    await unpinned.stage.clock({ op: "jump", by: "P30D" });
  });
  await unpinned.close();
  gc();
  // Measured before and after the studio, the mean used: the machine is shared and its speed drifts.
  const after = await baselineRun();
  const baseline = { ms: (before.ms + after.ms) / 2, cpuMs: (before.cpuMs + after.cpuMs) / 2 };
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const vs = (figure: { ms: number; cpuMs: number }) => `${(figure.cpuMs / baseline.cpuMs).toFixed(2)}x CPU (${s(figure.cpuMs)} CPU; wall ${(figure.ms / baseline.ms).toFixed(2)}x)`;

  row(`baseline: heartlock run ${SCENARIO} (fleet journal, direct)`, s(baseline.ms), `1.00x (${s(baseline.cpuMs)} CPU; wall before ${s(before.ms)}, after ${s(after.ms)})`);
  row(`studio: load ${SCENARIO} (1,000 phones)`, s(load.ms), vs(load));
  row("studio: jump 30 days, one page connected", s(jump.ms), vs(jump));
  row("studio: load + jump (wall)", s(total), `goal <=5 s: ${verdict(total, JUMP_GOAL_MS, s)}`);
  row("studio: load + jump (CPU: the wall time on an idle core)", s(load.cpuMs + jump.cpuMs), `goal <=5 s: ${verdict(load.cpuMs + jump.cpuMs, JUMP_GOAL_MS, s)}`);
  row("  the same load + jump without the pinned key (no Ed25519 per answer)", s(unpinnedRun.ms), vs(unpinnedRun));
  row(`  streamed during the jump: ${sent.messages} messages, ${sent.states} states`, kb(sent.bytes), "");
  row(`welcome on connecting (${welcomeMessages} messages; journal ${events} events)`, kb(welcomeBytes), `goal <=1 MB: ${verdict(welcomeBytes, WELCOME_GOAL_BYTES, kb)}`);
  row("  built in", `${welcome.ms.toFixed(0)} ms`, "");
  row("  of which the state message (screens shared: studio/wire-state.ts)", kb(stateBytes), `whole: ${kb(wholeStateBytes)}`);
  row("  largest state message streamed", kb(sent.stateBytes), "");
}

/** Wall and CPU time of one run: on a shared machine the wall time drifts with the neighbours, this process's CPU time much less. */
async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; cpuMs: number; result: T }> {
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  const result = await run();
  const ms = performance.now() - t0;
  const used = process.cpuUsage(cpu);
  return { ms, cpuMs: (used.user + used.system) / 1000, result };
}
