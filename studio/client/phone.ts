import type { PhoneAction } from "../../device-sim/lock-screen.ts";
import type { DeviceView, StudioState } from "../contract.ts";
import { Dialer, type DialerMode } from "./dialer.ts";
import { h, replaceKeepingFocus, setAttrs, setOptions, setText, type Child } from "./dom.ts";
import { Keypad } from "./keypad.ts";
import { PhonePicker } from "./phone-picker.ts";
import { PaymentApp } from "./payment-app.ts";
import { PhoneCopy, type PhoneWords } from "./phone-copy.ts";
import { screenContent as wordsOf } from "./phone-screen.ts";
import type { Studio } from "./studio.ts";
import { clockTime } from "./time.ts";

type App = "keypad" | "payment" | DialerMode;

/** Which of the screen's allowed actions opens each app (`all_apps`: an unlocked phone opens anything). */
const OPENS: Readonly<Record<App, readonly PhoneAction[]>> = {
  keypad: ["enter_code", "enter_offline_code"],
  payment: ["payment_app", "all_apps"],
  emergency: ["emergency_call", "all_apps"],
  imei: ["show_imei", "all_apps"],
  lender: ["contact_lender"],
};

/**
 * The phone: a device selector, a frame with a status bar, and the screen the server derived for this phone
 * (title, body, notice, contact), with the apps its allowed actions open. The screen text is re-rendered
 * with every state; the apps and the buttons that open them are built once, so typing and focus survive.
 */
