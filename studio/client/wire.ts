import { SHARED_IMEI, type DeviceView, type StudioState, type WireState } from "../contract.ts";

/**
 * The state from the wire: a fleet's shared screens put back on each phone, with its own IMEI (see WireState).
 * A state without shared screens is already whole. A screen index that points nowhere leaves the phone out
 * rather than inventing a screen for it.
 */
export function expandState(wire: WireState): StudioState {
  const { screens, ...rest } = wire;
  if (screens === undefined) return wire as StudioState;
  const devices = wire.devices.flatMap((device): DeviceView[] => {
    const { screenOf, screen, ...view } = device;
    if (screen !== undefined) return [{ ...view, screen }];
    const template = screenOf === undefined ? undefined : screens[screenOf];
    if (template === undefined) return [];
    return [{ ...view, screen: JSON.parse(template.split(SHARED_IMEI).join(device.imei)) as DeviceView["screen"] }];
  });
  return { ...rest, devices };
}
