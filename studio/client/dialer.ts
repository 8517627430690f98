import type { DeviceView } from "../contract.ts";
import type { Copywriter } from "../../copy/format.ts";
import { h, setAttrs, setText } from "./dom.ts";
import type { PhoneWords } from "./phone-copy.ts";

export type DialerMode = "emergency" | "imei" | "lender";

/** Numbers a locked phone always calls (a few countries' emergency numbers; all simulated). */
const EMERGENCY = new Set(["112", "911", "999", "000", "110", "119", "190", "192", "193", "100", "101", "102", "108", "15", "17", "18"]);
const IMEI_CODE = "*#06#";

/**
 * A simulated dialer: emergency calls, calling the lender, and *#06# for the IMEI, which every phone shows
 * even when locked (it is how a buyer checks a used phone). No call ever leaves the page.
 */
export class Dialer {
  readonly element: HTMLElement;
  private readonly heading: HTMLElement;
  private readonly hint: HTMLElement;
  private readonly input: HTMLInputElement;
  private readonly status: HTMLElement;
  private readonly imeiText: HTMLElement;
  private readonly keys: HTMLElement;
  private readonly back: HTMLButtonElement;
  private readonly callButton: HTMLButtonElement;
  private readonly label: HTMLElement;
  private device: DeviceView | undefined;
  private lenderNumber: string | undefined;
  private mode: DialerMode = "emergency";
  private copy: Copywriter | undefined;
  private lender = "";
  /** What the status line says, as a deck key and its values, so it is reworded when the deck changes. */
  private said: { key: string; number?: string } | undefined;

  constructor() {
    this.heading = h("h3", { class: "app-title", tabindex: "-1" });
    this.hint = h("p", { class: "app-hint" });
    this.input = h("input", { id: "dialer-input", class: "dialer-input", "data-testid": "dialer-input", inputmode: "tel", autocomplete: "off" });
    this.input.type = "text";
    this.status = h("p", { class: "dialer-status", "data-testid": "dialer-status", "aria-live": "polite" });
    this.imeiText = h("p", { class: "imei-text", "data-testid": "imei-text", "aria-live": "polite", hidden: true });

    const keys = h("div", { class: "keys", role: "group", dir: "ltr" });
    this.keys = keys;
    for (const key of ["1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "0", "#"]) {
      keys.append(h("button", { type: "button", class: "key", "data-key": key }, key));
    }
    keys.addEventListener("click", (event) => {
      const key = event.target instanceof Element ? event.target.closest<HTMLButtonElement>("button[data-key]")?.dataset["key"] : undefined;
      if (key === undefined) return;
      this.input.value += key;
      this.typed();
    });
    const back = h("button", { type: "button", class: "key-small" }, "⌫");
    this.back = back;
    back.addEventListener("click", () => {
      this.input.value = this.input.value.slice(0, -1);
      this.typed();
    });
    const call = h("button", { type: "submit", class: "primary call", "data-testid": "dialer-call" });
    this.callButton = call;
    this.label = h("label", { for: "dialer-input", class: "dialer-label" });
    const form = h(
      "form",
      { class: "dialer" },
      this.label,
      h("div", { class: "dialer-line", dir: "ltr" }, this.input, back),
      this.status,
      this.imeiText,
      keys,
      call,
    );
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.call();
    });
    this.input.addEventListener("input", () => {
      this.input.value = this.input.value.replace(/[^0-9*#+]/g, "");
      this.typed();
    });

    this.element = h("div", { class: "app dialer-app" }, this.heading, this.hint, form);
  }

  /** Opens in a mode: the emergency dialer starts with 112, the lender's with their number. */
  open(mode: DialerMode, device: DeviceView, lenderNumber: string | undefined, words: PhoneWords): void {
    this.device = device;
    this.mode = mode;
    this.lenderNumber = lenderNumber;
    this.input.value = mode === "emergency" ? "112" : mode === "lender" ? (lenderNumber ?? "") : "";
    this.said = undefined;
    this.imeiText.hidden = true;
    this.update(device, words);
    // "Show IMEI" shows it at once; the dial pad below still answers *#06#, as every phone does.
    if (mode === "imei") this.revealImei();
  }

  /** Every word of the dialer from the phone's deck (or the previewed one). */
  update(device: DeviceView, words: PhoneWords): void {
    this.device = device;
    const copy = words.copy;
    this.copy = copy;
    this.lender = device.screen.facts.lender.name ?? copy.text("lender.unnamed");
    setAttrs(this.element, { lang: words.text.locale, dir: words.text.dir });
    setText(this.heading, this.mode === "emergency" ? copy.text("dialer.emergency.title") : this.mode === "imei" ? copy.text("dialer.imei.title") : copy.text("dialer.lender.title", { lender: this.lender }));
    setText(
      this.hint,
      this.mode === "emergency"
        ? copy.text("dialer.emergency.hint")
        : this.mode === "imei"
          ? copy.text("dialer.imei.hint")
          : this.lenderNumber
            ? copy.text("dialer.lender.hint")
            : copy.text("dialer.lender.noNumber", { lender: this.lender }),
    );
    setText(this.label, copy.text("dialer.number"));
    setText(this.callButton, copy.text("dialer.call"));
    setAttrs(this.keys, { "aria-label": copy.text("dialer.pad") });
    setAttrs(this.back, { "aria-label": copy.text("dialer.delete") });
    setText(this.status, this.said ? copy.text(this.said.key, { number: this.said.number ?? "", lender: this.lender }) : "");
    if (!this.imeiText.hidden) setText(this.imeiText, copy.text("dialer.imei.value", { imei: device.imei }));
  }

  focus(): void {
    this.heading.focus();
  }

  private say(key: string, number?: string): void {
    this.said = number === undefined ? { key } : { key, number };
    setText(this.status, this.copy?.text(key, { number: number ?? "", lender: this.lender }) ?? "");
  }

  private typed(): void {
    this.said = undefined;
    setText(this.status, "");
    if (this.input.value.endsWith(IMEI_CODE)) this.revealImei();
  }

  private revealImei(): void {
    if (!this.device) return;
    setText(this.imeiText, this.copy?.text("dialer.imei.value", { imei: this.device.imei }) ?? this.device.imei);
    this.imeiText.hidden = false;
  }

  private call(): void {
    const number = this.input.value.trim();
    if (number === "") {
      this.say("dialer.empty");
    } else if (number.endsWith(IMEI_CODE)) {
      this.revealImei();
    } else if (EMERGENCY.has(number)) {
      this.say("dialer.callingEmergency", number);
    } else if (!this.device?.screen.actions.includes("all_apps") && number !== this.lenderNumber) {
      this.say("dialer.refused");
    } else {
      this.say("dialer.calling", number);
    }
  }
}
