import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualWall } from "../core/manual-wall.ts";
import { testKeys } from "../mock-server/create.ts";
import { ROUTES, type StudioState, type TimelineEntry } from "./contract.ts";
import { EARLIER_PAGE, StudioHub } from "./hub.ts";
import { studioApp } from "./http.ts";
import { studioAccess } from "./access.ts";

let hub: StudioHub;
/** The studio app, called with the admin key as a script would (access itself is proved in access.test.ts). */
let app: { request(path: string, init?: RequestInit): Promise<Response> };
beforeAll(async () => {
  const wall = new ManualWall(0);
  hub = await StudioHub.open({ wall });
  const raw = studioApp(hub, wall, studioAccess({ adminKey: testKeys.admin }));
  const admin = { authorization: `Bearer ${testKeys.admin}` };
  app = { request: async (path, init = {}) => raw.request(path, { ...init, headers: { ...admin, ...(init.headers as Record<string, string> | undefined) } }) };
});
afterAll(() => hub.close());

const post = (path: string, body: unknown, type = "application/json") =>
  app.request(path, { method: "POST", headers: { "content-type": type }, body: typeof body === "string" ? body : JSON.stringify(body) });

/** Absolute URLs a file would make the browser fetch: anything but XML namespaces is off the machine. */
function externalUrls(text: string): string[] {
  return [...text.matchAll(/https?:\/\/[^\s"'`)<>]+/g)].map((m) => m[0]).filter((url) => !url.startsWith("http://www.w3.org/"));
}

describe("the studio over HTTP", () => {
  it("serves the page, its script and its style from this server, and nothing from anywhere else", async () => {
    const page = await app.request(ROUTES.page);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(ROUTES.script);
    expect(html).toContain(ROUTES.style);
    const script = await app.request(ROUTES.script);
    expect(script.headers.get("content-type")).toMatch(/javascript/);
    const js = await script.text();
    expect(js.length).toBeGreaterThan(1000);
    const css = await (await app.request(ROUTES.style)).text();
    // The bundle's inline source map would name source files, not URLs; links in the page would be fetched.
    expect(externalUrls(html)).toEqual([]);
    expect(externalUrls(css)).toEqual([]);
    expect(externalUrls(js.replace(/\/\/# sourceMappingURL=.*$/m, ""))).toEqual([]);
  }, 30_000);

  it("refuses a bad control with a problem+json 4xx and leaves the stage as it was", async () => {
    const before = (await (await app.request(ROUTES.state)).json()) as StudioState;
    for (const [body, type, status] of [
      [{ op: "warp" }, "application/json", 400],
      [{ op: "jump", by: "P-1D" }, "application/json", 400],
      [{ op: "speed", speed: 1e9 }, "application/json", 400],
      ["not json", "application/json", 400],
      [{ op: "pause" }, "text/plain", 415],
    ] as const) {
      const answer = await post(ROUTES.clock, body, type);
      expect(answer.status).toBe(status);
      expect(answer.headers.get("content-type")).toContain("application/problem+json");
    }
    const unknownAction = await post(ROUTES.act, { do: "owner.fly", device: "amara-phone" });
    expect(unknownAction.status).toBe(400);
    expect(((await unknownAction.json()) as { detail: string }).detail).toMatch(/must be one of/);
    const after = (await (await app.request(ROUTES.state)).json()) as StudioState;
    expect(after.clock.now).toBe(before.clock.now);
    expect(after.stage.steps).toEqual(before.stage.steps);
  });

  it("answers a refused action with the problem: a 4xx, or a 200 carrying it when the page asks", async () => {
    await post(ROUTES.stage, { op: "reset" });
    const refuse = (headers: Record<string, string>) =>
      app.request(ROUTES.act, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify({ do: "support.issue_code", device: "amara-phone" }) });
    const plain = await refuse({});
    expect(plain.status).toBe(409);
    const inBody = await refuse({ "x-heartlock-refusals": "in-body" });
    expect(inBody.status).toBe(200);
    expect(inBody.headers.get("content-type")).toContain("application/problem+json");
    expect(((await inBody.json()) as { status: number; detail: string }).status).toBe(409);
  });

  it("puts the lock service of the stage behind /v1: the facilitator API steers the studio's clock", async () => {
    const set = await app.request("/v1/sim/clock", {
      method: "PATCH",
      headers: { authorization: `Bearer ${testKeys.admin}`, "content-type": "application/json" },
      body: JSON.stringify({ speed: 600 }),
    });
    expect(set.status).toBe(200);
    const state = (await (await app.request(ROUTES.state)).json()) as StudioState;
    expect([state.clock.playing, state.clock.speed]).toEqual([true, 600]);
    await post(ROUTES.clock, { op: "pause" });
  });

  it("lists the free stage and the library with objectives, and loads one", async () => {
    const list = (await (await app.request(ROUTES.scenarios)).json()) as { name: string; objectives: string[] }[];
    expect(list[0]?.name).toBe("free-stage");
    expect(list.map((s) => s.name)).toContain("missed-payment-lock");
    expect(list.every((s) => s.objectives.length > 0)).toBe(true);
    const loaded = await post(ROUTES.stage, { op: "load", scenario: "missed-payment-lock" });
    expect(((await loaded.json()) as StudioState).stage.title).toMatch(/missed payment/i);
    expect((await post(ROUTES.stage, { op: "load", scenario: "../../etc/passwd" })).status).toBe(404);
  });

  it("streams the state, the recent timeline and the diagram to a page that connects", async () => {
    await post(ROUTES.clock, { op: "jump", by: "PT2H" });
    const answer = await app.request(ROUTES.stream);
    expect(answer.headers.get("content-type")).toContain("text/event-stream");
    const reader = answer.body?.getReader();
    let text = "";
    while (reader && !text.includes("event: diagram")) {
      const chunk = await reader.read();
      if (chunk.done) break;
      text += new TextDecoder().decode(chunk.value);
    }
    await reader?.cancel();
    expect(text).toContain("event: state");
    expect(text).toMatch(/event: event\ndata: \{[^\n]*"narration":"[^"]+"/);
    expect(text).toContain("event: diagram");
  });

  it("pages back through the timeline before a seq, oldest first, and refuses bad paging with a problem+json 400", async () => {
    await post(ROUTES.clock, { op: "jump", by: "P2D" });
    const lastSeq = ((await (await app.request(ROUTES.state)).json()) as StudioState).stage.lastSeq;
    expect(lastSeq).toBeGreaterThan(20);
    const page = (await (await app.request(`${ROUTES.events}?before=${lastSeq}&limit=7`)).json()) as TimelineEntry[];
    expect(page.map((entry) => entry.seq)).toEqual(Array.from({ length: 7 }, (_, i) => lastSeq - 7 + i));
    expect(page.every((entry) => entry.narration.length > 0)).toBe(true);
    // Walking back page by page reaches event 1, with no gap and no repeat.
    const seen: number[] = [];
    let before = lastSeq + 1;
    while (before > 1) {
      const older = (await (await app.request(`${ROUTES.events}?before=${before}&limit=9`)).json()) as TimelineEntry[];
      expect(older.length).toBeGreaterThan(0);
      seen.unshift(...older.map((entry) => entry.seq));
      before = older[0]?.seq ?? 1;
    }
    expect(seen).toEqual(Array.from({ length: lastSeq }, (_, i) => i + 1));
    for (const query of ["", "?before=abc", "?before=-1", `?before=5&limit=0`, `?before=5&limit=${EARLIER_PAGE + 1}`, "?before=99999999999999999"]) {
      const refused = await app.request(`${ROUTES.events}${query}`);
      expect(refused.status, query).toBe(400);
      expect(refused.headers.get("content-type")).toContain("application/problem+json");
    }
  });

  it("exports the run as Markdown and the diagram as SVG and Mermaid, as downloads", async () => {
    const md = await app.request(ROUTES.exportMarkdown);
    expect(md.headers.get("content-disposition")).toMatch(/attachment; filename="missed-payment-lock\.md"/);
    expect(await md.text()).toContain("# A missed payment locks the phone");
    const svg = await app.request(ROUTES.exportSvg);
    expect(svg.headers.get("content-type")).toBe("image/svg+xml");
    const drawing = await svg.text();
    expect(drawing).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(drawing).toContain("Lock service");
    const mmd = await (await app.request(ROUTES.exportMermaid)).text();
    expect(mmd).toMatch(/^sequenceDiagram/);
  });
});
