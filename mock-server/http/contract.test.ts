import { beforeEach, describe, expect, it } from "vitest";
import { operations, pathFor, type Operation, type OperationId } from "../../protocol/operations.ts";
import { RecordPaymentResponse, ReportDefaultResponse } from "../../protocol/messages/lender.ts";
import { Fault } from "../../protocol/messages/sim.ts";
import {
  ADMIN,
  adminEvents,
  createWorld,
  expectProblem,
  heartbeat,
  LENDER_A,
  readBody,
  registerDevice,
  SUPPORT,
  withDeadline,
  type World,
} from "./test-helpers.ts";

/** The published contract (OpenAPI, docs, routing), idempotency, the live event stream, faults and reset. */

const table = Object.entries(operations) as [OperationId, Operation][];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Walks a parsed JSON document; undefined as soon as a step is missing. */
function dig(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (!isRecord(current)) return undefined;
    current = current[key];
  }
  return current;
}

/** Follows a local `$ref` into the document's components; a dangling one resolves to undefined. */
function resolve(doc: unknown, schema: unknown): unknown {
  const ref = dig(schema, "$ref");
  if (typeof ref !== "string") return schema;
  const match = /^#\/components\/schemas\/(.+)$/.exec(ref);
  return match?.[1] === undefined ? undefined : dig(doc, "components", "schemas", match[1]);
}

function expectedProblems(op: Operation): number[] {
  return [...new Set([400, ...(op.role === "none" ? [] : [401, 403]), ...(op.body ? [415] : []), ...op.problems])].sort();
}

describe("GET /openapi.json publishes the binding contract", () => {
  let w: World;
  let doc: unknown;
  beforeEach(async () => {
    w = await createWorld();
    const response = await w.send("GET", "/openapi.json");
    expect(response.status).toBe(200);
    doc = (await response.json()) as unknown;
  });

  it("is an OpenAPI 3.1 document, readable without a token", () => {
    expect(dig(doc, "openapi")).toMatch(/^3\.1\.\d+$/);
    expect(isRecord(dig(doc, "paths"))).toBe(true);
  });

  it.each(table.map(([id, op]) => ({ id, op, route: `${op.method.toUpperCase()} ${op.path}` })))(
    "lists $route with its success status, its request and response schemas and every problem it can answer",
    ({ id, op }) => {
      const operation = dig(doc, "paths", op.path, op.method);
      expect(isRecord(operation)).toBe(true);

      const success = resolve(doc, dig(operation, "responses", String(op.status), "content", "application/json", "schema"));
      expect(isRecord(success)).toBe(true);

      for (const status of expectedProblems(op)) {
        const problem = resolve(doc, dig(operation, "responses", String(status), "content", "application/problem+json", "schema"));
        expect({ status, schema: dig(problem, "properties", "code") === undefined ? "missing" : "present" }).toEqual({ status, schema: "present" });
      }

      if (op.body) {
        expect(dig(operation, "requestBody", "required")).toBe(!op.bodyOptional);
        expect(isRecord(resolve(doc, dig(operation, "requestBody", "content", "application/json", "schema")))).toBe(true);
      } else {
        expect(dig(operation, "requestBody")).toBeUndefined();
      }

      const parameters = dig(operation, "parameters");
      const declared = Array.isArray(parameters) ? parameters.map((p: unknown) => `${String(dig(p, "in"))}:${String(dig(p, "name"))}`) : [];
      for (const name of [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1])) expect(declared).toContain(`path:${name}`);
      if (op.path === "/v1/support/devices") expect(declared).toContain("query:imei");
      if (op.path === "/v1/sim/events") expect(declared).toContain("query:after");

      expect(dig(operation, "operationId")).toBe(id);
      if (op.role === "none") expect(dig(operation, "security")).toEqual([]);
      else expect(dig(operation, "security")).toEqual([{ bearer: [] }]);
    },
  );

  it("names every request and response schema as a component that exists", () => {
    const schemas = dig(doc, "components", "schemas");
    expect(isRecord(schemas)).toBe(true);
    const refs = JSON.stringify(doc).match(/"#\/components\/schemas\/[^"]+"/g) ?? [];
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of new Set(refs)) expect(isRecord(resolve(doc, { $ref: JSON.parse(ref) as string }))).toBe(true);
    for (const id of ["RegisterDeviceRequest", "ReportDefaultRequest", "RecordPaymentRequest", "CheckinRequest", "HeartbeatRequest", "HeartbeatResponse", "Account", "Problem", "ClockPatch", "FaultRequest"]) {
      expect(Object.keys(schemas as Record<string, unknown>)).toContain(id);
    }
  });

  it("describes every route the server has: the operation table, /healthz and the pinned key", () => {
    const listed = Object.entries(dig(doc, "paths") as Record<string, unknown>).flatMap(([path, item]) =>
      Object.keys(item as Record<string, unknown>).map((method) => `${method} ${path}`),
    );
    const routed = [...table.map(([, op]) => `${op.method} ${op.path}`), "get /healthz", "get /v1/server-key"];
    expect(listed.sort()).toEqual(routed.sort());
  });
});

