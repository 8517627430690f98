import { Hono, type Context } from "hono";
import type { z } from "zod";
import type { ServerKey } from "../../protocol/messages/sim.ts";
import { systemWall } from "../../core/wall-clock.ts";
import { operations, type Operation, type OperationId } from "../../protocol/operations.ts";
import { invalidRequest, ProblemError } from "../../protocol/problem.ts";
import { wireJson } from "../../protocol/signed-answer.ts";
import { DroppedConnection, type LockService } from "../service.ts";
import { streamEvents } from "./events-stream.ts";
import type { openApiDocument } from "./openapi.ts";
import { limitBodies } from "./limits.ts";
import { problemResponse, simpleProblem } from "./problem-response.ts";
import { bearerToken, readCall } from "./request.ts";

/**
 * The document depends only on the operation table, so it is built once per process, on first request:
 * building it takes ~15 ms, which a scenario library creating an app per run should not pay each time. Its
 * generator (@hono/zod-openapi) is imported then too, so a `heartlock run` never loads it.
 */
let openApi: Promise<ReturnType<typeof openApiDocument>> | undefined;
function sharedOpenApiDocument(): Promise<ReturnType<typeof openApiDocument>> {
  openApi ??= import("./openapi.ts").then((module) => module.openApiDocument());
  return openApi;
}

export interface AppOptions {
  /**
   * Adds pages beside the API and returns the paths it routed (they answer 405 to other methods). The Node
   * servers mount the `/docs` page here (./docs.ts reads files); the app itself stays free of Node, so it
   * bundles for a browser (heartlock/msw).
   */
  readonly pages?: (app: Hono) => readonly string[];
  /**
   * The app these routes are mounted in already limits every body with limitBodies (the studio): the routes then
   * skip their own copy of the check, which would read the same headers a second time on every call.
   */
  readonly bodiesLimited?: boolean;
}

/**
 * The Hono app around the lock service: one route per operation of the protocol table, each a thin
 * translation from HTTP to `service.invoke` and back. No rule lives here.
 */
export function createApp(serviceOrCurrent: LockService | (() => LockService), options: AppOptions = {}): Hono {
  // The studio passes "whatever service is on stage now", so it can mount these routes once, directly.
  const current = typeof serviceOrCurrent === "function" ? serviceOrCurrent : () => serviceOrCurrent;
  const app = new Hono();
  if (!options.bodiesLimited) app.use(limitBodies());

  app.get("/healthz", (c) => c.json({ ok: true }));
  app.get("/openapi.json", async (c) => c.json(await sharedOpenApiDocument()));
  // Heartlock addition: the pinned Ed25519 public key, for a phone (or a prototype) to be provisioned with.
  app.get("/v1/server-key", (c) => {
    const key = current().state.serverKey;
    const answer: z.input<typeof ServerKey> | undefined = key && { algorithm: "Ed25519", publicKey: key.publicKey, field: "serverSignature" };
    return answer ? c.json(answer) : simpleProblem(404, "not_found", "This lock service runs without a pinned key.");
  });
  const pages = options.pages?.(app) ?? [];

  const methodsByPath = new Map<string, string[]>([
    ["/healthz", ["GET"]],
    ["/openapi.json", ["GET"]],
    ...pages.map((path): [string, string[]] => [path, ["GET"]]),
    ["/v1/server-key", ["GET"]],
  ]);
  for (const [id, op] of Object.entries(operations) as [OperationId, Operation][]) {
    const path = honoPath(op.path);
    methodsByPath.set(path, [...(methodsByPath.get(path) ?? []), op.method.toUpperCase()]);
    app.on(op.method.toUpperCase(), path, (c) => handle(c, current(), id, op));
  }
  // A known path with another method is a 405 that names the allowed ones, not a puzzling 404.
  for (const [path, methods] of methodsByPath) {
    app.all(path, () => simpleProblem(405, "invalid_request", `Use ${methods.join(" or ")} on this path.`, { allow: methods.join(", ") }));
  }

  app.notFound((c) => simpleProblem(404, "not_found", `No route ${c.req.method} ${c.req.path}.`));
  app.onError((error) => {
    if (error instanceof DroppedConnection) throw error; // the node adapter and in-process transport turn it into a network failure
    if (error instanceof ProblemError) return problemResponse(error);
    console.error("heartlock: unexpected error", error);
    return simpleProblem(500, "internal_error", `Unexpected error in Heartlock (please report it): ${String(error)}`);
  });
  return app;
}

async function handle(c: Context, service: LockService, id: OperationId, op: Operation): Promise<Response> {
  // A man in the middle (the `mitm` fault) answers before the real service checks anything.
  if (service.state.faults.length > 0 && (op.role === "device" || id === "checkin")) {
    const intercepted = service.intercept(id, await readCall(c, op));
    if (intercepted) return new Response(JSON.stringify(intercepted.body), { status: intercepted.status, headers: { "content-type": "application/json", ...intercepted.headers } });
  }
  // Who is calling comes first, as in `invoke`: a caller without a token hears 401, not a complaint about its JSON.
  const token = bearerToken(c);
  service.state.auth.require(op.role, token);
  const call = await readCall(c, op, token);
  if (id === "listEvents" && (c.req.header("accept") ?? "").includes("text/event-stream")) {
    // An EventSource reconnects with its original URL plus Last-Event-ID: the header says where it really was.
    const query = operations.listEvents.query.safeParse({ after: c.req.header("last-event-id") ?? call.query.after });
    if (!query.success) throw invalidRequest(query.error, "query");
    return streamEvents(c, service.state.journal, query.data.after ?? 0);
  }
  const outcome = await service.invoke(id, call);
  if (outcome.delayMs) await new Promise<void>((resolve) => systemWall.setTimer(outcome.delayMs ?? 0, resolve));
  const headers = { "content-type": "application/json", ...outcome.headers };
  // A signed heartbeat answer brings its JSON text (protocol/signed-answer.ts): it is not serialised a second time.
  return new Response(wireJson(outcome.body), { status: outcome.status, headers });
}

/** `/v1/devices/{deviceId}` -> `/v1/devices/:deviceId` */
export function honoPath(template: string): string {
  return template.replace(/\{(\w+)\}/g, ":$1");
}
