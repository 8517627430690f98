import type { StudioState } from "../contract.ts";
import { h, setText } from "./dom.ts";
import type { Studio } from "./studio.ts";

/**
 * What the owner can do to the phone itself, below the handset: power, restart, factory reset, network.
 * Paying and typing a code happen on the screen, as they would on a real phone.
 */
export function mountOwnerControls(root: HTMLElement, studio: Studio): void {
  const powerOn = h("button", { type: "button", "data-testid": "owner-power-on", hidden: true }, "Power on");
  const reboot = h("button", { type: "button", "data-testid": "owner-reboot" }, "Restart");
  const reset = h("button", { type: "button", "data-testid": "owner-factory-reset" }, "Factory reset");
  const network = h("button", { type: "button", "data-testid": "owner-offline" }, "Go offline");
  const heading = h("h3", { id: "owner-heading" }, "Owner");
  root.replaceChildren(
    h("div", { class: "owner", role: "group", "aria-labelledby": "owner-heading" }, heading, h("div", { class: "button-row" }, powerOn, reboot, reset, network)),
  );

  const device = (): string | undefined => studio.store.selectedName;
  const act = (action: string, what: string): void => {
    const name = device();
    if (name) void studio.act({ do: action, device: name }, what);
  };
  powerOn.addEventListener("click", () => act("owner.power_on", "Owner: power on"));
  reboot.addEventListener("click", () => act("owner.reboot", "Owner: restart the phone"));
  reset.addEventListener("click", () => act("owner.factory_reset", "Owner: factory reset"));
  network.addEventListener("click", () => {
    const online = studio.store.selectedDevice()?.online ?? true;
    act(online ? "owner.go_offline" : "owner.go_online", online ? "Owner: go offline" : "Owner: go online");
  });

  studio.store.subscribe((state: StudioState) => {
    const phone = studio.store.selectedDevice();
    const none = phone === undefined || state.devices.length === 0;
    setText(heading, phone ? `Owner of ${phone.name}` : "Owner");
    // Power on shows only for a phone that is off; a focused button that vanishes hands focus to Restart.
    const off = phone !== undefined && !phone.poweredOn;
    if (powerOn.hidden === off) {
      const hadFocus = document.activeElement === powerOn;
      powerOn.hidden = !off;
      if (hadFocus && !off) reboot.focus();
    }
    setText(network, phone?.online === false ? "Go online" : "Go offline");
    for (const button of [reboot, reset, network]) button.disabled = none;
  });
}