describe("/docs works offline", () => {
  it("serves an HTML page and init script with no http:// or https:// URL, whose local assets all answer 200", async () => {
    const w = await createWorld();
    const page = await w.send("GET", "/docs");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type") ?? "").toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).not.toMatch(/https?:\/\//i);

    // Inline data: URLs (the empty icon that spares a /favicon.ico request) load nothing.
    const references = [...html.matchAll(/\b(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? "").filter((r) => !r.startsWith("data:"));
    expect(references.length).toBeGreaterThanOrEqual(2);
    for (const reference of references) {
      expect(reference).toMatch(/^\/(?!\/)/);
      const asset = await w.send("GET", reference);
      expect({ reference, status: asset.status }).toEqual({ reference, status: 200 });
      const body = await asset.text();
      expect(body.length).toBeGreaterThan(0);
      if (reference.endsWith("init.js")) {
        expect(body).not.toMatch(/https?:\/\//i);
        const spec = /url:\s*"([^"]+)"/.exec(body)?.[1];
        expect(spec).toBe("/openapi.json");
      }
    }
    expect(references.some((r) => r.endsWith("init.js"))).toBe(true);
  });
});

describe("routing answers with problems, not puzzles", () => {
  let w: World;
  beforeEach(async () => {
    w = await createWorld();
  });

  const paths = [...new Set(table.map(([, op]) => op.path))].map((path) => ({
    path,
    allowed: table.filter(([, op]) => op.path === path).map(([, op]) => op.method.toUpperCase()),
  }));

  it.each(paths)("PUT on $path answers 405 with an Allow header naming $allowed", async ({ path, allowed }) => {
    const response = await w.send("PUT", pathFor(path, { deviceId: w.one.deviceId, accountId: "acct-1" }), { token: ADMIN, body: {} });
    const allow = (response.headers.get("allow") ?? "").split(",").map((m) => m.trim()).filter(Boolean);
    await expectProblem(response, 405, "invalid_request");
    expect(allow.sort()).toEqual([...allowed].sort());
  });

  it.each([
    { path: "/healthz", method: "POST" },
    { path: "/openapi.json", method: "DELETE" },
  ])("$method on the documented path $path answers 405 with Allow: GET", async ({ path, method }) => {
    const response = await w.send(method, path);
    expect(response.headers.get("allow")).toBe("GET");
    await expectProblem(response, 405, "invalid_request");
  });

  it.each(["/v1/nothing", "/v2/lender/devices", "/v1/lender/devices/extra/segments", "/docs/assets/evil.js"])(
    "an unknown path %s answers a 404 not_found problem",
    async (path) => {
      await expectProblem(await w.send("GET", path, { token: ADMIN }), 404, "not_found");
    },
  );
});

describe("idempotent lender calls", () => {
  let w: World;
  beforeEach(async () => {
    w = await createWorld();
  });

  const payment = { paymentId: "pay-1", amount: { value: 49.99, currency: "EUR" } };
  const paymentsPath = "/v1/lender/accounts/acct-1/payments";

  it("repeating a paymentId with the same body returns the same answer and schedules one sync only", async () => {
    const pendingBefore = w.service.state.clock.pending().length;
    const first = await w.json("POST", paymentsPath, payment, LENDER_A);
    expect(first.status).toBe(202);
    const firstBody = await readBody(first, RecordPaymentResponse);
    expect(w.service.state.clock.pending()).toHaveLength(pendingBefore + 1);

    const again = await w.json("POST", paymentsPath, payment, LENDER_A);
    expect(again.status).toBe(202);
    expect(await readBody(again, RecordPaymentResponse)).toEqual(firstBody);
    // The same amount written as a decimal string is the same payment.
    const asString = await w.json("POST", paymentsPath, { ...payment, amount: { value: "49.99", currency: "EUR" } }, LENDER_A);
    expect(asString.status).toBe(202);
    expect(await readBody(asString, RecordPaymentResponse)).toEqual(firstBody);

    expect(w.service.state.clock.pending()).toHaveLength(pendingBefore + 1);
    expect((await adminEvents(w)).filter((e) => e.type === "payment.recorded")).toHaveLength(1);
  });

  it("reusing a paymentId with another body answers 409 idempotency_conflict and keeps the first payment", async () => {
    await w.json("POST", paymentsPath, payment, LENDER_A);
    const record = JSON.stringify(w.service.state.store.getAccount("lender-a", "acct-1"));
    const pending = w.service.state.clock.pending().length;

    const other = await w.json("POST", paymentsPath, { ...payment, amount: { value: 50, currency: "EUR" } }, LENDER_A);
    await expectProblem(other, 409, "idempotency_conflict");
    expect(JSON.stringify(w.service.state.store.getAccount("lender-a", "acct-1"))).toBe(record);
    expect(w.service.state.clock.pending()).toHaveLength(pending);
  });

  const report = { reportId: "rep-1", amountDue: { value: 49.99, currency: "EUR" }, dueDate: "2026-03-01", gracePeriod: "P3D" };
  const defaultsPath = "/v1/lender/accounts/acct-1/defaults";

  it("repeating a reportId with the same body returns the same standing and reports the default once", async () => {
    const first = await w.json("POST", defaultsPath, report, LENDER_A);
    expect(first.status).toBe(202);
    const firstBody = await readBody(first, ReportDefaultResponse);
    expect(firstBody.standing).toBe("overdue");
    const pending = w.service.state.clock.pending().length;
    const record = JSON.stringify(w.service.state.store.getAccount("lender-a", "acct-1"));

    const again = await w.json("POST", defaultsPath, report, LENDER_A);
    expect(again.status).toBe(202);
    expect(await readBody(again, ReportDefaultResponse)).toEqual(firstBody);
    expect(JSON.stringify(w.service.state.store.getAccount("lender-a", "acct-1"))).toBe(record);
    expect(w.service.state.clock.pending()).toHaveLength(pending);
    expect((await adminEvents(w)).filter((e) => e.type === "default.reported")).toHaveLength(1);
  });

  it("reusing a reportId with another body answers 409 idempotency_conflict and changes nothing", async () => {
    await w.json("POST", defaultsPath, report, LENDER_A);
    const record = JSON.stringify(w.service.state.store.getAccount("lender-a", "acct-1"));
    const other = await w.json("POST", defaultsPath, { ...report, gracePeriod: undefined }, LENDER_A);
    await expectProblem(other, 409, "idempotency_conflict");
    expect(JSON.stringify(w.service.state.store.getAccount("lender-a", "acct-1"))).toBe(record);
  });
});

interface SseMessage {
  readonly id?: string;
  readonly event?: string;
  readonly data: string;
}

/** Reads SSE messages from a stream body until `done` says so. */
async function readUntil(reader: ReadableStreamDefaultReader<Uint8Array>, messages: SseMessage[], buffer: { text: string }, done: () => boolean): Promise<void> {
  const decoder = new TextDecoder();
  while (!done()) {
    const chunk = await reader.read();
    if (chunk.done) throw new Error("the event stream ended early");
    buffer.text += decoder.decode(chunk.value, { stream: true });
    let end = buffer.text.indexOf("\n\n");
    while (end >= 0) {
      const block = buffer.text.slice(0, end);
      buffer.text = buffer.text.slice(end + 2);
      const fields = new Map<string, string>();
      for (const line of block.split("\n")) {
        const match = /^(\w+): ?(.*)$/.exec(line);
        if (match?.[1] !== undefined) fields.set(match[1], match[2] ?? "");
      }
      const data = fields.get("data");
      if (data !== undefined) {
        const id = fields.get("id");
        const event = fields.get("event");
        messages.push({ data, ...(id !== undefined ? { id } : {}), ...(event !== undefined ? { event } : {}) });
      }
      end = buffer.text.indexOf("\n\n");
    }
  }
}

describe("the live event stream", () => {
  it("streams the backlog to an admin, then each newly appended event", async () => {
    const w = await createWorld();
    const backlog = await adminEvents(w);
    const lastSeq = backlog.at(-1)?.seq ?? 0;
    expect(lastSeq).toBeGreaterThan(0);

    const response = await w.send("GET", "/v1/sim/events", { token: ADMIN, headers: { accept: "text/event-stream" } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type") ?? "").toMatch(/^text\/event-stream/);
    const body = response.body;
    if (!body) throw new Error("no stream body");
    const reader = body.getReader();
    const messages: SseMessage[] = [];
    const buffer = { text: "" };
    try {
      await withDeadline(readUntil(reader, messages, buffer, () => messages.some((m) => m.id === String(lastSeq))), 2000, "the backlog");
      expect(messages.map((m) => Number(m.id))).toEqual(backlog.map((e) => e.seq));
      expect(messages.map((m) => m.event)).toEqual(backlog.map((e) => e.type));
      expect(messages.map((m) => JSON.parse(m.data) as unknown)).toEqual(backlog);

      const added = await w.json("POST", "/v1/sim/faults", { kind: "sync_failure", target: "acct-2" }, ADMIN);
      expect(added.status).toBe(200);
      await withDeadline(readUntil(reader, messages, buffer, () => messages.some((m) => m.event === "fault.added")), 2000, "the new event");
      const live = messages.find((m) => m.event === "fault.added");
      expect(Number(live?.id)).toBeGreaterThan(lastSeq);
      expect(JSON.parse(live?.data ?? "{}")).toMatchObject({ type: "fault.added", actor: "facilitator", data: { kind: "sync_failure", target: "acct-2" } });
    } finally {
      await reader.cancel();
    }
  });

  it("starts after the given seq when asked with ?after=", async () => {
    const w = await createWorld();
    const backlog = await adminEvents(w);
    const from = backlog[2]?.seq ?? 0;
    const response = await w.send("GET", `/v1/sim/events?after=${from}`, { token: ADMIN, headers: { accept: "text/event-stream" } });
    const reader = response.body?.getReader();
    if (!reader) throw new Error("no stream body");
    const messages: SseMessage[] = [];
    try {
      const last = String(backlog.at(-1)?.seq);
      await withDeadline(readUntil(reader, messages, { text: "" }, () => messages.some((m) => m.id === last)), 2000, "the backlog");
      expect(messages.map((m) => Number(m.id))).toEqual(backlog.filter((e) => e.seq > from).map((e) => e.seq));
    } finally {
      await reader.cancel();
    }
  });
});

describe("faults", () => {
  let w: World;
  beforeEach(async () => {
    w = await createWorld();
  });

  const addFault = async (body: unknown): Promise<void> => {
    const response = await w.json("POST", "/v1/sim/faults", body, ADMIN);
    expect(response.status).toBe(200);
    await readBody(response, Fault);
  };

  it("an outage answers device calls with 503 service_unavailable while the facilitator's controls stay reachable", async () => {
    await addFault({ kind: "outage" });
    const lastSeq = w.service.state.store.getDevice(w.one.deviceId)?.lastSeq;
    const hb = await heartbeat(w, w.one, 1);
    await expectProblem(hb, 503, "service_unavailable");
    expect(hb.headers.get("retry-after")).toMatch(/^\d+$/);
    await expectProblem(await w.json("POST", "/v1/devices/checkin", { identifiers: [{ type: "imei", value: w.two.imei }] }), 503, "service_unavailable");
    expect(w.service.state.store.getDevice(w.one.deviceId)?.lastSeq).toBe(lastSeq);

    expect((await w.json("GET", "/v1/sim/clock", undefined, ADMIN)).status).toBe(200);
    expect((await w.json("GET", "/v1/sim/events", undefined, ADMIN)).status).toBe(200);
    expect((await w.json("PATCH", "/v1/sim/clock", { advanceBy: "PT1M" }, ADMIN)).status).toBe(200);
    expect((await w.json("DELETE", "/v1/sim/faults", undefined, ADMIN)).status).toBe(200);
    expect((await heartbeat(w, w.one, 1)).status).toBe(200);
  });

  it("an outage aimed at one device leaves the other devices served", async () => {
    await addFault({ kind: "outage", target: w.one.deviceId });
    await expectProblem(await heartbeat(w, w.one, 1), 503, "service_unavailable");
    expect((await heartbeat(w, w.two, 0)).status).toBe(200);
  });

  it("a latency fault of PT0.05S delays the answer by about 50 ms", async () => {
    await addFault({ kind: "latency", delay: "PT0.05S" });
    const started = performance.now();
    const response = await heartbeat(w, w.one, 1);
    const elapsed = performance.now() - started;
    expect(response.status).toBe(200);
    expect(elapsed).toBeGreaterThanOrEqual(40);
    expect(elapsed).toBeLessThan(5000);
  });

  it("a drop fault drops the connection: the request fails instead of answering, and the heartbeat is not recorded", async () => {
    await addFault({ kind: "drop" });
    const lastSeq = w.service.state.store.getDevice(w.one.deviceId)?.lastSeq;
    await expect(heartbeat(w, w.one, 1)).rejects.toThrow();
    expect(w.service.state.store.getDevice(w.one.deviceId)?.lastSeq).toBe(lastSeq);
    expect((await w.json("GET", "/v1/sim/clock", undefined, ADMIN)).status).toBe(200);
  });

  it("a fault with `until` stops applying once the simulated clock passes that time", async () => {
    await addFault({ kind: "outage", until: "2026-03-02T10:00:00.000Z" });
    await expectProblem(await heartbeat(w, w.one, 1), 503, "service_unavailable");

    const moved = await w.json("PATCH", "/v1/sim/clock", { advanceBy: "PT2H" }, ADMIN);
    expect(moved.status).toBe(200);
    expect(await moved.json()).toMatchObject({ now: "2026-03-02T11:00:00.000Z" });

    expect((await heartbeat(w, w.one, 1)).status).toBe(200);
    expect(await (await w.json("GET", "/v1/sim/faults", undefined, ADMIN)).json()).toEqual({ faults: [] });
  });
});

describe("POST /v1/sim/reset", () => {
  it("clears accounts, devices, credentials and jobs, lets the same IMEI be registered again, and keeps event seq increasing", async () => {
    const w = await createWorld();
    expect((await w.json("POST", "/v1/lender/accounts/acct-1/payments", { paymentId: "p-1", amount: { value: 5, currency: "EUR" } }, LENDER_A)).status).toBe(202);
    const before = await adminEvents(w);
    const lastSeq = before.at(-1)?.seq ?? 0;

    const reset = await w.json("POST", "/v1/sim/reset", undefined, ADMIN);
    expect(reset.status).toBe(200);
    expect(await reset.json()).toEqual({ ok: true });

    await expectProblem(await w.json("GET", "/v1/lender/accounts/acct-1", undefined, LENDER_A), 404, "not_found");
    await expectProblem(await w.json("GET", `/v1/support/devices?imei=${w.one.imei}`, undefined, SUPPORT), 404, "not_found");
    await expectProblem(await heartbeat(w, w.one, 1), 401, "unauthorized");
    expect(w.service.state.store.deviceCount()).toBe(0);
    expect(w.service.state.clock.pending()).toHaveLength(0);

    const after = await adminEvents(w);
    expect(after.map((e) => e.type)).toEqual(["sim.reset"]);
    expect(after[0]?.seq).toBeGreaterThan(lastSeq);

    await registerDevice(w, w.one.imei, "acct-1");
    const latest = await adminEvents(w, after[0]?.seq ?? 0);
    expect(latest.map((e) => e.type)).toContain("device.registered");
    expect(Math.min(...latest.map((e) => e.seq))).toBeGreaterThan(after[0]?.seq ?? 0);
  });
});
