import type { ScenarioSummary, StageView, StepView } from "../contract.ts";
import { api, problemText } from "./api.ts";
import { h, replaceKeepingFocus, setOptions, setText, stickToEnd, type Child } from "./dom.ts";
import type { Studio } from "./studio.ts";

const STEP_STATE: Readonly<Record<StepView["state"], { icon: string; text: string }>> = {
  done: { icon: "✓", text: "done" },
  next: { icon: "▶", text: "next" },
  waiting: { icon: "·", text: "waiting" },
  failed: { icon: "✗", text: "failed" },
};

/**
 * The scenario player: pick a story from the library, read what it teaches, load it (it waits, paused, at
 * its start), then drive it with the clock bar. Below, the story on stage: its steps as they run and the
 * verdicts of its checks.
 */
export function mountPlayer(root: HTMLElement, studio: Studio): void {
  const select = h("select", { id: "scenario-select", "data-testid": "scenario-select" });
  const summary = h("p", { class: "summary", "data-testid": "scenario-summary" });
  const meta = h("p", { class: "quiet" });
  const objectives = h("ul", { class: "objectives", "data-testid": "scenario-objectives", "aria-label": "Learning objectives of the chosen scenario" });
  const load = h("button", { type: "submit", class: "primary", "data-testid": "scenario-load" }, "Load scenario");
  const library = h("p", { class: "quiet", "data-testid": "scenario-library-status" }, "Loading the library…");
  const chooser = h(
    "form",
    { class: "chooser", "aria-labelledby": "chooser-heading" },
    h("h3", { id: "chooser-heading" }, "Choose a story"),
    library,
    h("div", { class: "field" }, h("label", { for: "scenario-select" }, "Library scenario"), select),
    summary,
    meta,
    h("h4", {}, "Learning objectives"),
    objectives,
    h("div", { class: "button-row" }, load, h("span", { class: "hint" }, "It loads paused at its start: then Play or Step.")),
  );

  const stageTitle = h("span", { "data-testid": "stage-title" });
  const stageSummary = h("p", { class: "summary" });
  const stageObjectives = h("ul", { class: "objectives", "data-testid": "stage-objectives", "aria-label": "Learning objectives on stage" });
  const steps = h("ol", { class: "steps", "data-testid": "steps-list", tabindex: "0", "aria-label": "Steps" });
  const verdicts = h("ul", { class: "verdicts", "data-testid": "verdicts", tabindex: "0", "aria-label": "Checks" });
  const finished = h("p", { class: "finished", "data-testid": "stage-finished", hidden: true });
  const onStage = h(
    "section",
    { class: "on-stage", "aria-labelledby": "on-stage-heading" },
    h("h3", { id: "on-stage-heading" }, "On stage: ", stageTitle),
    stageSummary,
    h("h4", {}, "Objectives"),
    stageObjectives,
    finished,
    h("h4", {}, "Steps"),
    steps,
    h("h4", {}, "Checks"),
    verdicts,
  );
  root.replaceChildren(chooser, onStage);

  let scenarios: readonly ScenarioSummary[] = [];
  const preview = (): void => {
    const chosen = scenarios.find((s) => s.name === select.value);
    setText(summary, chosen?.summary ?? "");
    setText(meta, chosen ? `${chosen.steps} steps over ${chosen.days === 1 ? "1 day" : `${chosen.days} days`} · ${chosen.name}` : "");
    replaceKeepingFocus(objectives, (chosen?.objectives ?? []).map((o) => h("li", {}, o)));
    load.disabled = chosen === undefined;
  };
  // Until someone picks a story, the picker shows the one on stage.
  let picked = false;
  const showStaged = (): void => {
    const stage = studio.store.state?.stage;
    if (picked || !stage || !scenarios.some((s) => s.name === stage.name) || select.value === stage.name) return;
    select.value = stage.name;
    preview();
  };
  select.addEventListener("change", () => {
    picked = true;
    preview();
  });
  chooser.addEventListener("submit", (event) => {
    event.preventDefault();
    const chosen = scenarios.find((s) => s.name === select.value);
    if (chosen) void studio.stage({ op: "load", scenario: chosen.name }, `Load “${chosen.title}”`, "Loaded, paused at its start. Press Play or Step.");
  });
  load.disabled = true;

  void api.scenarios().then((answer) => {
    if (!answer.ok) {
      setText(library, `The library could not be loaded: ${problemText(answer.problem)}`);
      return;
    }
    scenarios = answer.value;
    setText(library, `${scenarios.length} scenarios in the library.`);
    setOptions(select, scenarios.map((s) => ({ value: s.name, label: s.title })));
    preview();
    showStaged();
  });

  let lastNext = -1;
  let drawn = "";
  studio.store.subscribe((state) => {
    const stage = state.stage;
    showStaged();
    // The clock moves ten times a second; the story on stage changes far less often.
    const key = JSON.stringify(stage);
    if (key === drawn) return;
    drawn = key;
    setText(stageTitle, stage.kind === "free" ? `${stage.title || "Free stage"} (no script)` : stage.title);
    setText(stageSummary, stage.summary || (stage.kind === "free" ? "Act with the controls; each action is listed as a step." : ""));
    replaceKeepingFocus(stageObjectives, stage.objectives.map((o) => h("li", {}, o)));
    replaceKeepingFocus(steps, stage.steps.length ? stage.steps.map(step) : [h("li", { class: "empty" }, "No steps yet.")]);
    stickToEnd(verdicts, () =>
      replaceKeepingFocus(verdicts, stage.verdicts.length ? stage.verdicts.map(verdict) : [h("li", { class: "empty" }, "No checks decided yet.")]),
    );
    showFinished(finished, stage);
    // Keep the next step (or, at the end, the last) in view inside the list, not the page, as the story moves.
    const found = stage.steps.findIndex((s) => s.state === "next");
    const next = found >= 0 ? found : stage.steps.length - 1;
    if (next !== lastNext && next >= 0) {
      const item = steps.children[next];
      if (item instanceof HTMLElement) steps.scrollTop = Math.max(0, item.offsetTop - steps.offsetTop - 8);
    }
    lastNext = next;
  });
}

