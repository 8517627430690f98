import type { AccountView, DeviceView } from "../contract.ts";
import { h, replaceKeepingFocus, type Child } from "./dom.ts";
import type { Store } from "./store.ts";

const STANDING: Readonly<Record<AccountView["standing"], { icon: string; text: string }>> = {
  good: { icon: "✓", text: "Good standing" },
  overdue: { icon: "!", text: "Overdue" },
  default: { icon: "✗", text: "In default" },
  paid_off: { icon: "★", text: "Paid off" },
};

/**
 * The lock service's side: each account's standing and sync, the payments on their way, the codes support
 * issued, what waits on the clock, and what the service knows of the selected phone. Colour always comes
 * with words and a symbol. It holds no controls, so it is simply redrawn with each state.
 */
export function mountServerPanel(root: HTMLElement, store: Store): void {
  const accounts = h("div", { class: "accounts" });
  const phone = h("div", { class: "device-server", "data-testid": "device-server" });
  const codes = h("ul", { class: "plain-list", "data-testid": "codes-list" });
  const pending = h("ol", { class: "plain-list", "data-testid": "pending-list" });
  const faults = h("ul", { class: "plain-list", "data-testid": "faults-list" });
  root.replaceChildren(
    h("h3", {}, "Accounts"),
    accounts,
    phone,
    h("h3", {}, "Unlock codes issued"),
    codes,
    h("h3", {}, "Waiting on the clock"),
    pending,
    h("h3", {}, "Active faults"),
    faults,
  );

  let drawn = "";
  let drawnAccounts = "";
  store.subscribe((state) => {
    const device = store.selectedDevice();
    // Redrawn only when something shown changed, not on every tick of a playing clock; the accounts on their
    // own, since a fleet has a thousand of them and the waiting jobs change with every tick.
    const accountsKey = JSON.stringify([state.accounts, state.stage.lenders]);
    if (accountsKey !== drawnAccounts) {
      drawnAccounts = accountsKey;
      replaceKeepingFocus(accounts, state.accounts.length ? state.accounts.map((a) => account(a, store)) : [h("p", { class: "empty" }, "No accounts yet.")]);
    }
    const key = JSON.stringify([state.codes, state.pending, state.faults, device?.name, device?.server, device?.online, device?.poweredOn]);
    if (key === drawn) return;
    drawn = key;
    replaceKeepingFocus(phone, deviceServer(device));
    replaceKeepingFocus(codes, list(state.codes, (c) => [
      h("strong", { class: "code" }, c.code),
      ` for ${c.device} — `,
      h("span", { class: `tag code-${c.state}` }, c.state),
      ` · issued ${c.issuedLocal} · expires ${c.expiresLocal}`,
    ], "No codes issued yet."));
    replaceKeepingFocus(pending, list(state.pending, (j) => [h("span", { class: "when" }, `${j.local} (${j.in})`), " ", j.label], "Nothing scheduled."));
    replaceKeepingFocus(faults, list(state.faults, (f) => [f.kind, f.target ? ` on ${f.target}` : "", f.times !== undefined ? (f.times === 1 ? ": the next attempt fails" : `: the next ${f.times} attempts fail`) : f.untilLocal ? ` until ${f.untilLocal}` : " until cleared"], "None."));
  });
}

function account(a: AccountView, store: Store): HTMLElement {
  const standing = STANDING[a.standing];
  const lender = store.lenderName(a.lender) ?? a.lender;
  return h(
    "section",
    { class: `account standing-${a.standing}`, "aria-label": `Account ${a.id}` },
    h("h4", {}, `Account ${a.id}`, a.owner ? ` (${a.owner})` : ""),
    h(
      "p",
      { class: `standing badge-${a.standing}`, "data-testid": "account-standing", "data-account": a.id, "data-standing": a.standing },
      h("span", { class: "badge-icon", "aria-hidden": "true" }, standing.icon),
      " ",
      standing.text,
    ),
    h(
      "dl",
      { class: "facts" },
      ...fact("Lender", lender),
      ...fact("Phones", a.devices.join(", ") || "none"),
      ...fact("Owed", a.owed),
      ...(a.lockAtLocal ? fact(a.standing === "overdue" ? "Grace ends" : "In default since", a.lockAtLocal) : []),
      ...(a.phoneLocksAtLocal ? fact("Locks at", `${a.phoneLocksAtLocal} (its next heartbeat)`) : []),
      ...fact("Installment", a.installment),
    ),
    sync(a),
    a.payments.length
      ? h(
          "ul",
          { class: "payments", "aria-label": `Payments on account ${a.id}` },
          ...a.payments.map((p) =>
            h(
              "li",
              { "data-status": p.status },
              `${p.amount} — `,
              h("span", { class: `tag payment-${p.status}` }, p.status === "synced" ? "reached the lock service" : p.status === "failed" ? "sync failed" : "on its way"),
              p.status === "synced" ? "" : `, expected by ${p.expectedByLocal}`,
            ),
          ),
        )
      : h("p", { class: "quiet" }, "No payments recorded."),
  );
}

function sync(a: AccountView): HTMLElement {
  const s = a.sync;
  const when = s.expectedByLocal ? ` — expected by ${s.expectedByLocal}${s.expectedIn ? ` (${s.expectedIn})` : ""}` : "";
  const text =
    s.status === "idle" ? "Sync: nothing waiting" : s.status === "pending" ? `Sync: pending${when}` : `Sync failed: ${s.error ?? "token update failed"}${when}`;
  return h(
    "p",
    { class: `sync sync-${s.status}`, "data-testid": "account-sync", "data-account": a.id, "data-sync": s.status },
    h("span", { class: "badge-icon", "aria-hidden": "true" }, s.status === "failed" ? "⚠" : s.status === "pending" ? "…" : "·"),
    " ",
    text,
  );
}

function deviceServer(device: DeviceView | undefined): Child[] {
  if (!device) return [];
  const server = device.server;
  const rows: Child[] = [];
  if (!server) {
    rows.push(...fact("Enrolled", "not yet: the phone has not checked in"));
  } else {
    rows.push(
      ...fact("State", server.state ?? "unknown"),
      ...fact("Last heartbeat", server.lastHeartbeatLocal ?? "none yet"),
      ...fact("Next heartbeat", server.nextHeartbeatLocal ?? device.nextHeartbeatLocal ?? "none scheduled"),
    );
    if (server.attemptsLeft !== undefined) rows.push(...fact("Code attempts left", String(server.attemptsLeft)));
    if (server.cooldownUntilLocal) rows.push(...fact("Keypad closed until", server.cooldownUntilLocal));
  }
  rows.push(...fact("Network", device.online ? "online" : "offline"), ...fact("Power", device.poweredOn ? "on" : "off"), ...fact("IMEI", device.imei));
  return [h("h3", {}, `Phone ${device.name}, as the service sees it`), h("dl", { class: "facts" }, ...rows)];
}

function fact(term: string, value: string): HTMLElement[] {
  return [h("dt", {}, term), h("dd", {}, value)];
}

function list<T>(items: readonly T[], item: (value: T) => Child[], empty: string): HTMLElement[] {
  return items.length ? items.map((value) => h("li", {}, ...item(value))) : [h("li", { class: "empty" }, empty)];
}
