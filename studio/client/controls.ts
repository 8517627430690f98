import type { StudioState } from "../contract.ts";
import { h, prefill, release, setOptions, setText, trackEdits } from "./dom.ts";
import { firstCode } from "./feedback.ts";
import type { Studio } from "./studio.ts";

/**
 * The lender's, the sync's and support's controls. Built once; each state only refreshes their options,
 * prefilled amounts and whether there is anything to act on, so a form someone is filling in stays intact.
 */
export function mountControls(root: HTMLElement, studio: Studio): void {
  root.replaceChildren(lender(studio), syncControls(studio), support(studio));
}

function lender(studio: Studio): HTMLElement {
  const account = h("select", { id: "lender-account", "data-testid": "lender-account" });
  const defaultAmount = amountInput("lender-default-amount");
  const grace = h(
    "select",
    { id: "lender-default-grace", "data-testid": "lender-default-grace" },
    h("option", { value: "" }, "None: lock at the next heartbeat"),
    h("option", { value: "P3D" }, "3 days of reminders (P3D)"),
    h("option", { value: "P7D" }, "7 days of reminders (P7D)"),
  );
  const reportDefault = h("button", { type: "submit", class: "danger", "data-testid": "lender-default" }, "Report missed installment");
  const defaultForm = form(
    "lender-default-heading",
    "Report a missed installment",
    [field("Amount", defaultAmount), field("Grace period", grace)],
    reportDefault,
  );
  const paymentAmount = amountInput("lender-payment-amount");
  const recordPayment = h("button", { type: "submit", "data-testid": "lender-payment" }, "Record payment");
  const paymentForm = form("lender-payment-heading", "Record a payment", [field("Amount", paymentAmount)], recordPayment);
  const complete = h("button", { type: "submit", "data-testid": "lender-complete" }, "Complete loan");
  const completeForm = form("lender-complete-heading", "The loan is paid off", [h("p", { class: "hint" }, "Phones are released at their next heartbeat.")], complete);

  let chosen = "";
  account.addEventListener("change", () => {
    chosen = account.value;
    release(defaultAmount);
    release(paymentAmount);
    refresh();
  });
  defaultForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const action = { do: "lender.default", account: account.value, amount: defaultAmount.value.trim(), ...(grace.value ? { grace: grace.value } : {}) };
    void studio.act(action, "Lender: report a missed installment").then((answer) => answer && release(defaultAmount));
  });
  paymentForm.addEventListener("submit", (event) => {
    event.preventDefault();
    void studio.act({ do: "lender.payment", account: account.value, amount: paymentAmount.value.trim() }, "Lender: record a payment").then((answer) => answer && release(paymentAmount));
  });
  completeForm.addEventListener("submit", (event) => {
    event.preventDefault();
    void studio.act({ do: "lender.complete", account: account.value }, "Lender: complete the loan");
  });

  const refresh = (): void => {
    const state = studio.store.state;
    if (!state) return;
    setOptions(account, state.accounts.map((a) => ({ value: a.id, label: a.owner ? `${a.id} (${a.owner})` : a.id })));
    // Until someone picks an account, the lender works on the selected phone's account.
    const preferred = chosen || studio.store.accountOf(studio.store.selectedDevice())?.id;
    if (preferred && document.activeElement !== account && state.accounts.some((a) => a.id === preferred)) account.value = preferred;
    const installment = state.accounts.find((a) => a.id === account.value)?.installment ?? "";
    prefill(defaultAmount, installment);
    prefill(paymentAmount, installment);
    const none = state.accounts.length === 0;
    for (const button of [reportDefault, recordPayment, complete]) button.disabled = none;
  };
  studio.store.subscribe(refresh);

  return actor("lender", "Lender", "The lender reports missed installments and records payments.", [field("Account", account), defaultForm, paymentForm, completeForm]);
}

