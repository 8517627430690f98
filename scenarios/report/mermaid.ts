import type { JournalEvent } from "../../core/journal.ts";
import type { ScenarioResult } from "../run/result.ts";
import { story } from "./chapters.ts";
import { nameBook, type NameBook } from "./names.ts";
import { formatMoney, narrate } from "./narrate.ts";
import { oneLine } from "./one-line.ts";
import type { Reporter } from "./reporter.ts";
import { localTime } from "./time.ts";

/**
 * A Mermaid sequence diagram of the run's messages, for slides: the phones, the lock service, the lender,
 * the sync, support and the facilitator (only those that take part), each step's `say:` line as a note.
 * Consecutive heartbeats that change nothing fold into one arrow ("heartbeat ×24 (none)"), so a 30-day
 * story stays a few dozen lines. `verbose` draws every heartbeat. Several results give one diagram each,
 * separated by a blank line.
 */
export const mermaid: Reporter = (results, options) => {
  const diagrams = results.map((result) => mermaidText(sequenceOf(result, options.verbose === true)));
  // One scenario: a bare diagram, ready for a slide tool. Several: one Markdown document with a fenced
  // diagram each, since a Mermaid file holds only one diagram.
  if (diagrams.length === 1) return `${diagrams[0]}\n`;
  return results.map((result, i) => `## ${result.scenario.title}\n\n\`\`\`mermaid\n${diagrams[i]}\n\`\`\`\n`).join("\n");
};

/** More phones than this share one lane, "Other phones": a fleet would otherwise be too wide for a slide. */
const MAX_PHONE_LANES = 6;

const LOCK = "lock";
const LENDER = "lender";
const SYNC = "sync";
const SUPPORT = "support";
const FACILITATOR = "facilitator";
const OTHER_PHONES = "phones";

/**
 * The diagram as data, drawn as Mermaid text here and as SVG by the studio (sequence-svg.ts): lanes left to
 * right, then messages top to bottom.
 */
export interface SequenceModel {
  readonly title: string;
  readonly lanes: readonly { readonly id: string; readonly label: string }[];
  readonly items: readonly SequenceItem[];
}

export type SequenceItem =
  | { readonly kind: "arrow"; readonly from: string; readonly to: string; readonly style: ArrowStyle; readonly label: string }
  | { readonly kind: "note"; readonly over: string; readonly label: string }
  /** A step's `say:` line, across every lane. */
  | { readonly kind: "say"; readonly text: string };

/** `solid` is a call, `dashed` an answer; the `failed` ones did not arrive or were refused (Mermaid's cross). */
export type ArrowStyle = "solid" | "dashed" | "failed" | "dashed-failed";

/** Builds the sequence of a run: who talks to whom, with quiet stretches of heartbeats folded. */
export function sequenceOf(result: ScenarioResult, verbose = false): SequenceModel {
  return new Diagram(result, verbose).model();
}

const ARROWS: Readonly<Record<ArrowStyle, string>> = { solid: "->>", dashed: "-->>", failed: "-x", "dashed-failed": "--x" };

