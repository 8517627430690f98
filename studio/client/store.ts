import type { AccountView, DeviceView, StudioState } from "../contract.ts";
import { perFrame } from "./dom.ts";

/**
 * The state the page shows, and the one thing the page adds to it: which phone is selected. Views subscribe
 * and re-render from here; they never keep their own copy of the server's state.
 */
export class Store {
  private shown: StudioState | undefined;
  private device: string | undefined;
  private readonly listeners: ((state: StudioState) => void)[] = [];

  get state(): StudioState | undefined {
    return this.shown;
  }

  /** Shows a newer state. An older one (a slow answer overtaken by the stream) is ignored, unless forced. */
  apply(state: StudioState, force = false): void {
    if (!force && this.shown && state.rev <= this.shown.rev) return;
    this.shown = state;
    if (!state.devices.some((d) => d.name === this.device)) this.device = state.devices[0]?.name;
    this.notify();
  }

  get selectedName(): string | undefined {
    return this.device;
  }

  select(name: string): void {
    if (name === this.device) return;
    this.device = name;
    this.notify();
  }

  selectedDevice(): DeviceView | undefined {
    return this.shown?.devices.find((d) => d.name === this.device);
  }

  accountOf(device: DeviceView | undefined): AccountView | undefined {
    return device?.account === undefined ? undefined : this.shown?.accounts.find((a) => a.id === device.account);
  }

  lenderName(id: string | undefined): string | undefined {
    return this.shown?.stage.lenders.find((l) => l.id === id)?.name;
  }

  subscribe(listener: (state: StudioState) => void): void {
    this.listeners.push(listener);
    if (this.shown) listener(this.shown);
  }

  /** While the clock plays, states arrive ten times a second: the views draw once per frame at most. */
  private readonly notify = perFrame<void>(() => {
    const state = this.shown;
    if (!state) return;
    for (const listener of this.listeners) listener(state);
  });
}
