import { issuedCodes, redactCodes, wantsCodes } from "./redact-codes.ts";
import { readFileSync } from "node:fs";
import { Hono, type Context } from "hono";
import { z } from "zod";
import { DAY } from "../core/clock.ts";
import { parseDuration } from "../core/duration.ts";
import type { Wall } from "../core/wall-clock.ts";
import { createApp } from "../mock-server/http/app.ts";
import { mountDocs } from "../mock-server/http/docs.ts";
import { streamQueue } from "../mock-server/http/events-stream.ts";
import { isJsonContentType, limitBodies } from "../mock-server/http/limits.ts";
import { problemResponse, simpleProblem } from "../mock-server/http/problem-response.ts";
import { DroppedConnection } from "../mock-server/service.ts";
import { invalidRequest, ProblemError } from "../protocol/problem.ts";
import { ScenarioError } from "../scenarios/format/problems.ts";
import { markdown } from "../scenarios/report/markdown.ts";
import { mermaidText, sequenceOf } from "../scenarios/report/mermaid.ts";
import { clientBundle } from "./bundle.ts";
import { mountGallery } from "./gallery/routes.ts";
import { studioPage } from "./client/page.ts";
import { MAX_SPEED, ROUTES, type ScenarioSummary } from "./contract.ts";
import { mountChartRoutes } from "./charts-routes.ts";
import { stagePlan } from "./fleet-stage.ts";
import { FREE_STAGE } from "./free-stage.ts";
import { EARLIER_PAGE, type StudioHub, type StudioMessage } from "./hub.ts";
import { NoBrowser, printPdf } from "./browser/pdf.ts";
import { scenarioYaml } from "./recording.ts";
import { diagramOf } from "./timeline.ts";
import { stateText } from "./wire-state.ts";
import type { StudioAccess } from "./access.ts";

/** Sent by the studio page: "in-body" asks for an action's refusal as a 200 carrying the problem. */
const REFUSALS_HEADER = "x-heartlock-refusals";

const ClockRequest = z.discriminatedUnion("op", [
  z.strictObject({ op: z.literal("play"), speed: z.number().positive().max(MAX_SPEED).optional() }),
  z.strictObject({ op: z.literal("pause") }),
  z.strictObject({ op: z.literal("speed"), speed: z.number().nonnegative().max(MAX_SPEED) }),
  z.strictObject({ op: z.literal("step") }),
  z.strictObject({
    op: z.literal("jump"),
    by: z.union([
      z.literal("next-business-day"),
      z.string().refine((text) => {
        try {
          const ms = parseDuration(text);
          return ms > 0 && ms <= 366 * DAY;
        } catch {
          return false;
        }
      }, 'an ISO duration up to a year ("PT1H", "P1D"), or "next-business-day"'),
    ]),
  }),
]);

const wholeNumber = z.string().max(16).regex(/^\d+$/, "must be a whole number").transform(Number);
const EarlierQuery = z.object({ before: wholeNumber, limit: wholeNumber.pipe(z.number().int().min(1).max(EARLIER_PAGE)).optional() });


const StageRequest = z.discriminatedUnion("op", [
  z.strictObject({ op: z.literal("load"), scenario: z.string().min(1).max(100) }),
  z.strictObject({ op: z.literal("reset") }),
  z.strictObject({ op: z.literal("rewind"), seq: z.number().int().min(1).max(10_000_000) }),
]);

/**
 * The studio's routes around the stage, and the lock service of whatever is on stage behind them: `/v1/…`,
 * `/docs` and `/openapi.json` reach the show's own service, so a client written from PROTOCOL.md sees the
 * same world the page shows.
 */
