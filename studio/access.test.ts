import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualWall } from "../core/manual-wall.ts";
import { testKeys } from "../mock-server/create.ts";
import { requestUrl, studioAccess } from "./access.ts";
import { ROUTES } from "./contract.ts";
import { studioApp } from "./http.ts";
import { StudioHub } from "./hub.ts";

let hub: StudioHub;
let app: ReturnType<typeof studioApp>;
const TOKEN = "studio-token-for-tests";
beforeAll(async () => {
  const wall = new ManualWall(0);
  hub = await StudioHub.open({ wall });
  app = studioApp(hub, wall, studioAccess({ adminKey: testKeys.admin, token: TOKEN }));
});
afterAll(() => hub.close());

const HOST = "127.0.0.1:8787";
const at = (path: string, init: RequestInit = {}) =>
  app.request(`http://${HOST}${path}`, { ...init, headers: { host: HOST, ...(init.headers as Record<string, string> | undefined) } });

/** Every studio route and a body that would change the stage (issue a live unlock code, play at a day per second). */
const ROUTES_UNDER_KEY: [string, string, unknown?][] = [
  ["GET", ROUTES.state],
  ["GET", ROUTES.stream],
  ["GET", ROUTES.scenarios],
  ["POST", ROUTES.act, { do: "support.issue_code", device: "amara-phone" }],
  ["POST", ROUTES.clock, { op: "play", speed: 86400 }],
  ["POST", ROUTES.stage, { op: "reset" }],
  ["GET", ROUTES.exportMarkdown],
  ["GET", ROUTES.exportSvg],
  ["GET", ROUTES.exportMermaid],
  // Not in the authorization matrix because, let through, they write a deck into copy/ or start Chromium.
  ["PUT", "/studio/api/copy/en", { locale: "en" }],
  ["GET", ROUTES.exportHandout],
];

async function sessionCookie(): Promise<string> {
  const answer = await at(`/?token=${TOKEN}`);
  expect(answer.status).toBe(303);
  expect(answer.headers.get("location")).toBe("/");
  const cookie = answer.headers.get("set-cookie") ?? "";
  expect(cookie).toMatch(/HttpOnly/);
  expect(cookie).toMatch(/SameSite=Strict/);
  return cookie.split(";")[0] ?? "";
}

