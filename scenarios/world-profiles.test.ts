import { describe, expect, it } from "vitest";
import { World } from "./world.ts";

describe("World phone profiles", () => {
  it("gives a phone that named no lender details the default profile, also after another phone takes its IMEI", async () => {
    const world = await World.create({ seed: 1, transport: "direct" });
    const first = await world.addDevice({ imei: "350000000000014", accountId: "a1" });
    const lender = world.screen(first).facts.lender;
    expect(lender).toEqual(expect.objectContaining({ locale: "en", contact: expect.any(Object) }));

    const named = await world.addDevice({ imei: "350000000000022", accountId: "a2", lenderName: "Shop Finance", locale: "pt-BR" });
    expect(world.localeOf(named)).toBe("pt-BR");
    expect(world.screen(named).facts.lender).toEqual(expect.objectContaining({ name: "Shop Finance" }));

    await world.addDevice({ imei: "350000000000014", accountId: "a1", financed: false });
    expect(world.screen(first).facts.lender).toEqual(lender);
    expect(world.localeOf(first)).toBeUndefined();
    await world.close();
  });
});
