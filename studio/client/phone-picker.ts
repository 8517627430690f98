import type { DeviceView } from "../contract.ts";
import { h, setOptions, setText } from "./dom.ts";

/** From this many phones up the picker has a search field: a list of two needs none. */
const SEARCH_FROM = 6;

/** The option shown first while the phone on screen is not among the matches: choosing it does nothing. */
const NONE = "";

/**
 * Which phone the phone panel shows: a select of the phones on stage and, on a stage of many, a search field
 * above it. Typing part of a name, IMEI, device id, account, owner or model narrows the select to the phones
 * that match every word; Enter shows the first match, Escape clears the search. The phone on screen stays
 * until another is chosen. Built from the state's device list; the options are replaced only when the list or
 * the search changed, so a thousand phones at ten states a second cost one comparison per phone.
 */
export class PhonePicker {
  readonly element: HTMLElement;
  private readonly select: HTMLSelectElement;
  private readonly search: HTMLInputElement;
  private readonly searchField: HTMLElement;
  private readonly status: HTMLElement;
  private devices: readonly DeviceView[] = [];
  private selected: string | undefined;
  private matches: readonly DeviceView[] = [];
  private drawn = "";

  constructor(private readonly choose: (name: string) => void) {
    this.select = h("select", { id: "device-select", "data-testid": "device-select" });
    this.search = h("input", {
      id: "device-search",
      type: "search",
      "data-testid": "device-search",
      autocomplete: "off",
      spellcheck: "false",
      placeholder: "Name, IMEI or account",
      "aria-controls": "device-select",
      "aria-describedby": "device-search-status",
    });
    this.status = h("span", { id: "device-search-status", class: "quiet", "data-testid": "device-search-status", "aria-live": "polite" });
    this.searchField = h("div", { class: "field device-search" }, h("label", { for: "device-search" }, "Find a phone"), this.search, this.status);
    this.element = h("div", { class: "device-pickers" }, this.searchField, h("div", { class: "field device-picker" }, h("label", { for: "device-select" }, "Phone on stage"), this.select));

    this.select.addEventListener("change", () => {
      if (this.select.value !== NONE) this.choose(this.select.value);
    });
    this.search.addEventListener("input", () => this.draw());
    this.search.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        const first = this.matches[0];
        if (first) this.choose(first.name);
      } else if (event.key === "Escape" && this.search.value !== "") {
        event.preventDefault();
        this.search.value = "";
        this.draw();
      }
    });
  }

  /** The phones on stage and the one on screen, from the latest state. */
  update(devices: readonly DeviceView[], selected: string | undefined): void {
    this.devices = devices;
    this.selected = selected;
    this.element.hidden = devices.length < 2;
    this.searchField.hidden = devices.length < SEARCH_FROM;
    this.draw();
  }

  private draw(): void {
    const query = this.searchField.hidden ? "" : this.search.value;
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    // Redrawn only when the phones, the one on screen or the search changed (the key is cheap beside 1,000 options).
    const key = `${query}\n${this.selected ?? ""}\n${this.devices.map((device) => `${device.name}\t${device.owner ?? ""}\t${device.deviceId ?? ""}`).join("\n")}`;
    if (key === this.drawn) return;
    this.drawn = key;
    this.matches = words.length === 0 ? this.devices : this.devices.filter((device) => words.every((word) => fields(device).some((field) => field.includes(word))));
    const options = this.matches.map((device) => ({ value: device.name, label: label(device, words) }));
    const shown = this.matches.some((device) => device.name === this.selected);
    const choice = this.matches.length === 0 ? "No phone matches" : `Choose one of ${this.matches.length} matching ${this.matches.length === 1 ? "phone" : "phones"}`;
    setOptions(this.select, shown || this.selected === undefined ? options : [{ value: NONE, label: choice }, ...options]);
    this.select.value = shown && this.selected !== undefined ? this.selected : NONE;
    setText(this.status, words.length === 0 ? "" : `${this.matches.length} of ${this.devices.length} phones`);
  }
}

/** What a search word is looked for in, lower case. */
function fields(device: DeviceView): string[] {
  return [device.name, device.imei, device.deviceId, device.account, device.owner, device.model].flatMap((field) => (field === undefined ? [] : [field.toLowerCase()]));
}

/** "phone-8 (Amara)", and while searching the IMEI, account or model that matched when the name did not. */
function label(device: DeviceView, words: readonly string[]): string {
  const name = device.owner ? `${device.name} (${device.owner})` : device.name;
  const matched = words.length === 0 ? undefined : [device.account, device.imei, device.deviceId, device.model].find((field) => field !== undefined && words.some((word) => field.toLowerCase().includes(word) && !name.toLowerCase().includes(word)));
  return matched === undefined ? name : `${name} · ${matched}`;
}