describe("the studio's access checks", () => {
  it("answers 401 problem+json to every /studio/api and export call without the studio credential, and changes nothing", async () => {
    const before = hub.state();
    for (const [method, path, body] of ROUTES_UNDER_KEY) {
      const answer = await at(path, { method, ...(body ? { body: JSON.stringify(body), headers: { "content-type": "application/json" } } : {}) });
      expect([path, answer.status]).toEqual([path, 401]);
      expect(answer.headers.get("content-type")).toContain("application/problem+json");
    }
    const wrongKey = await at(ROUTES.state, { headers: { authorization: `Bearer ${testKeys.support}` } });
    expect(wrongKey.status).toBe(401);
    const after = hub.state();
    expect(after.codes).toEqual(before.codes);
    expect(after.clock).toEqual(before.clock);
  });

  it("opens from the printed URL: the token becomes an HttpOnly SameSite=Strict cookie that every call then carries", async () => {
    expect((await at("/")).status).toBe(401);
    expect((await at("/?token=guessed")).status).toBe(401);
    const cookie = await sessionCookie();
    expect((await at("/", { headers: { cookie } })).status).toBe(200);
    expect((await at(ROUTES.state, { headers: { cookie } })).status).toBe(200);
    const played = await at(ROUTES.clock, { method: "POST", headers: { cookie, "content-type": "application/json", origin: `http://${HOST}` }, body: JSON.stringify({ op: "pause" }) });
    expect(played.status).toBe(200);
  });

  it("opens the copy gallery from the printed link with /gallery, and without the session says how to open it", async () => {
    const page = await at("/gallery");
    expect(page.status).toBe(401);
    expect(await page.text()).toContain("?token=");
    const answer = await at(`/gallery?token=${TOKEN}`);
    expect([answer.status, answer.headers.get("location")]).toEqual([303, "/gallery"]);
    const cookie = (answer.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    expect((await at("/gallery", { headers: { cookie } })).status).toBe(200);
    expect((await at("/studio/api/copy", { headers: { cookie } })).status).toBe(200);
  });

  it("keeps the rest of the printed link's address when the token leaves it (?presenter)", async () => {
    for (const [from, to] of [[`/?token=${TOKEN}&presenter`, "/?presenter"], [`/?presenter&token=${TOKEN}`, "/?presenter"], [`/gallery?token=${TOKEN}`, "/gallery"]] as const) {
      expect((await at(from)).headers.get("location"), from).toBe(to);
    }
  });

  it("answers another method on a studio path 405 with Allow, as /v1 does", async () => {
    const admin = { authorization: `Bearer ${testKeys.admin}` };
    const wrong = await at(ROUTES.act, { method: "GET", headers: admin });
    expect([wrong.status, wrong.headers.get("allow"), wrong.headers.get("content-type")]).toEqual([405, "POST", "application/problem+json"]);
    expect((await at(ROUTES.state, { method: "DELETE", headers: admin })).headers.get("allow")).toBe("GET, HEAD");
    expect((await at("/studio/api/no-such-thing", { headers: admin })).status).toBe(404);
  });

  it("takes the admin key instead of the cookie, for scripts", async () => {
    expect((await at(ROUTES.state, { headers: { authorization: `Bearer ${testKeys.admin}` } })).status).toBe(200);
  });

  it("refuses a Host other than loopback or the bound names (DNS rebinding), even with the credential", async () => {
    const cookie = await sessionCookie();
    for (const host of ["attacker.test:8787", "attacker.test", "127.0.0.1.nip.io:8787"]) {
      const answer = await app.request(`http://${host}${ROUTES.state}`, { headers: { host, cookie } });
      expect([host, answer.status]).toEqual([host, 403]);
    }
    expect((await app.request(`http://localhost:8787${ROUTES.state}`, { headers: { host: "localhost:8787", cookie: cookie.replace("8787", "8787") } })).status).toBe(200);
  });

  it("refuses a request another origin's page makes (CSRF), by Origin and by Sec-Fetch-Site", async () => {
    const cookie = await sessionCookie();
    const act = (headers: Record<string, string>) =>
      at(ROUTES.act, { method: "POST", headers: { cookie, "content-type": "application/json", ...headers }, body: JSON.stringify({ do: "support.issue_code", device: "amara-phone" }) });
    expect((await act({ origin: "http://attacker.test" })).status).toBe(403);
    expect((await act({ origin: "http://localhost:9999" })).status).toBe(403);
    expect((await act({ origin: "null" })).status).toBe(403);
    expect((await act({ "sec-fetch-site": "cross-site" })).status).toBe(403);
    expect((await act({ "sec-fetch-site": "same-site" })).status).toBe(403);
  });

  it("takes only Content-Type: application/json on its JSON routes (a no-cors text/plain body is 415)", async () => {
    const cookie = await sessionCookie();
    for (const type of ["text/plain; application/json", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonx"]) {
      const answer = await at(ROUTES.clock, { method: "POST", headers: { cookie, "content-type": type }, body: JSON.stringify({ op: "play", speed: 86400 }) });
      expect([type, answer.status]).toEqual([type, 415]);
    }
    const v1 = await at("/v1/sim/clock", { method: "PATCH", headers: { authorization: `Bearer ${testKeys.admin}`, "content-type": "text/plain; application/json" }, body: JSON.stringify({ speed: 86400 }) });
    expect(v1.status).toBe(415);
    expect(hub.state().clock.speed).not.toBe(86400);
  });
});

describe("the request URL the checks read", () => {
  it("gives the scheme and path new URL gives, for plain paths read from the text and every other one parsed", () => {
    const urls = [
      "http://127.0.0.1:8787/v1/devices/dev-1/heartbeat",
      "http://127.0.0.1:8787/",
      "http://localhost/studio/api/state?x=1#y",
      "https://[::1]:9/studio/handout",
      "http://127.0.0.1/studio/%61pi/state",
      "http://127.0.0.1/studio/x/../api/state",
      "http://127.0.0.1/studio/./api/state",
      "http://127.0.0.1/studio/api/..",
      "http://127.0.0.1/a//b/.well-known/x.y~z_w",
      "http://127.0.0.1/a b/c",
      "http://127.0.0.1/a\\..\\studio/api/state",
      "http://a@127.0.0.1/studio/api/state",
      "http://127.0.0.1/\u00e9/x",
      "http://127.0.0.1",
    ];
    for (const text of urls) {
      const expected = new URL(text);
      const read = requestUrl(text);
      expect([text, read.protocol, read.pathname]).toEqual([text, expected.protocol, expected.pathname]);
      expect(read.parsed().href).toBe(expected.href);
    }
  });
});
