import { api, subscribe, type Connection } from "./api.ts";
import { setText } from "./dom.ts";
import { Feedback } from "./feedback.ts";
import { mountChartsPanel } from "./charts-panel.ts";
import { mountClockBar } from "./clock-bar.ts";
import { mountControls } from "./controls.ts";
import { mountDiagram } from "./diagram.ts";
import { mountOwnerControls } from "./owner.ts";
import { mountPhone } from "./phone.ts";
import { mountPlayer } from "./player.ts";
import { mountServerPanel } from "./server-panel.ts";
import { Store } from "./store.ts";
import { Studio } from "./studio.ts";
import { Timeline } from "./timeline.ts";
import { mountGuidance, mountPresenterToggle, mountRewind } from "./workshop.ts";

/** Wiring only: find the shell's regions (page.ts), mount each view, then listen to the server. */

function region(id: string): HTMLElement {
  const element = document.getElementById(id);
  if (!element) throw new Error(`The studio page has no #${id}; page.ts and main.ts disagree.`);
  return element;
}

const store = new Store();
const studio = new Studio(store, new Feedback(region("action-outcome"), region("action-error")));

mountClockBar(region("clock-bar"), region("reset-slot"), studio);
const phoneRoot = region("phone");
const handset = document.createElement("div");
const owner = document.createElement("div");
phoneRoot.replaceChildren(handset, owner);
mountPhone(handset, studio);
mountOwnerControls(owner, studio);
mountServerPanel(region("server-panel"), store);
mountControls(region("controls"), studio);
mountPlayer(region("player"), studio);
const timeline = new Timeline(region("timeline"), async (before) => {
  const answer = await api.earlier(before);
  return answer.ok ? answer.value : [];
});
const showDiagram = mountDiagram(region("diagram-panel"));
mountRewind(region("rewind-panel"), studio, (seq) => timeline.entry(seq));
mountPresenterToggle(region("presenter-slot"));
mountGuidance(region("guidance"), studio, () => store.selectedName);
mountChartsPanel(region("charts-panel"));

// The caption is a live region: it is written only when the line changes, so each is announced once.
const caption = region("caption");
store.subscribe((state) => {
  const text = state.stage.caption ?? "";
  setText(caption, text);
});

// The header sticks to the top; focus moved by Tab must not land underneath it (WCAG 2.4.11).
const header = region("top");
new ResizeObserver(() => document.documentElement.style.setProperty("--header-height", `${header.offsetHeight}px`)).observe(header);

// Projector layout: the handset is scaled so that all of it fits the phone panel's height (studio.css).
const phonePanel = region("phone").closest("section");
const fitPhone = () => {
  const frame = phonePanel?.querySelector<HTMLElement>(".phone-frame");
  if (!phonePanel || !frame) return;
  const current = Number(getComputedStyle(frame).zoom) || 1;
  const natural = frame.getBoundingClientRect().height / current;
  const top = frame.getBoundingClientRect().top - phonePanel.getBoundingClientRect().top + phonePanel.scrollTop;
  const room = phonePanel.clientHeight - top - 8;
  const zoom = natural > 0 && room > 0 ? Math.min(1, Math.max(0.45, room / natural)) : 1;
  document.documentElement.style.setProperty("--phone-zoom", zoom.toFixed(3));
};
if (phonePanel) new ResizeObserver(fitPhone).observe(phonePanel);
store.subscribe(() => requestAnimationFrame(fitPhone));

const connection = region("connection");
const CONNECTION_TEXT: Readonly<Record<Connection, string>> = { connecting: "Connecting…", live: "● Live", reconnecting: "Reconnecting…" };
let afresh = false;
const stream = subscribe({
  state: (state) => {
    // A story that starts over (loaded or reset from another window) sets the clock back: its journal is a
    // new one, which the stream's welcome replays from the start.
    const shown = store.state;
    if (shown && !afresh && Date.parse(state.clock.now) < Date.parse(shown.clock.now)) {
      newStory();
      return;
    }
    store.apply(state, afresh);
    afresh = false;
  },
  event: (entry) => timeline.add(entry),
  diagram: showDiagram,
  connection: (status) => {
    setText(connection, CONNECTION_TEXT[status]);
    connection.dataset["status"] = status;
  },
});

/** A new story on stage: the old timeline goes, and the reopened stream tells the new one from its start. */
function newStory(): void {
  timeline.clear();
  afresh = true; // the welcome's state is shown whatever its revision
  stream.restart();
}
studio.onNewStage = newStory;

// The stream's first message carries the state too; fetching it as well shows the stage without waiting.
void api.state().then((answer) => {
  if (answer.ok) store.apply(answer.value);
  else studio.note(`Could not read the stage: ${answer.problem.detail ?? answer.problem.title}`);
});