export function mountPhone(root: HTMLElement, studio: Studio): void {
  const picker = new PhonePicker((name) => studio.store.select(name));
  const identity = h("p", { class: "phone-identity", "data-testid": "phone-identity" });

  // The locale switcher previews the selected phone in another deck; the device's own locale is unchanged.
  const phoneCopy = new PhoneCopy();
  const localeSelect = h("select", { id: "phone-locale", "data-testid": "phone-locale", "aria-describedby": "phone-locale-note" });
  const localeNote = h("p", { id: "phone-locale-note", class: "locale-note", "data-testid": "locale-preview", hidden: true });
  const localePicker = h("div", { class: "field locale-picker" }, h("label", { for: "phone-locale" }, "Preview in"), localeSelect);
  let preview: string | undefined;
  const fillLocales = (): void => {
    setOptions(localeSelect, [{ value: "", label: "The phone's own language" }, ...phoneCopy.locales.map((deck) => ({ value: deck.locale, label: `${deck.name} (${deck.locale})` }))]);
    localeSelect.value = preview ?? "";
  };
  const loadLocales = async (): Promise<void> => {
    await phoneCopy.load();
    fillLocales();
    const state = studio.store.state;
    if (state) render(state);
  };
  localeSelect.addEventListener("change", () => {
    preview = localeSelect.value === "" ? undefined : localeSelect.value;
    const state = studio.store.state;
    if (state) render(state);
  });
  // A deck copied into copy/ while the page is open shows the next time the switcher is opened.
  localeSelect.addEventListener("focus", () => void loadLocales());

  const time = h("span", { class: "bar-time" });
  const network = h("span", { class: "bar-network", "data-testid": "phone-network" });
  const statusBar = h("div", { class: "phone-bar" }, time, network);

  const view = h("div", { class: "screen-view" });
  const opener = (app: App, testid: string, text: string): HTMLButtonElement => {
    const button = h("button", { type: "button", class: `app-button app-${app}`, "data-testid": testid, hidden: true }, text);
    button.addEventListener("click", () => open(app, button));
    return button;
  };
  const buttons: Record<App, HTMLButtonElement> = {
    keypad: opener("keypad", "open-keypad", "Enter unlock code"),
    payment: opener("payment", "open-payment-app", "Payment app"),
    emergency: opener("emergency", "open-emergency", "Emergency call"),
    imei: opener("imei", "open-imei", "Show IMEI"),
    lender: opener("lender", "open-contact", "Call the lender"),
  };
  const actions = h("div", { class: "screen-actions", role: "group", "aria-label": "On the screen" }, ...Object.values(buttons));

  const keypad = new Keypad(async (code, mode) => {
    const device = studio.store.selectedName;
    if (!device) return;
    const what = mode === "offline" ? "Owner: enter offline code" : "Owner: enter unlock code";
    await studio.act({ do: mode === "offline" ? "owner.enter_offline_code" : "owner.enter_code", device, code }, what);
  });
  const payment = new PaymentApp(async (amount) => {
    const device = studio.store.selectedName;
    if (!device) return undefined;
    return (await studio.act({ do: "owner.pay", device, amount }, "Owner: pay from the payment app"))?.outcome;
  });
  const dialer = new Dialer();
  const backLabel = h("span", {}, "Back to the screen");
  const back = h("button", { type: "button", class: "back", "data-testid": "phone-back" }, h("span", { "aria-hidden": "true", class: "back-arrow" }, "← "), backLabel);
  const appSlot = h("div", { class: "app-slot" });
  const appView = h("div", { class: "screen-app", hidden: true }, back, appSlot);
  back.addEventListener("click", () => close(true));

  const screen = h("div", { class: "phone-screen", "data-testid": "phone-screen", role: "region", "aria-label": "Phone screen" }, view, actions, appView);
  const frame = h("div", { class: "phone-frame" }, h("div", { class: "phone-speaker", "aria-hidden": "true" }), statusBar, screen);
  root.replaceChildren(picker.element, localePicker, localeNote, identity, frame);
  fillLocales();
  void loadLocales();

  let app: App | undefined;
  let openedBy: HTMLButtonElement | undefined;

  function open(which: App, from: HTMLButtonElement): void {
    const state = studio.store.state;
    const device = studio.store.selectedDevice();
    if (!state || !device) return;
    app = which;
    openedBy = from;
    const element = which === "keypad" ? keypad.element : which === "payment" ? payment.element : dialer.element;
    if (which !== "keypad" && which !== "payment") dialer.open(which, device, device.screen.contact?.phone, phoneCopy.words(device, preview, state.clock.timeZone));
    appSlot.replaceChildren(element);
    render(state);
    (which === "keypad" ? keypad : which === "payment" ? payment : dialer).focus();
  }

  function close(returnFocus: boolean): void {
    app = undefined;
    const state = studio.store.state;
    if (state) render(state);
    if (returnFocus && openedBy && !openedBy.hidden) openedBy.focus();
    else if (returnFocus) view.querySelector<HTMLElement>("[data-key=title]")?.focus();
  }

  let shownDevice: string | undefined;
  let drawn = "";
  studio.store.subscribe(render);

  function render(state: StudioState): void {
    picker.update(state.devices, studio.store.selectedName);
    const device = studio.store.selectedDevice();
    if (!device) {
      setText(identity, "No phone on stage.");
      view.replaceChildren(h("p", {}, "Load a scenario to put phones on stage."));
      drawn = "";
      return;
    }
    if (device.name !== shownDevice) {
      shownDevice = device.name;
      if (app) app = undefined;
    }
    setText(identity, [device.name, device.owner && `owner ${device.owner}`, device.model, device.account && `account ${device.account}`].filter(Boolean).join(" · "));

    const screenState = device.screen;
    const allowed = (which: App): boolean => device.poweredOn && OPENS[which].some((action) => screenState.actions.includes(action));
    // An app whose action went away (the phone unlocked, restarted or was switched off) closes by itself; the
    // focus follows only if it was inside the app.
    if (app && !allowed(app)) {
      const hadFocus = appView.contains(document.activeElement);
      app = undefined;
      if (hadFocus) queueMicrotask(() => view.querySelector<HTMLElement>("[data-key=title]")?.focus());
    }

    const words = phoneCopy.words(device, preview, state.clock.timeZone);
    setText(time, clockTime(state.clock.local));
    setText(network, words.copy.text(!device.poweredOn ? "status.off" : device.online ? "status.online" : "status.offline"));
    setAttrs(screen, { "data-kind": screenState.kind, "data-power": device.poweredOn ? "on" : "off", "aria-label": `Screen of ${device.name}` });
    setAttrs(frame, { "data-kind": device.poweredOn ? screenState.kind : "off" });

    const own = phoneCopy.writer(screenState.text.locale).deck;
    localeNote.hidden = words.preview === undefined;
    setText(localeNote, words.preview === undefined ? "" : `Preview in ${words.copy.deck.name} (${words.preview}) of what this phone would show; the phone itself stays in ${own.name} (${own.locale}).`);
    // Redrawn only when the words change: text someone is selecting to read out stays selected meanwhile.
    const drawnKey = JSON.stringify([device.name, device.poweredOn, words.text]);
    if (drawnKey !== drawn) {
      drawn = drawnKey;
      replaceKeepingFocus(view, screenContent(device, words));
    }
    // The whole frame takes the deck's direction: a right-to-left locale mirrors the screen, its apps and the bar.
    setAttrs(frame, { lang: words.text.locale, dir: words.text.dir, "data-preview": words.preview ?? "" });
    setAttrs(view, { lang: words.text.locale, dir: words.text.dir });
    setAttrs(actions, { lang: words.text.locale, dir: words.text.dir });
    const label = (name: string): string => words.labels[name] ?? words.copy.text(`action.${name}`);
    setText(buttons.keypad, words.text.keypad?.title.text ?? words.copy.text("action.enterCode"));
    setText(buttons.payment, label("payment"));
    setText(buttons.emergency, label("emergency"));
    setText(buttons.imei, label("imei"));
    setText(buttons.lender, label("call"));
    setText(backLabel, label("back"));
    for (const [which, button] of Object.entries(buttons) as [App, HTMLButtonElement][]) {
      const hide = !allowed(which) || (which === "lender" && !screenState.contact?.phone);
      if (button.hidden !== hide) button.hidden = hide;
    }
    view.hidden = app !== undefined;
    actions.hidden = app !== undefined;
    appView.hidden = app === undefined;

    if (screenState.keypad || app === "keypad") keypad.update(device, words, state.clock.now);
    payment.update(device, words, studio.store.lenderName(device.lender), studio.store.accountOf(device)?.installment);
    dialer.update(device, words);
  }
}

/** The screen's words, as the server chose them in the phone's locale; the page adds only layout. */
function screenContent(device: DeviceView, words: PhoneWords): Child[] {
  if (!device.poweredOn) {
    // The phone's words from the deck; the hint to the room about the studio's own button stays the studio's.
    return [
      h(
        "div",
        { class: "screen-off" },
        h("h3", { class: "screen-title", "data-testid": "phone-title", tabindex: "-1", "data-key": "title", "data-copy-key": "off.title" }, words.copy.text("off.title")),
        h("p", { "data-copy-key": "off.body" }, words.copy.text("off.body")),
        h("p", { class: "studio-hint", lang: "en", dir: "ltr" }, "Use Power on below the phone."),
      ),
    ];
  }
  return wordsOf(words.text, device.screen.kind);
}