export function studioApp(hub: StudioHub, wall: Wall, access: StudioAccess): Hono {
  const app = new Hono();
  app.use(access.middleware);
  app.use(limitBodies());

  app.get(ROUTES.page, (c) => c.html(studioPage()));
  mountGallery(app);
  // Read per request: small, and a UX team editing it sees the change on reload.
  app.get(ROUTES.style, (c) => c.body(readFileSync(new URL("./assets/studio.css", import.meta.url), "utf8"), 200, { "content-type": "text/css; charset=utf-8", "cache-control": "no-cache" }));
  app.get(ROUTES.script, async (c) => c.body(await clientBundle(), 200, { "content-type": "text/javascript; charset=utf-8", "cache-control": "no-cache" }));

  app.get(ROUTES.state, (c) => stateJson(c, hub));
  app.get(ROUTES.scenarios, (c) => c.json(scenarioSummaries(hub)));
  app.get(ROUTES.events, (c) => {
    const query = parse(EarlierQuery, c.req.query(), "query");
    return c.json(hub.earlier(query.before, query.limit ?? EARLIER_PAGE));
  });
  app.get(ROUTES.stream, (c) => stream(c, hub, wall));

  app.post(ROUTES.act, async (c) => {
    try {
      const step = await hub.stage.act(await jsonBody(c));
      // The state as the stream sends it (a fleet's screens shared: wire-state.ts), inside the answer.
      return c.body(`{"outcome":${JSON.stringify(step.outcome ?? "done")},"state":${stateText(hub.state())}}`, 200, JSON_TYPE);
    } catch (error) {
      // A browser logs every 4xx answer to fetch as a console error, which the page cannot prevent; a refusal
      // is a normal part of many stories, so the page asks for it in the body of a 200 instead.
      if (error instanceof ProblemError && c.req.header(REFUSALS_HEADER) === "in-body") {
        return c.body(JSON.stringify(error.toProblem()), 200, { "content-type": "application/problem+json" });
      }
      throw error;
    }
  });
  app.post(ROUTES.clock, async (c) => {
    const request = parse(ClockRequest, await jsonBody(c));
    await hub.stage.clock(request);
    return stateJson(c, hub);
  });
  app.post(ROUTES.stage, async (c) => {
    const request = parse(StageRequest, await jsonBody(c));
    if (request.op === "load") await hub.stage.load(request.scenario);
    else if (request.op === "rewind") await hub.stage.rewind(request.seq);
    else await hub.stage.reset();
    return stateJson(c, hub);
  });

  // Exports and the participants' handout mask every issued unlock code unless asked for with ?codes=1 (studio/redact-codes.ts).
  const exported = (c: { req: { query(name: string): string | undefined } }, text: string) =>
    wantsCodes(c.req.query("codes")) ? text : redactCodes(text, issuedCodes(hub.stage.current));
  app.get(ROUTES.exportMarkdown, (c) => {
    const run = hub.stage.current.run;
    return c.body(exported(c, markdown([run.result()], {})), 200, attachment(`${run.plan.name}.md`, "text/markdown; charset=utf-8"));
  });
  app.get(ROUTES.exportSvg, (c) => c.body(exported(c, diagramOf(hub.stage.current, { all: true }).svg), 200, attachment(`${hub.stage.current.run.plan.name}.svg`, "image/svg+xml")));
  app.get(ROUTES.exportScenario, (c) => c.body(scenarioYaml(hub.stage.saved()), 200, attachment(`${hub.stage.current.run.plan.name}-saved.yaml`, "application/yaml; charset=utf-8")));
  app.get(ROUTES.handout, (c) => c.html(exported(c, hub.handout())));
  app.get(ROUTES.exportHandout, async (c) => {
    try {
      const pdf = await printPdf(exported(c, hub.handout()));
      return c.body(pdf.buffer.slice(pdf.byteOffset, pdf.byteOffset + pdf.byteLength) as ArrayBuffer, 200, attachment(`${hub.stage.current.run.plan.name}-handout.pdf`, "application/pdf"));
    } catch (error) {
      if (error instanceof NoBrowser) return simpleProblem(503, "service_unavailable", `The handout PDF is printed by Chromium: ${error.message}. ${ROUTES.handout} is the same handout as a page to print.`);
      throw error;
    }
  });
  app.get(ROUTES.exportMermaid, (c) => c.body(exported(c, `${mermaidText(sequenceOf(hub.stage.current.run.result()))}\n`), 200, { "content-type": "text/plain; charset=utf-8" }));

  mountChartRoutes(app, hub);

  // A studio path with another method is a 405 naming the allowed ones, as on /v1, not a puzzling 404.
  const methodsByPath = new Map<string, string[]>();
  for (const route of app.routes) {
    if (route.method === "ALL") continue; // the middleware above
    methodsByPath.set(route.path, [...new Set([...(methodsByPath.get(route.path) ?? []), route.method, ...(route.method === "GET" ? ["HEAD"] : [])])]);
  }
  for (const [path, methods] of methodsByPath) {
    app.all(path, () => simpleProblem(405, "invalid_request", `Use ${methods.join(" or ")} on this path.`, { allow: methods.join(", ") }));
  }

  // Everything else is the lock service of the show on stage: its routes are mounted here once and find the
  // service on stage per request, so a heartbeat is not rebuilt as a Request and dispatched a second time.
  const lockService = createApp(() => hub.stage.current.run.world.service, { pages: mountDocs, bodiesLimited: true });
  app.route("/", lockService);
  app.notFound((c) => simpleProblem(404, "not_found", `No route ${c.req.method} ${c.req.path}.`));

  app.onError((error) => {
    if (error instanceof DroppedConnection) throw error; // the node adapter destroys the socket
    if (error instanceof ProblemError) return problemResponse(error);
    if (error instanceof ScenarioError) return simpleProblem(422, "invalid_request", error.message);
    console.error("heartlock studio: unexpected error", error);
    return simpleProblem(500, "internal_error", `Unexpected error in the Heartlock studio (please report it): ${String(error)}`);
  });
  return app;
}