function step(s: StepView): HTMLElement {
  const state = STEP_STATE[s.state];
  return h(
    "li",
    { class: `step step-${s.state}`, "data-state": s.state, "data-source": s.source },
    h("span", { class: `tag step-tag-${s.state}` }, h("span", { "aria-hidden": "true" }, `${state.icon} `), state.text),
    " ",
    h("span", { class: "when" }, s.local),
    s.source === "studio" ? h("span", { class: "quiet" }, " · from the studio") : "",
    s.say ? h("p", { class: "say" }, s.say) : "",
    s.action ? h("p", { class: "action" }, h("code", {}, s.action)) : "",
    s.outcome ? h("p", { class: "outcome-line" }, "→ ", s.outcome) : "",
    s.error ? h("p", { class: "error-line" }, "Refused: ", s.error) : "",
  );
}

function verdict(v: { readonly step: number; readonly description: string; readonly passed: boolean; readonly found: string }): HTMLElement {
  const children: Child[] = [
    h("span", { class: `tag verdict-${v.passed ? "passed" : "failed"}` }, v.passed ? "✓ passed" : "✗ failed"),
    ` Step ${v.step}: ${v.description}`,
  ];
  if (!v.passed && v.found) children.push(h("p", { class: "found" }, `Found: ${v.found}`));
  return h("li", { "data-passed": v.passed ? "yes" : "no" }, ...children);
}

function showFinished(element: HTMLElement, stage: StageView): void {
  element.hidden = !stage.finished;
  if (!stage.finished) return;
  const passed = stage.verdicts.filter((v) => v.passed).length;
  const total = stage.verdicts.length;
  setText(element, `Scenario finished: ${passed} of ${total} checks passed${passed === total ? "" : ` (${total - passed} failed)`}`);
  element.dataset["result"] = passed === total ? "passed" : "failed";
}