function syncControls(studio: Studio): HTMLElement {
  const account = h("select", { id: "sync-account", "data-testid": "sync-account" });
  const duration = h("select", { id: "sync-for", "data-testid": "sync-for" });
  // "The next sync" first: the story's sync runs up to two business days later, so a failure for a fixed
  // time is usually over before it runs; a counted failure catches that sync whenever it comes.
  setOptions(duration, [
    { value: "next", label: "the next sync only" },
    { value: "PT2H", label: "2 hours" },
    { value: "P1D", label: "1 day" },
    { value: "", label: "until it recovers" },
  ]);
  duration.value = "next";
  const fail = h("button", { type: "submit", "data-testid": "sync-fail" }, "Make the sync fail");
  const hint = h(
    "p",
    { class: "hint" },
    'It fails with "token update failed". "The next sync only": the next attempt fails, however late it runs, and the sync then works again. While it is broken, support\'s refresh fails too; a payment whose sync failed stays failed until support refreshes it after the sync recovers.',
  );
  const failForm = form("sync-fail-heading", "Break the sync", [field("Account", account), field("For", duration), hint], fail);
  failForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const when = duration.value === "next" ? { times: 1 } : duration.value ? { for: duration.value } : {};
    const request = { do: "sync.fail", ...(account.value ? { account: account.value } : {}), ...when };
    void studio.act(request, "Sync: fail");
  });
  // The facilitator's "clear every fault": the sync (and anything else injected) works again.
  const recover = h("button", { type: "button", "data-testid": "sync-recover" }, "The sync recovers");
  recover.addEventListener("click", () => void studio.act({ do: "facilitator.clear_faults" }, "Sync: recovers"));
  studio.store.subscribe((state: StudioState) => {
    setOptions(account, [...state.accounts.map((a) => ({ value: a.id, label: a.id })), { value: "", label: "All accounts" }]);
    recover.disabled = state.faults.length === 0;
  });
  return actor("sync", "Sync", "Carries the lender's payments to the lock service, in business hours.", [failForm, recover]);
}

function support(studio: Studio): HTMLElement {
  const target = h("p", { class: "hint", "data-testid": "support-device" });
  const refreshSync = h("button", { type: "button", "data-testid": "support-refresh" }, "Refresh the sync now");
  const issue = h("button", { type: "button", class: "primary", "data-testid": "support-issue-code" }, "Issue an unlock code");
  const offline = h("button", { type: "button", "data-testid": "support-offline-code" }, "Answer the offline challenge");
  const code = h("div", { class: "code-card", "data-testid": "support-code", "aria-live": "polite", hidden: true });

  const device = (): string | undefined => studio.store.selectedName;
  const showCode = (outcome: string, heading: string): void => {
    const digits = firstCode(outcome);
    code.replaceChildren(h("p", { class: "code-card-heading" }, heading), digits ? h("p", { class: "code big" }, digits) : "", h("p", {}, outcome));
    code.hidden = false;
  };
  refreshSync.addEventListener("click", () => {
    const name = device();
    if (name) void studio.act({ do: "support.refresh", device: name }, "Support: refresh the sync");
  });
  issue.addEventListener("click", () => {
    const name = device();
    if (!name) return;
    void studio.act({ do: "support.issue_code", device: name }, "Support: issue an unlock code").then((answer) => {
      if (answer) showCode(answer.outcome, `Unlock code for ${name} — read it out:`);
    });
  });
  offline.addEventListener("click", () => {
    const name = device();
    if (!name) return;
    void studio.act({ do: "support.offline_code", device: name }, "Support: answer the offline challenge").then((answer) => {
      if (answer) showCode(answer.outcome, `Offline code for ${name} — read it out:`);
    });
  });
  let shownFor: string | undefined;
  let lastNow = 0;
  studio.store.subscribe((state: StudioState) => {
    const name = device();
    const now = Date.parse(state.clock.now);
    // A code read out for one phone (or an earlier run, when the clock went back) must not pass for another's.
    if (name !== shownFor || now < lastNow) {
      shownFor = name;
      code.replaceChildren();
      code.hidden = true;
    }
    lastNow = now;
    setText(target, name ? `Acting on ${name}, the phone selected on the left.` : "No phone on stage.");
    for (const button of [refreshSync, issue, offline]) button.disabled = name === undefined;
  });

  return actor("support", "Support", "The lender's support desk: a manual sync refresh and codes read out over the phone.", [
    target,
    h("div", { class: "button-row" }, refreshSync, issue, offline),
    code,
  ]);
}

function actor(id: string, name: string, role: string, content: readonly HTMLElement[]): HTMLElement {
  return h("section", { class: `actor-panel actor-panel-${id}`, "aria-labelledby": `actor-${id}` }, h("h3", { id: `actor-${id}` }, name), h("p", { class: "role" }, role), ...content);
}

function form(id: string, title: string, fields: readonly HTMLElement[], submit: HTMLButtonElement): HTMLFormElement {
  const element = h("form", { class: "action-form", "aria-labelledby": id }, h("h4", { id }, title), ...fields, h("div", { class: "button-row" }, submit));
  element.noValidate = true;
  return element;
}

function field(label: string, control: HTMLInputElement | HTMLSelectElement): HTMLElement {
  return h("div", { class: "field" }, h("label", { for: control.id }, label), control);
}

function amountInput(id: string): HTMLInputElement {
  const input = h("input", { id, "data-testid": id, autocomplete: "off", spellcheck: "false" });
  input.type = "text";
  trackEdits(input);
  return input;
}
