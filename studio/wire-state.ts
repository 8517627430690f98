import { SHARED_IMEI, type StudioState, type WireDevice, type WireState } from "./contract.ts";
import { FLEET_PHONES } from "./fleet-stage.ts";

/**
 * The state as the page gets it, JSON text: as it is on a small stage; on a fleet stage (FLEET_PHONES and up)
 * with the phones' screens shared (see WireState). 1,000 phones once made the state alone 1.1 MB, almost all of
 * it the same home screen a thousand times over. Pure.
 */
export function stateText(state: StudioState): string {
  if (state.devices.length < FLEET_PHONES) return JSON.stringify(state);
  const screens: string[] = [];
  const index = new Map<string, number>();
  const devices = state.devices.map((device): WireDevice => {
    const own = JSON.stringify(device.screen);
    // A screen that happens to hold the placeholder itself is sent whole: sharing must give back the same screen.
    if (own.includes(SHARED_IMEI)) return device;
    const shared = own.split(device.imei).join(SHARED_IMEI);
    let at = index.get(shared);
    if (at === undefined) {
      at = screens.length;
      screens.push(shared);
      index.set(shared, at);
    }
    const { screen: _screen, ...rest } = device;
    return { ...rest, screenOf: at };
  });
  const wire: WireState = { ...state, devices, screens };
  return JSON.stringify(wire);
}
