import { OpenAPIHono } from "@hono/zod-openapi";
import { operations, type Operation } from "../../protocol/operations.ts";
import { Health, ServerKey } from "../../protocol/messages/sim.ts";
import { Problem, PROBLEM_CONTENT_TYPE } from "../../protocol/problem.ts";

const problemDescriptions: Record<number, string> = {
  400: "Invalid request (bad JSON, wrong types, missing fields)",
  401: "Missing or unknown bearer token",
  403: "A token of another role",
  404: "Not found (or not yours)",
  409: "Conflict",
  410: "Code expired",
  415: "Body is not JSON",
  422: "Code invalid",
  429: "Too many attempts (see Retry-After)",
  503: "Outage fault",
};

/**
 * The OpenAPI 3.1 document, generated from the same zod schemas that validate requests. Only the
 * registry and generator of @hono/zod-openapi are used; the routes themselves are plain Hono.
 */
export function openApiDocument(): ReturnType<OpenAPIHono["getOpenAPI31Document"]> {
  const doc = new OpenAPIHono();
  doc.openAPIRegistry.registerComponent("securitySchemes", "bearer", { type: "http", scheme: "bearer" });
  for (const [id, op] of Object.entries(operations) as [string, Operation][]) {
    const faultable = !op.path.startsWith("/v1/sim/");
    const problems = new Set<number>([400, ...(op.role === "none" ? [] : [401, 403]), ...(op.body ? [415] : []), ...op.problems, ...(faultable ? [503] : [])]);
    const success: Record<string, { schema: unknown }> = { "application/json": { schema: op.response } };
    // The journal also streams live: each SSE message is `id: <seq>`, `event: <type>`, `data: <event JSON>`.
    if (op === operations.listEvents) success["text/event-stream"] = { schema: { type: "string" } };
    doc.openAPIRegistry.registerPath({
      method: op.method,
      path: op.path,
      // The operation table's ids, so generated clients name their methods as `heartlock/client` does.
      operationId: id,
      summary: op.summary,
      tags: [tagOf(op)],
      // Check-in is public: an empty list overrides the document-wide bearer requirement.
      security: op.role === "none" ? [] : [{ bearer: [] }],
      request: {
        ...(op.params ? { params: op.params as never } : {}),
        ...(op.query ? { query: op.query as never } : {}),
        ...(op.body ? { body: { required: !op.bodyOptional, content: { "application/json": { schema: op.body } } } } : {}),
      },
      responses: {
        [op.status]: { description: "Success", content: success as never },
        ...Object.fromEntries(
          [...problems].map((status) => [
            status,
            { description: problemDescriptions[status] ?? "Problem", content: { [PROBLEM_CONTENT_TYPE]: { schema: Problem } } },
          ]),
        ),
      },
    });
  }
  doc.openAPIRegistry.registerPath({
    method: "get",
    path: "/healthz",
    operationId: "health",
    summary: "Liveness",
    security: [],
    tags: ["health"],
    responses: { 200: { description: "Alive", content: { "application/json": { schema: Health } } } },
  });
  doc.openAPIRegistry.registerPath({
    method: "get",
    path: "/v1/server-key",
    operationId: "serverKey",
    summary: "The pinned Ed25519 public key that signs check-in and heartbeat answers (Heartlock addition)",
    security: [],
    tags: ["device"],
    responses: {
      200: { description: "The key, for a phone to be provisioned with", content: { "application/json": { schema: ServerKey } } },
      404: { description: "This lock service runs without a pinned key", content: { [PROBLEM_CONTENT_TYPE]: { schema: Problem } } },
    },
  });
  return doc.getOpenAPI31Document({
    openapi: "3.1.0",
    info: {
      title: "Heartlock mock standing-status server",
      version: "1.0.0",
      license: { name: "MIT", url: "https://spdx.org/licenses/MIT.html" },
      description:
        "A simulation of the lock service a financed phone polls. Nothing real is ever locked. All times are on the simulated clock.",
    },
    servers: [{ url: "/" }],
    // Every call but check-in and /healthz needs a bearer token; those two say `security: []`.
    security: [{ bearer: [] }],
  });
}

function tagOf(op: Operation): string {
  switch (op.role) {
    case "none":
    case "device":
      return "device";
    case "admin":
      return "facilitator";
    default:
      return op.role;
  }
}
