import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualWall } from "../core/manual-wall.ts";
import { testKeys } from "../mock-server/create.ts";
import { studioAccess } from "./access.ts";
import { CHART_ROUTES } from "./charts-routes.ts";
import { ROUTES } from "./contract.ts";
import { GALLERY_ROUTES } from "./gallery/routes.ts";
import { studioApp } from "./http.ts";
import { StudioHub } from "./hub.ts";

/** The studio's authorization matrix: every /studio/api and export route × every kind of credential. */
let hub: StudioHub;
let app: ReturnType<typeof studioApp>;
let cookie = "";
const TOKEN = "matrix-studio-token";
const HOST = "127.0.0.1:8787";
beforeAll(async () => {
  const wall = new ManualWall(0);
  hub = await StudioHub.open({ wall });
  app = studioApp(hub, wall, studioAccess({ adminKey: testKeys.admin, token: TOKEN }));
  const answer = await app.request(`http://${HOST}/?token=${TOKEN}`, { headers: { host: HOST } });
  cookie = (answer.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
});
afterAll(() => hub.close());

const ROUTES_UNDER_KEY: [string, string, unknown?][] = [
  ["GET", ROUTES.state],
  ["GET", ROUTES.stream],
  ["GET", `${ROUTES.events}?before=10&limit=5`],
  ["GET", ROUTES.scenarios],
  ["POST", ROUTES.act, { do: "support.issue_code", device: "amara-phone" }],
  ["POST", ROUTES.clock, { op: "pause" }],
  ["POST", ROUTES.stage, { op: "reset" }],
  ["GET", ROUTES.exportMarkdown],
  ["GET", ROUTES.exportSvg],
  ["GET", ROUTES.exportMermaid],
  ["GET", ROUTES.exportScenario],
  ["GET", ROUTES.handout],
  ["GET", CHART_ROUTES.data],
  ["GET", GALLERY_ROUTES.decks],
  // Percent-encoded, the same routes: Hono routes on the decoded path, so the check must too.
  ["GET", "/studio/%61pi/state"],
  ["GET", "/studio/ex%70ort/run.md"],
];

const CREDENTIALS: [string, () => Record<string, string>, boolean][] = [
  ["no credential", () => ({}), false],
  ["a wrong bearer key", () => ({ authorization: "Bearer not-the-key" }), false],
  ["the support key", () => ({ authorization: `Bearer ${testKeys.support}` }), false],
  ["a lender key", () => ({ authorization: `Bearer ${Object.values(testKeys.lenders)[0] ?? ""}` }), false],
  ["a forged session cookie", () => ({ cookie: cookie.replace(/=.*/, "=forged") }), false],
  ["the studio token as a bearer key", () => ({ authorization: `Bearer ${TOKEN}` }), false],
  ["the session cookie", () => ({ cookie }), true],
  ["the admin key", () => ({ authorization: `Bearer ${testKeys.admin}` }), true],
];

describe("the studio's authorization matrix", () => {
  for (const [method, path, body] of ROUTES_UNDER_KEY) {
    for (const [who, headers, allowed] of CREDENTIALS) {
      it(`${method} ${path} with ${who} is ${allowed ? "let through" : "401 problem+json"}`, async () => {
        const answer = await app.request(`http://${HOST}${path}`, {
          method,
          headers: { host: HOST, ...headers(), ...(body ? { "content-type": "application/json" } : {}) },
          ...(body ? { body: JSON.stringify(body) } : {}),
        });
        await answer.body?.cancel();
        if (allowed) {
          // Past the key: the route's own answer (an act may still be refused by the story, e.g. 409), never 401/403/5xx.
          expect([401, 403]).not.toContain(answer.status);
          expect(answer.status).toBeLessThan(500);
        } else {
          expect(answer.status).toBe(401);
          expect(answer.headers.get("content-type")).toContain("application/problem+json");
        }
      });
    }
  }
});