/** Mermaid's text for a sequence model. */
export function mermaidText(model: SequenceModel): string {
  const first = model.lanes[0]?.id ?? FACILITATOR;
  const last = model.lanes[model.lanes.length - 1]?.id ?? first;
  const span = first === last ? first : `${first},${last}`;
  // A title cannot hold # or ; at all (entity codes are not read there), so those are left out.
  const title = oneLine(model.title.replace(/[#;]+/g, " "));
  return [
    "sequenceDiagram",
    ...(title ? [`  title ${title}`] : []),
    ...model.lanes.map((lane) => `  participant ${lane.id} as ${text(lane.label)}`),
    ...model.items.map((item) => {
      switch (item.kind) {
        case "say":
          return `  Note over ${span}: ${text(item.text)}`;
        case "note":
          return `  Note over ${item.over}: ${text(item.label)}`;
        case "arrow":
          return `  ${item.from}${ARROWS[item.style]}${item.to}: ${text(item.label)}`;
      }
    }),
  ].join("\n");
}

/** A statement: an arrow or a note; the same statement back to back is drawn once, "×N". */
type Item =
  | { readonly kind: "line"; readonly shape: Shape; readonly label: string; readonly times: number }
  | { readonly kind: "say"; readonly text: string };

type Shape = { readonly kind: "arrow"; readonly from: string; readonly style: ArrowStyle; readonly to: string } | { readonly kind: "note"; readonly over: string };

function lanesOf(shape: Shape): readonly string[] {
  return shape.kind === "arrow" ? [shape.from, shape.to] : [shape.over];
}

function sameShape(a: Shape, b: Shape): boolean {
  return a.kind === "arrow" && b.kind === "arrow" ? a.from === b.from && a.to === b.to && a.style === b.style : a.kind === "note" && b.kind === "note" && a.over === b.over;
}

class Diagram {
  private readonly names: NameBook;
  private readonly phoneLanes = new Map<string, string>();
  private readonly labels = new Map<string, string>();
  private readonly items: Item[] = [];
  private readonly used = new Set<string>();
  /** Routine heartbeat exchanges not drawn yet, per phone lane, in the order they began. */
  private readonly runs = new Map<string, number>();
  /** What each phone said in its last heartbeat, for the answer's arrow. */
  private readonly reported = new Map<string, string>();

  constructor(
    private readonly result: ScenarioResult,
    private readonly verbose: boolean,
  ) {
    this.names = nameBook(result);
    Object.keys(result.devices).forEach((name, i) => {
      const lane = i < MAX_PHONE_LANES ? `phone${i + 1}` : OTHER_PHONES;
      this.phoneLanes.set(name, lane);
      if (lane !== OTHER_PHONES) this.labels.set(lane, name);
    });
    this.labels.set(OTHER_PHONES, "Other phones");
    this.labels.set(LOCK, "Lock service");
    this.labels.set(LENDER, "Lender");
    this.labels.set(SYNC, "Sync");
    this.labels.set(SUPPORT, "Support");
    this.labels.set(FACILITATOR, "Facilitator");
  }

  model(): SequenceModel {
    const { prelude, chapters } = story(this.result);
    for (const event of prelude) this.event(event);
    for (const { step, during, after } of chapters) {
      if (step.say) this.push({ kind: "say", text: `${step.index + 1}. ${step.say}` });
      for (const event of [...during, ...after]) this.event(event);
    }
    this.flush();
    if (this.used.size === 0) this.used.add(FACILITATOR);
    const lanes = [...this.labels.keys()].filter((lane) => this.used.has(lane)).sort((a, b) => laneRank(a) - laneRank(b));
    return {
      title: this.result.scenario.title,
      lanes: lanes.map((id) => ({ id, label: this.labels.get(id) ?? id })),
      items: this.items.map((item): SequenceItem => {
        if (item.kind === "say") return item;
        const label = item.times > 1 ? `${item.label} ×${item.times}` : item.label;
        return item.shape.kind === "arrow" ? { kind: "arrow", from: item.shape.from, to: item.shape.to, style: item.shape.style, label } : { kind: "note", over: item.shape.over, label };
      }),
    };
  }

  private event(event: JournalEvent): void {
    const d = event.data;
    const str = (key: string) => {
      const value = d[key];
      return typeof value === "string" || typeof value === "number" || typeof value === "boolean" ? String(value) : "";
    };
    const phone = this.phoneOf(event);
    const when = (key: string) => (str(key) ? localTime(str(key), this.result.timeZone) : "?");
    switch (event.type) {
      case "device.registered":
        return this.arrow(LENDER, "->>", LOCK, `register ${this.phoneName(event)}`);
      case "default.reported":
        return this.arrow(LENDER, "->>", LOCK, `missed installment ${formatMoney(d["amountDue"])} (${str("gracePeriod") ? `grace ${str("gracePeriod")}` : "no grace"})`);
      case "payment.recorded":
        return this.arrow(LENDER, "->>", LOCK, `payment ${formatMoney(d["amount"])}`);
      case "loan.completed":
        return this.arrow(LENDER, "->>", LOCK, "loan paid off");
      case "account.viewed":
        return this.arrow(LENDER, "->>", LOCK, `view account ${str("accountId")}`);
      case "checkin":
        return this.arrow(phone, "->>", LOCK, "check-in");
      case "checkin.answered":
        return this.arrow(LOCK, "-->>", phone, str("status") === "stop" ? "stop (not financed)" : d["reenrolment"] === true ? "enrolled again" : "enrolled");
      case "heartbeat":
        this.reported.set(phone, [str("state"), str("lockReason")].filter(Boolean).join(", "));
        return;
      case "heartbeat.answered":
        return this.heartbeat(phone, str("command") || "none", str("standing"));
      case "command.issued":
      case "command.acknowledged":
      case "device.command_applied":
      case "device.enrolled":
        return; // the heartbeat's answer and the state note already show these
      case "unlock_attempt":
        return this.arrow(phone, "->>", LOCK, "unlock code");
      case "unlock_attempt.answered":
        return this.arrow(LOCK, "-->>", phone, str("result").replace(/_/g, " "));
      case "standing.changed":
        return this.note(LOCK, `account ${str("accountId")}: ${str("from")} → ${str("to")}`);
      case "fault.applied":
        return str("kind") === "forge"
          ? this.arrow(LOCK, "--x", phone, "forged unlock (bad signature)")
          : this.note(LOCK, `${str("kind")} fault hits ${str("operation") || "a call"}`);
      case "sync.scheduled":
        return this.arrow(LOCK, "->>", SYNC, `sync due ${when("expectedBy")}`);
      case "sync.completed":
        return this.arrow(SYNC, "->>", LOCK, "payment synced");
      case "sync.failed":
        return this.arrow(SYNC, "-x", LOCK, `sync failed: ${str("error")}`);
      case "device.looked_up":
        return this.arrow(SUPPORT, "->>", LOCK, `look up ${this.phoneName(event)}`);
      case "sync.refresh_requested":
        return this.arrow(SUPPORT, "->>", LOCK, `refresh sync of ${this.phoneName(event)}`);
      case "unlock_code.issued":
        return this.arrow(SUPPORT, "->>", LOCK, `unlock code for ${this.phoneName(event)}: ${str("code")}`);
      case "offline_code.issued":
        return this.arrow(SUPPORT, "->>", LOCK, `answer challenge ${str("challenge")}`);
      case "clock.changed":
        return this.arrow(FACILITATOR, "->>", LOCK, `clock to ${when("to")}`);
      case "fault.added":
        return this.arrow(FACILITATOR, "->>", LOCK, `inject ${str("kind")} fault${str("target") ? ` for ${str("target")}` : ""}`);
      case "faults.cleared":
        return this.arrow(FACILITATOR, "->>", LOCK, "clear faults");
      case "sim.reset":
        return this.arrow(FACILITATOR, "->>", LOCK, "reset");
      case "device.state_changed":
        return this.note(phone, str("to") === "locked" ? `locked (${str("lockReason")})` : str("to"));
      case "device.heartbeat_failed":
        return this.arrow(phone, "-x", LOCK, `heartbeat fails: ${str("error")}`);
      case "device.checkin_failed":
        return this.arrow(phone, "-x", LOCK, `check-in fails: ${str("error")}`);
      default: {
        const note = phoneNotes[event.type];
        if (note) return this.note(phone, note({ str, when, money: formatMoney(d["amount"]) }));
        // Anything else is told in words, on the lane of whoever did it.
        return this.note(event.actor === "device" || event.actor === "owner" ? phone : actorLane(event.actor), narrate(event, this.names));
      }
    }
  }

  private heartbeat(phone: string, command: string, standing: string): void {
    if (command === "none" && !this.verbose) {
      this.used.add(phone).add(LOCK);
      this.runs.set(phone, (this.runs.get(phone) ?? 0) + 1);
      return;
    }
    this.arrow(phone, "->>", LOCK, `heartbeat (${this.reported.get(phone) || "?"})`);
    this.arrow(LOCK, "-->>", phone, command === "none" ? "none" : `${command} (standing ${standing})`);
  }

  private arrow(from: string, arrow: "->>" | "-->>" | "-x" | "--x", to: string, label: string): void {
    const style = (Object.keys(ARROWS) as ArrowStyle[]).find((key) => ARROWS[key] === arrow) ?? "solid";
    this.push({ kind: "line", shape: { kind: "arrow", from, style, to }, label, times: 1 });
  }

  private note(lane: string, label: string): void {
    this.push({ kind: "line", shape: { kind: "note", over: lane }, label, times: 1 });
  }

  private push(item: Item): void {
    this.flush();
    const last = this.items[this.items.length - 1];
    // An offline phone fails to call home dozens of times: one arrow says it, with how often.
    if (item.kind === "line" && last?.kind === "line" && sameShape(last.shape, item.shape) && last.label === item.label) {
      this.items[this.items.length - 1] = { ...last, times: last.times + 1 };
      return;
    }
    this.items.push(item);
    if (item.kind === "line") for (const lane of lanesOf(item.shape)) this.used.add(lane);
  }

  /** Draws the folded heartbeats: one arrow per phone for the whole quiet stretch. */
  private flush(): void {
    const runs = [...this.runs];
    this.runs.clear();
    for (const [phone, n] of runs) {
      this.items.push({ kind: "line", shape: { kind: "arrow", from: phone, style: "solid", to: LOCK }, label: n === 1 ? "heartbeat (none)" : `heartbeat ×${n} (none)`, times: 1 });
    }
  }

  private phoneName(event: JournalEvent): string {
    const id = event.data["deviceId"] ?? event.data["imei"];
    return (typeof id === "string" ? this.names.devices.get(id) : undefined) ?? (typeof id === "string" ? id : "a phone");
  }

  private phoneOf(event: JournalEvent): string {
    const name = this.names.devices.get(String(event.data["deviceId"] ?? "")) ?? this.names.devices.get(String(event.data["imei"] ?? ""));
    return (name !== undefined ? this.phoneLanes.get(name) : undefined) ?? OTHER_PHONES;
  }
}

interface Fields {
  readonly str: (key: string) => string;
  readonly when: (key: string) => string;
  readonly money: string;
}

/** The phone's own verdicts and its owner's actions, as short notes over the phone. */
const phoneNotes: Record<string, (fields: Fields) => string> = {
  "device.response_rejected": ({ str }) => `rejects an answer (${str("reason")})`,
  "device.checkin_refused": () => 'ignores an unsigned "stop"',
  "device.credentials_rejected": () => "token rejected: checks in again",
  "device.offline_warning": ({ when }) => `offline warning: locks ${when("lockAt")}`,
  "device.unlocked_by_code": () => "unlocked by code",
  "device.offline_code_accepted": () => "offline code accepted",
  "device.offline_code_rejected": () => "offline code rejected",
  "device.powered_on": () => "owner switches it on",
  "device.powered_off": () => "owner switches it off",
  "device.rebooted": () => "owner restarts it",
  "device.factory_reset": () => "owner erases it (factory reset)",
  "device.online": () => "back online",
  "device.offline": () => "offline",
  "owner.code_entered": () => "owner types an unlock code",
  "owner.offline_code_entered": () => "owner types an offline code",
  "owner.paid": ({ money }) => `owner pays ${money}`,
  "owner.sold": ({ str }) => `owner sells it to ${str("to")}`,
};

function actorLane(actor: string): string {
  switch (actor) {
    case "lender":
      return LENDER;
    case "sync":
      return SYNC;
    case "support":
      return SUPPORT;
    case "facilitator":
      return FACILITATOR;
    default:
      return LOCK;
  }
}

/** Phones on the left, then the lock service, then the parties that talk to it. */
function laneRank(lane: string): number {
  if (lane.startsWith("phone")) return lane === OTHER_PHONES ? 7 : Number(lane.slice(5));
  return { [LOCK]: 10, [LENDER]: 11, [SYNC]: 12, [SUPPORT]: 13, [FACILITATOR]: 14 }[lane] ?? 20;
}

const ENTITIES: Readonly<Record<string, string>> = { "#": "#35;", ";": "#59;", "%": "#37;", '"': "#quot;", "<": "#lt;", ">": "#gt;" };

/**
 * Message text Mermaid can parse: `;` ends a statement, `#` starts a comment and `%%` another, so these
 * (and quotes and angle brackets, which it would read as HTML) become Mermaid's own entity codes, like
 * `#59;`. A line break would end the message, so it becomes a space.
 */
export function text(label: string): string {
  return oneLine(label).replace(/[#;%"<>]/g, (c) => ENTITIES[c] ?? c);
}
