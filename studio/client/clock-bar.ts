import { SPEEDS, type StudioState } from "../contract.ts";
import { h, setAttrs, setOptions, setText } from "./dom.ts";
import type { Studio } from "./studio.ts";

/**
 * The facilitator's clock: the simulated time shown large, play and pause, the speed dial, step and jumps,
 * and reset. The time itself is deliberately not a live region: it changes ten times a second.
 */
export function mountClockBar(root: HTMLElement, resetSlot: HTMLElement, studio: Studio): void {
  const local = h("time", { class: "clock-local", "data-testid": "clock-local" }, "…");
  const zone = h("span", { class: "clock-zone" });
  const mode = h("span", { class: "clock-mode", "data-testid": "clock-mode" });

  const play = button("play", "▶", "Play");
  const pause = button("pause", "❚❚", "Pause");
  const speed = h("select", { id: "speed", "data-testid": "speed" });
  setOptions(speed, SPEEDS.map((s) => ({ value: String(s.speed), label: s.label.replace(/\s+/g, " ") })));
  const step = button("step", "»", "Step to next event");
  const hour = h("button", { type: "button", "data-testid": "jump-hour" }, "+1 hour");
  const day = h("button", { type: "button", "data-testid": "jump-day" }, "+1 day");
  const business = h("button", { type: "button", "data-testid": "jump-business-day" }, "Next business day 09:00");
  const reset = button("reset", "↺", "Reset stage");

  root.replaceChildren(
    h("div", { class: "clock-face" }, h("span", { class: "clock-label" }, "Simulated time"), local, h("span", { class: "clock-meta" }, zone, " · ", mode)),
    h("div", { class: "clock-controls" }, play, pause, h("span", { class: "speed" }, h("label", { for: "speed" }, "Speed"), speed), step),
    h("div", { class: "clock-controls", role: "group", "aria-label": "Jump ahead" }, h("span", { class: "group-label", "aria-hidden": "true" }, "Jump:"), hour, day, business),
  );
  // Reset sits apart from the clock, by the title: it throws the run away, so it should not be pressed by
  // accident on the way to Step.
  resetSlot.replaceChildren(reset);

  play.addEventListener("click", () => void studio.clock({ op: "play", speed: Number(speed.value) }, "Play"));
  pause.addEventListener("click", () => void studio.clock({ op: "pause" }, "Pause"));
  speed.addEventListener("change", () => void studio.clock({ op: "speed", speed: Number(speed.value) }, "Speed"));
  step.addEventListener("click", () => void studio.clock({ op: "step" }, "Step"));
  hour.addEventListener("click", () => void studio.clock({ op: "jump", by: "PT1H" }, "Jump 1 hour"));
  day.addEventListener("click", () => void studio.clock({ op: "jump", by: "P1D" }, "Jump 1 day"));
  business.addEventListener("click", () => void studio.clock({ op: "jump", by: "next-business-day" }, "Jump to the next business day"));
  reset.addEventListener("click", () => void studio.stage({ op: "reset" }, "Reset", "The stage is back at its start: the free stage, paused."));

  studio.store.subscribe((state) => update(state));

  function update(state: StudioState): void {
    const clock = state.clock;
    setText(local, clock.local);
    local.dateTime = clock.now;
    setText(zone, clock.timeZone);
    const label = speedLabel(clock.speed);
    setText(mode, clock.playing ? `playing, ${label}` : state.stage.busy ? "paused, working…" : "paused");
    setAttrs(play, { "aria-pressed": clock.playing ? "true" : "false" });
    setAttrs(pause, { "aria-pressed": clock.playing ? "false" : "true" });
    // A speed the dial does not offer (set through the API) gets its own option rather than a wrong one.
    const options = SPEEDS.map((s) => ({ value: String(s.speed), label: s.label.replace(/\s+/g, " ") }));
    if (!SPEEDS.some((s) => s.speed === clock.speed)) options.push({ value: String(clock.speed), label: label });
    setOptions(speed, options);
    if (document.activeElement !== speed && speed.value !== String(clock.speed)) speed.value = String(clock.speed);
  }
}

function button(testid: string, icon: string, text: string): HTMLButtonElement {
  return h("button", { type: "button", "data-testid": testid }, h("span", { class: "icon", "aria-hidden": "true" }, icon), " ", text);
}

function speedLabel(speed: number): string {
  const known = SPEEDS.find((s) => s.speed === speed);
  return known ? known.label.replace(/\s+/g, " ") : `${speed}× real time`;
}
