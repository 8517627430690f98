import type { DeviceView } from "../contract.ts";
import { h, prefill, release, setText, trackEdits } from "./dom.ts";

const AMOUNT = /^\d+(\.\d{1,2})? [A-Z]{3}$/;

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
  private device: string | undefined;
  private sending = false;

  constructor(private readonly onPay: (amount: string) => Promise<string | undefined>) {
    this.heading = h("h3", { class: "app-title", tabindex: "-1" }, "Payment app");
    this.due = h("p", { class: "amount-due", "data-testid": "payment-due" });
    this.amount = h("input", { id: "payment-amount", "data-testid": "payment-amount", autocomplete: "off", "aria-describedby": "payment-amount-hint" });
    this.amount.type = "text";
    trackEdits(this.amount);
    this.pay = h("button", { type: "submit", class: "primary", "data-testid": "payment-pay" }, "Pay");
    this.status = h("p", { class: "app-status", "data-testid": "payment-status", "aria-live": "polite" });
    const form = h(
      "form",
      { class: "payment" },
      h("label", { for: "payment-amount" }, "Amount"),
      this.amount,
      h("p", { id: "payment-amount-hint", class: "app-hint" }, "Like 49.99 EUR"),
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
      h("p", { class: "app-hint" }, "The phone unlocks once the payment reaches the lock service; that can take a while."),
    );
  }

  update(device: DeviceView, lenderName: string | undefined, fallbackAmount: string | undefined): void {
    if (device.name !== this.device) {
      this.device = device.name;
      release(this.amount);
      setText(this.status, "");
    }
    setText(this.heading, lenderName ? `${lenderName} — payment app` : "Payment app");
    setText(this.due, device.amountDue ? `Amount due: ${device.amountDue}` : "Nothing is due right now.");
    prefill(this.amount, device.amountDue ?? fallbackAmount ?? "");
    this.label();
  }

  focus(): void {
    this.heading.focus();
  }

  private label(): void {
    const amount = this.amount.value.trim();
    setText(this.pay, AMOUNT.test(amount) ? `Pay ${amount}` : "Pay");
  }

  private async send(): Promise<void> {
    if (this.sending) return;
    const amount = this.amount.value.trim();
    if (!AMOUNT.test(amount)) {
      setText(this.status, "Type an amount and a currency code, like 49.99 EUR.");
      return;
    }
    this.sending = true;
    setText(this.status, "Paying…");
    try {
      const outcome = await this.onPay(amount);
      setText(this.status, outcome ?? "The payment did not go through.");
      if (outcome !== undefined) release(this.amount);
    } finally {
      this.sending = false;
    }
  }
}
