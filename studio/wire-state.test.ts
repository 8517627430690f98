import { afterEach, describe, expect, it } from "vitest";
import { ManualWall } from "../core/manual-wall.ts";
import { expandState } from "./client/wire.ts";
import { SHARED_IMEI, type DeviceView, type StudioState, type WireState } from "./contract.ts";
import { FLEET_PHONES } from "./fleet-stage.ts";
import { studioState } from "./snapshot.ts";
import { Stage } from "./stage.ts";
import { stateText } from "./wire-state.ts";

let stage: Stage | undefined;
afterEach(async () => {
  await stage?.close();
  stage = undefined;
});

/** The free stage's state, its two phones copied into a fleet of `count` with IMEIs of their own. */
async function fleetState(count: number): Promise<StudioState> {
  stage = await Stage.open({ wall: new ManualWall(0) });
  await stage.current.director.step();
  const state = studioState(stage.current, 1);
  const devices = Array.from({ length: count }, (_, i): DeviceView => {
    const model = state.devices[i % state.devices.length] as DeviceView;
    const imei = `35${String(i).padStart(13, "0")}`;
    return JSON.parse(JSON.stringify({ ...model, name: `phone-${i}` }).split(model.imei).join(imei)) as DeviceView;
  });
  return { ...state, devices };
}

describe("the studio state on the wire", () => {
  it("goes as it is on a small stage", async () => {
    const state = await fleetState(2);
    expect(stateText(state)).toBe(JSON.stringify(state));
  });

  it("shares a fleet's screens, each phone's IMEI written back by the page, to the same state", async () => {
    const state = await fleetState(FLEET_PHONES + 50);
    const text = stateText(state);
    const wire = JSON.parse(text) as WireState;
    expect(wire.screens?.length).toBeLessThanOrEqual(2);
    expect(wire.devices.every((device) => device.screen === undefined && device.screenOf !== undefined)).toBe(true);
    expect(text.length).toBeLessThan(JSON.stringify(state).length / 2);
    expect(expandState(wire)).toEqual(state);
  });

  it("sends whole a screen that holds the placeholder itself", async () => {
    const state = await fleetState(FLEET_PHONES);
    const odd = state.devices[3] as DeviceView;
    const devices = state.devices.map((device) => (device === odd ? { ...device, screen: { ...device.screen, body: `a ${SHARED_IMEI} b` } } : device));
    const wire = JSON.parse(stateText({ ...state, devices })) as WireState;
    expect(wire.devices[3]?.screen?.body).toBe(`a ${SHARED_IMEI} b`);
    expect(expandState(wire)).toEqual({ ...state, devices });
  });
});
