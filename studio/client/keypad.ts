import type { KeypadView } from "../../device-sim/lock-screen.ts";
import type { DeviceView } from "../contract.ts";
import { h, setAttrs, setText } from "./dom.ts";
import type { PhoneWords } from "./phone-copy.ts";

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
  private readonly label: HTMLElement;
  private readonly keys: HTMLElement;
  private readonly clear: HTMLButtonElement;
  private readonly back: HTMLButtonElement;
  private words: PhoneWords["copy"] | undefined;
  private mode: KeypadView["mode"] = "online";
  private device: string | undefined;
  private sending = false;
  /** The keypad's own word ("type all 8 digits"), kept until the digits change: states arrive ten times a second. */
  private typedWhenNoted: number | undefined;
  /** The screen's keypad line (the cooldown's end, the last try's problem, the offline hint), in the deck's words. */
  private keypadMessage = "";

  constructor(private readonly onSubmit: (code: string, mode: KeypadView["mode"]) => Promise<void>) {
    this.heading = h("h3", { class: "app-title", tabindex: "-1" });
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
    this.submit = h("button", { type: "submit", class: "primary", "data-testid": "keypad-submit" });
    this.attempts = h("p", { id: "keypad-attempts", class: "keypad-attempts", "data-testid": "keypad-attempts" });
    this.message = h("p", { id: "keypad-message", class: "keypad-message", "data-testid": "keypad-message", "aria-live": "polite" });
    this.challenge = h("p", { class: "keypad-challenge", "data-testid": "keypad-challenge" });

    // The digits stay left to right in a right-to-left locale, as on phones' own keypads.
    const keys = h("div", { class: "keys", role: "group", dir: "ltr" });
    this.keys = keys;
    for (const digit of ["1", "2", "3", "4", "5", "6", "7", "8", "9"]) keys.append(this.key(digit));
    this.clear = h("button", { type: "button", class: "key key-small", "data-key": "clear" });
    this.back = h("button", { type: "button", class: "key key-small", "data-key": "back" }, "⌫");
    keys.append(this.clear, this.key("0"), this.back);
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
      (this.label = h("label", { for: "keypad-input", class: "keypad-label" })),
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

  /** Shows the device's keypad state in the deck's words; digits are kept unless the phone changed. */
  update(device: DeviceView, words: PhoneWords, now: string): void {
    const keypad = device.screen.keypad;
    const text = words.text.keypad;
    const copy = words.copy;
    this.words = copy;
    if (device.name !== this.device) {
      this.device = device.name;
      this.input.value = "";
    }
    this.mode = keypad?.mode ?? "online";
    setAttrs(this.element, { lang: words.text.locale, dir: words.text.dir });
    setText(this.heading, text?.title.text ?? copy.text(this.mode === "offline" ? "action.enterOfflineCode" : "action.enterCode"));
    setText(this.label, text?.codeLabel.text ?? copy.text("keypad.codeLabel"));
    setText(this.submit, text?.submit.text ?? copy.text("keypad.submit"));
    setText(this.clear, copy.text("keypad.clear"));
    setAttrs(this.clear, { "aria-label": copy.text("keypad.clearAll") });
    setAttrs(this.back, { "aria-label": copy.text("keypad.delete") });
    setAttrs(this.keys, { "aria-label": copy.text("keypad.digits") });
    const challenge = words.text.challenge;
    this.challenge.hidden = !challenge;
    setText(this.challenge, challenge ? `${challenge.label.text} ${challenge.code}` : "");
    const closed = isClosed(device, keypad, now);
    // The attempts left show before a first try too; in a cooldown the end time is the one thing said.
    const pad = device.screen.facts.keypad;
    setText(this.attempts, text?.attempts?.text ?? (pad && pad.cooldownUntil === undefined && !closed ? copy.text("keypad.attemptsLeft", { count: pad.attemptsLeft }) : ""));
    // A disabled button drops focus; whoever just pressed it goes back to the field rather than to nowhere.
    if (closed && document.activeElement === this.submit) this.input.focus();
    this.submit.disabled = closed;
    // The lock service's own cooldown, when the phone has not heard its end yet: the deck's words, its time.
    const serverUntil = closed && !text?.message ? device.server?.cooldownUntilLocal : undefined;
    this.keypadMessage = text?.message?.text ?? (serverUntil ? copy.text("keypad.cooldown", { time: serverUntil }) : "");
    this.showMessage();
  }

  focus(): void {
    this.heading.focus();
  }

  private showMessage(): void {
    const note = this.typedWhenNoted !== undefined && this.words ? this.words.text("keypad.incomplete", { digits: DIGITS, typed: this.typedWhenNoted }) : "";
    setText(this.message, [note, this.keypadMessage].filter(Boolean).join(" "));
  }

  private key(digit: string): HTMLButtonElement {
    return h("button", { type: "button", class: "key", "data-key": digit }, digit);
  }

  private setDigits(value: string): void {
    const digits = value.replace(/\D/g, "").slice(0, DIGITS);
    if (this.input.value !== digits) this.input.value = digits;
    if (this.typedWhenNoted !== undefined) {
      this.typedWhenNoted = undefined;
      this.showMessage();
    }
  }

  private async send(): Promise<void> {
    if (this.sending) return;
    if (this.submit.disabled) return;
    const code = this.input.value;
    if (code.length !== DIGITS) {
      this.typedWhenNoted = code.length;
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
 * Whether the keypad is closed. The phone keeps the cooldown of offline codes itself
 * (screen.keypad.cooldownUntil); for online codes the lock service keeps it, and the state says so only
 * while it lasts (server.cooldownUntilLocal). The words for it are the screen's ("Try again after 12:19").
 */
function isClosed(device: DeviceView, keypad: KeypadView | undefined, now: string): boolean {
  const until = keypad?.cooldownUntil;
  if (until !== undefined && Date.parse(until) > Date.parse(now)) return true;
  return keypad?.mode !== "offline" && device.server?.cooldownUntilLocal !== undefined;
}
