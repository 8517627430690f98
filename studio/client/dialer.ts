import type { DeviceView } from "../contract.ts";
import { h, setText } from "./dom.ts";

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
  private device: DeviceView | undefined;
  private lenderNumber: string | undefined;

  constructor() {
    this.heading = h("h3", { class: "app-title", tabindex: "-1" });
    this.hint = h("p", { class: "app-hint" });
    this.input = h("input", { id: "dialer-input", class: "dialer-input", "data-testid": "dialer-input", inputmode: "tel", autocomplete: "off" });
    this.input.type = "text";
    this.status = h("p", { class: "dialer-status", "data-testid": "dialer-status", "aria-live": "polite" });
    this.imeiText = h("p", { class: "imei-text", "data-testid": "imei-text", "aria-live": "polite", hidden: true });

    const keys = h("div", { class: "keys", role: "group", "aria-label": "Dial pad" });
    for (const key of ["1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "0", "#"]) {
      keys.append(h("button", { type: "button", class: "key", "data-key": key }, key));
    }
    keys.addEventListener("click", (event) => {
      const key = event.target instanceof Element ? event.target.closest<HTMLButtonElement>("button[data-key]")?.dataset["key"] : undefined;
      if (key === undefined) return;
      this.input.value += key;
      this.typed();
    });
    const back = h("button", { type: "button", class: "key-small", "aria-label": "Delete last character" }, "⌫");
    back.addEventListener("click", () => {
      this.input.value = this.input.value.slice(0, -1);
      this.typed();
    });
    const call = h("button", { type: "submit", class: "primary call", "data-testid": "dialer-call" }, "Call");
    const form = h(
      "form",
      { class: "dialer" },
      h("label", { for: "dialer-input", class: "dialer-label" }, "Number"),
      h("div", { class: "dialer-line" }, this.input, back),
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
  open(mode: DialerMode, device: DeviceView, lenderNumber: string | undefined): void {
    this.device = device;
    this.lenderNumber = lenderNumber;
    this.input.value = mode === "emergency" ? "112" : mode === "lender" ? (lenderNumber ?? "") : "";
    setText(this.status, "");
    this.imeiText.hidden = true;
    setText(this.imeiText, "");
    setText(this.heading, { emergency: "Emergency call", imei: "IMEI", lender: "Call the lender" }[mode]);
    setText(
      this.hint,
      {
        emergency: "Emergency calls always work, even on a locked phone. This one is simulated.",
        imei: `Every phone shows its IMEI, locked or not; dialling ${IMEI_CODE} shows it too. Check it before buying a used phone.`,
        lender: lenderNumber ? "The lender's number from the lock screen. The call is simulated." : "No phone number for the lender on this screen.",
      }[mode],
    );
    // "Show IMEI" shows it at once; the dial pad below still answers *#06#, as every phone does.
    if (mode === "imei") this.revealImei();
  }

  update(device: DeviceView): void {
    this.device = device;
    if (!this.imeiText.hidden) setText(this.imeiText, `IMEI ${device.imei}`);
  }

  focus(): void {
    this.heading.focus();
  }

  private typed(): void {
    setText(this.status, "");
    if (this.input.value.endsWith(IMEI_CODE)) this.revealImei();
  }

  private revealImei(): void {
    if (!this.device) return;
    setText(this.imeiText, `IMEI ${this.device.imei}`);
    this.imeiText.hidden = false;
  }

  private call(): void {
    const number = this.input.value.trim();
    if (number === "") {
      setText(this.status, "Type a number first.");
    } else if (number.endsWith(IMEI_CODE)) {
      this.revealImei();
    } else if (EMERGENCY.has(number)) {
      setText(this.status, `Calling ${number} — simulated; emergency calls always work.`);
    } else if (!this.device?.screen.actions.includes("all_apps") && number !== this.lenderNumber) {
      setText(this.status, "From the lock screen only emergency numbers and the lender can be called.");
    } else {
      setText(this.status, `Calling ${number} — simulated.`);
    }
  }
}
