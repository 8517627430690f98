import type { DeviceView } from "../contract.ts";
import type { Copywriter } from "../../copy/format.ts";
import { h, prefill, release, setAttrs, setText, trackEdits } from "./dom.ts";
import type { PhoneWords } from "./phone-copy.ts";

const AMOUNT = /^\d+(\.\d{1,2})? [A-Z]{3}$/;
/** How an amount is typed: the protocol's form, the same in every locale. */
const EXAMPLE = "49.99 EUR";

/**
 * The lender's payment app, which keeps working on a locked phone. Paying here is `owner.pay`: the lender
 * records the payment, and the phone unlocks only once it has reached the lock service through the sync.
 */
export class PaymentApp {
  readonly element: HTMLElement;
  private readonly heading: HTMLElement;
  private readonly due: HTMLElement;
  private readonly amount: HTMLInputElement;
  private readonly pay: HTMLButtonElement;
  private readonly status: HTMLElement;
  private readonly amountLabel: HTMLElement;
  private readonly hint: HTMLElement;
  private readonly note: HTMLElement;
  private device: string | undefined;
  private sending = false;
  private copy: Copywriter | undefined;
  /** The status line as a deck key (reworded with the deck), or the server's outcome as it came. */
  private said: { key: string } | { outcome: string } | undefined;

  constructor(private readonly onPay: (amount: string) => Promise<string | undefined>) {
    this.heading = h("h3", { class: "app-title", tabindex: "-1" });
    this.due = h("p", { class: "amount-due", "data-testid": "payment-due" });
    this.amount = h("input", { id: "payment-amount", "data-testid": "payment-amount", autocomplete: "off", "aria-describedby": "payment-amount-hint" });
    this.amount.type = "text";
    trackEdits(this.amount);
    this.pay = h("button", { type: "submit", class: "primary", "data-testid": "payment-pay" });
    this.amountLabel = h("label", { for: "payment-amount" });
    this.hint = h("p", { id: "payment-amount-hint", class: "app-hint" });
    this.note = h("p", { class: "app-hint" });
    this.status = h("p", { class: "app-status", "data-testid": "payment-status", "aria-live": "polite" });
    const form = h(
      "form",
      { class: "payment" },
      this.amountLabel,
      this.amount,
      this.hint,
      this.pay,
    );
    form.noValidate = true;
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      void this.send();
    });
    this.amount.addEventListener("input", () => this.label());
    this.element = h(
      "div",
      { class: "app payment-app" },
      this.heading,
      this.due,
      form,
      this.status,
      this.note,
    );
  }

  update(device: DeviceView, words: PhoneWords, lenderName: string | undefined, fallbackAmount: string | undefined): void {
    if (device.name !== this.device) {
      this.device = device.name;
      release(this.amount);
      this.said = undefined;
    }
    const copy = words.copy;
    this.copy = copy;
    setAttrs(this.element, { lang: words.text.locale, dir: words.text.dir });
    const lender = lenderName ?? device.screen.facts.lender.name ?? copy.text("lender.unnamed");
    setText(this.heading, copy.text("payment.title", { lender }));
    const due = device.screen.facts.amountDue;
    setText(this.due, due?.length ? copy.text("locked.amountDue", { amount: copy.money(due) }) : device.amountDue ? copy.text("locked.amountDue", { amount: device.amountDue }) : copy.text("payment.nothingDue"));
    setText(this.amountLabel, copy.text("payment.amount"));
    setText(this.hint, copy.text("payment.amountHint", { example: EXAMPLE }));
    setText(this.note, copy.text("payment.note"));
    prefill(this.amount, device.amountDue ?? fallbackAmount ?? "");
    this.label();
    this.showStatus();
  }

  focus(): void {
    this.heading.focus();
  }

  private label(): void {
    const amount = this.amount.value.trim();
    if (this.copy) setText(this.pay, AMOUNT.test(amount) ? this.copy.text("payment.payAmount", { amount }) : this.copy.text("payment.pay"));
  }

  private showStatus(): void {
    const said = this.said;
    setText(this.status, said === undefined ? "" : "outcome" in said ? said.outcome : (this.copy?.text(said.key, { example: EXAMPLE }) ?? ""));
  }

  private async send(): Promise<void> {
    if (this.sending) return;
    const amount = this.amount.value.trim();
    if (!AMOUNT.test(amount)) {
      this.said = { key: "payment.invalid" };
      this.showStatus();
      return;
    }
    this.sending = true;
    this.said = { key: "payment.paying" };
    this.showStatus();
    try {
      const outcome = await this.onPay(amount);
      // The outcome is the studio's narration of what the lender recorded (the room's language, English).
      this.said = outcome === undefined ? { key: "payment.failed" } : { outcome };
      this.showStatus();
      if (outcome !== undefined) release(this.amount);
    } finally {
      this.sending = false;
    }
  }
}
