import type { KeypadView } from "../../device-sim/lock-screen.ts";
import type { DeviceView } from "../contract.ts";
import { h, setText } from "./dom.ts";
import { formatLocal } from "./time.ts";

const DIGITS = 8;

/**
 * The lock screen's code keypad: eight digits from real buttons or the keyboard. It is built once and only
 * updated, so the typed digits and the focused key survive the many state updates of a playing clock.
 */
export class Keypad {
  readonly element: HTMLElement;
  private readonly input: HTMLInputElement;
  private readonly submit: HTMLButtonElement;
  private readonly attempts: HTMLElement;
  private readonly message: HTMLElement;
  private readonly challenge: HTMLElement;
  private readonly heading: HTMLElement;
  private mode: KeypadView["mode"] = "online";
  private device: string | undefined;
  private sending = false;
  /** The keypad's own word ("type all 8 digits"), kept until the digits change: states arrive ten times a second. */
  private note = "";
  /** The server's keypad message, and until when the keypad is closed (undefined: open). */
  private keypadMessage = "";
  private cooling: string | undefined;

  constructor(private readonly onSubmit: (code: string, mode: KeypadView["mode"]) => Promise<void>) {
    this.heading = h("h3", { class: "app-title", tabindex: "-1" }, "Enter unlock code");
    this.input = h("input", {
      id: "keypad-input",
      "data-testid": "keypad-input",
      class: "keypad-input",
      inputmode: "numeric",
      autocomplete: "off",
      maxlength: DIGITS,
      pattern: "[0-9]{8}",
      "aria-describedby": "keypad-attempts keypad-message",
    });
    this.input.type = "text";
    this.submit = h("button", { type: "submit", class: "primary", "data-testid": "keypad-submit" }, "Unlock");
    this.attempts = h("p", { id: "keypad-attempts", class: "keypad-attempts", "data-testid": "keypad-attempts" });
    this.message = h("p", { id: "keypad-message", class: "keypad-message", "data-testid": "keypad-message", "aria-live": "polite" });
    this.challenge = h("p", { class: "keypad-challenge", "data-testid": "keypad-challenge" });

    const keys = h("div", { class: "keys", role: "group", "aria-label": "Digits" });
    for (const digit of ["1", "2", "3", "4", "5", "6", "7", "8", "9"]) keys.append(this.key(digit));
    keys.append(
      h("button", { type: "button", class: "key key-small", "aria-label": "Clear all digits", "data-key": "clear" }, "Clear"),
      this.key("0"),
      h("button", { type: "button", class: "key key-small", "aria-label": "Delete last digit", "data-key": "back" }, "⌫"),
    );
    keys.addEventListener("click", (event) => {
      const key = event.target instanceof Element ? event.target.closest<HTMLButtonElement>("button[data-key]") : null;
      const value = key?.dataset["key"];
      if (value === "clear") this.setDigits("");
      else if (value === "back") this.setDigits(this.input.value.slice(0, -1));
      else if (value !== undefined) this.setDigits(this.input.value + value);
    });

    const form = h(
      "form",
      { class: "keypad", "aria-labelledby": "keypad-heading" },
      h("label", { for: "keypad-input", class: "keypad-label" }, "Code (8 digits)"),
      this.input,
      keys,
      this.submit,
    );
    this.heading.id = "keypad-heading";
    form.noValidate = true; // We say what is wrong in the keypad's own words rather than the browser's bubble.
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      void this.send();
    });
    this.input.addEventListener("input", () => this.setDigits(this.input.value));
    // Typing digits works with focus anywhere on the keypad, as on a phone, not only in the field.
    form.addEventListener("keydown", (event) => {
      if (event.target === this.input || event.ctrlKey || event.metaKey || event.altKey) return;
      if (/^[0-9]$/.test(event.key)) {
        event.preventDefault();
        this.setDigits(this.input.value + event.key);
      } else if (event.key === "Backspace") {
        event.preventDefault();
        this.setDigits(this.input.value.slice(0, -1));
      }
    });

    this.element = h("div", { class: "app keypad-app" }, this.heading, this.challenge, this.attempts, this.message, form);
  }

  /** Shows the device's keypad state; digits are kept unless the phone changed. */
  update(device: DeviceView, now: string, timeZone: string): void {
    const keypad = device.screen.keypad;
    if (device.name !== this.device) {
      this.device = device.name;
      this.input.value = "";
    }
    this.mode = keypad?.mode ?? "online";
    setText(this.heading, this.mode === "offline" ? "Enter offline code" : "Enter unlock code");
    this.challenge.hidden = !keypad?.challenge;
    setText(this.challenge, keypad?.challenge ? `Challenge: ${keypad.challenge} — read it to support, who answer with an offline code.` : "");
    const left = keypad?.attemptsLeft;
    setText(this.attempts, left === undefined ? "" : left === 1 ? "1 attempt left" : `${left} attempts left`);
    const until = coolingUntil(device, keypad, now, timeZone);
    // A disabled button drops focus; whoever just pressed it goes back to the field rather than to nowhere.
    if (until && document.activeElement === this.submit) this.input.focus();
    this.submit.disabled = until !== undefined;
    this.cooling = until;
    this.keypadMessage = keypad?.message ?? "";
    this.showMessage();
  }

  focus(): void {
    this.heading.focus();
  }

  private showMessage(): void {
    const parts = [this.note, this.keypadMessage];
    if (this.cooling) parts.push(`The keypad is closed until ${this.cooling}.`);
    setText(this.message, parts.filter(Boolean).join(" "));
  }

  private key(digit: string): HTMLButtonElement {
    return h("button", { type: "button", class: "key", "data-key": digit }, digit);
  }

  private setDigits(value: string): void {
    const digits = value.replace(/\D/g, "").slice(0, DIGITS);
    if (this.input.value !== digits) this.input.value = digits;
    if (this.note) {
      this.note = "";
      this.showMessage();
    }
  }

  private async send(): Promise<void> {
    if (this.sending) return;
    if (this.submit.disabled) return;
    const code = this.input.value;
    if (code.length !== DIGITS) {
      this.note = `Type all ${DIGITS} digits (${code.length} so far).`;
      this.showMessage();
      this.input.focus();
      return;
    }
    this.sending = true;
    try {
      await this.onSubmit(code, this.mode);
      this.input.value = "";
    } finally {
      this.sending = false;
    }
  }
}

/**
 * Until when the keypad is closed, in local words, or undefined when it is open. The phone keeps the cooldown
 * of offline codes itself (screen.keypad.cooldownUntil); for online codes the lock service keeps it, and
 * the state says so only while it lasts (server.cooldownUntilLocal).
 */
function coolingUntil(device: DeviceView, keypad: KeypadView | undefined, now: string, timeZone: string): string | undefined {
  const until = keypad?.cooldownUntil;
  if (until !== undefined && Date.parse(until) > Date.parse(now)) return formatLocal(until, timeZone);
  if (keypad?.mode !== "offline" && device.server?.cooldownUntilLocal) return device.server.cooldownUntilLocal;
  return undefined;
}
