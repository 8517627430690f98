import { systemWall } from "../core/wall-clock.ts";
import { playScenario } from "../scenarios/run/runner.ts";
import { stagePlan } from "../studio/fleet-stage.ts";
import { StudioHub, type StudioMessage } from "../studio/hub.ts";
import { stateText } from "../studio/wire-state.ts";
import { timeOnce } from "./measure.ts";

/**
 * `npm run bench -- studio`: the studio with 1,000 phones, in-process and without a browser. The hub is opened
 * as `heartlock serve` opens it, with one page "connected" (a listener that counts the bytes the stream would
 * send), the thousand-phones fleet scenario is loaded and the clock jumps 30 days. Goals: load + jump <= 5 s,
 * the welcome a page gets on connecting <= 1 MB. The baseline is the same scenario played by `heartlock run`
 * (playScenario, fleet journal, direct transport) in the same process: the ratio is what the studio adds.
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
  const baselineRun = async () => (await timeOnce(() => playScenario(plan, { transport: "direct", journal: "fleet" }))).ms;
  const before = await baselineRun();
  gc();

  const hub = await StudioHub.open({ wall: systemWall, onError: (error) => console.error("bench studio:", error) });
  const sent = { messages: 0, bytes: 0, states: 0, stateBytes: 0 };
  hub.subscribe((message) => {
    sent.messages += 1;
    sent.bytes += bytes(message.data);
    if (message.event === "state") {
      sent.states += 1;
      sent.stateBytes = Math.max(sent.stateBytes, bytes(message.data));
    }
  });
  const load = await timeOnce(() => hub.stage.load(SCENARIO));
  const jump = await timeOnce(() => hub.stage.clock({ op: "jump", by: "P30D" }));
  const welcome = await timeOnce(async () => hub.welcome());
  const welcomeBytes = sum(welcome.result);
  const welcomeMessages = welcome.result.length;
  const state = hub.state();
  const stateBytes = bytes(stateText(state));
  const wholeStateBytes = bytes(JSON.stringify(state));
  const events = hub.stage.current.run.world.journal.lastSeq;
  const total = load.ms + jump.ms;
  await hub.close();
  gc();
  // Measured before and after the studio, the mean used: the machine is shared and its speed drifts.
  const after = await baselineRun();
  const baseline = { ms: (before + after) / 2 };

  row(`baseline: heartlock run ${SCENARIO} (fleet journal, direct)`, `${(baseline.ms / 1000).toFixed(2)} s`, `1.00x (before ${(before / 1000).toFixed(1)} s, after ${(after / 1000).toFixed(1)} s)`);
  row(`studio: load ${SCENARIO} (1,000 phones)`, `${(load.ms / 1000).toFixed(2)} s`, `${(load.ms / baseline.ms).toFixed(2)}x`);
  row("studio: jump 30 days, one page connected", `${(jump.ms / 1000).toFixed(2)} s`, `${(jump.ms / baseline.ms).toFixed(2)}x`);
  row("studio: load + jump", `${(total / 1000).toFixed(2)} s`, `goal <=5 s: ${verdict(total, JUMP_GOAL_MS, (ms) => `${(ms / 1000).toFixed(2)} s`)}`);
  row(`  streamed during the jump: ${sent.messages} messages, ${sent.states} states`, kb(sent.bytes), "");
  row(`welcome on connecting (${welcomeMessages} messages; journal ${events} events)`, kb(welcomeBytes), `goal <=1 MB: ${verdict(welcomeBytes, WELCOME_GOAL_BYTES, kb)}`);
  row("  built in", `${welcome.ms.toFixed(0)} ms`, "");
  row("  of which the state message (screens shared: studio/wire-state.ts)", kb(stateBytes), `whole: ${kb(wholeStateBytes)}`);
  row("  largest state message streamed", kb(sent.stateBytes), "");
}