const JSON_TYPE = { "content-type": "application/json" } as const;

/** The state now, as the page reads it (see studio/wire-state.ts). */
function stateJson(c: Context, hub: StudioHub): Response {
  return c.body(stateText(hub.state()), 200, JSON_TYPE);
}

function stream(c: Context, hub: StudioHub, wall: Wall): Response {
  return streamQueue<StudioMessage>(c, { backlog: hub.welcome(), subscribe: (push) => hub.subscribe(push), message: (item) => item }, wall);
}

let summaries: ScenarioSummary[] | undefined;

/** The picker's list: the free stage, then the library, each with its objectives. Read once per process. */
function scenarioSummaries(hub: StudioHub): ScenarioSummary[] {
  summaries ??= hub.stage.scenarioNames().map((name): ScenarioSummary => {
    const plan = name === FREE_STAGE ? hub.stage.freePlan() : stagePlan(name);
    return {
      name,
      title: plan.scenario.title,
      summary: plan.scenario.summary,
      objectives: plan.scenario.objectives,
      steps: name === FREE_STAGE ? 0 : plan.steps.length,
      days: Math.round(((plan.end - plan.start) / DAY) * 10) / 10,
    };
  });
  return summaries;
}

async function jsonBody(c: Context): Promise<unknown> {
  if (!isJsonContentType(c.req.header("content-type"))) throw new ProblemError(415, "invalid_request", "Send the body as application/json.");
  try {
    return await c.req.json();
  } catch {
    throw new ProblemError(400, "invalid_request", "The request body is not valid JSON.");
  }
}

function parse<T>(schema: z.ZodType<T>, input: unknown, where: "body" | "query" = "body"): T {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw invalidRequest(parsed.error, where);
}

function attachment(filename: string, type: string): Record<string, string> {
  return { "content-type": type, "content-disposition": `attachment; filename="${filename.replace(/[^\w.-]/g, "_")}"` };
}
