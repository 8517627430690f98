import { ROUTES, type ActAnswer, type ActRequest, type ClockRequest, type DiagramUpdate, type ScenarioSummary, type StageRequest, type StudioState, type TimelineEntry, type WireState } from "../contract.ts";
import { expandState } from "./wire.ts";

/**
 * Talking to the studio server: JSON requests and the event stream. Nothing here throws or logs: a refused
 * action is part of the story, and a lost connection is shown on the page, so both come back as values.
 */

/** What the server says when it refuses (application/problem+json), or what we say when it is unreachable. */
export interface Problem {
  readonly title: string;
  readonly detail?: string;
  readonly status?: number;
  readonly code?: string;
}

export type Answer<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: Problem };

export function problemText(problem: Problem): string {
  return problem.detail ?? problem.title;
}

/**
 * `x-heartlock-refusals: in-body` tells the server this page reads a refusal from a 200 answer whose body is a
 * problem (see isProblem): Chrome logs every 4xx answer to fetch as a console error, and a refusal is a
 * normal part of the story, not an error. A server that answers 4xx anyway is understood just the same.
 */
const HEADERS = { accept: "application/json, application/problem+json", "x-heartlock-refusals": "in-body" } as const;

const unreachable: Problem = { title: "The studio server did not answer. Is it still running?" };

async function request<T>(url: string, init?: RequestInit): Promise<Answer<T>> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, headers: { ...HEADERS, ...(init?.body ? { "content-type": "application/json" } : {}) } });
  } catch {
    return { ok: false, problem: unreachable };
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  if (response.ok && body !== undefined && !isProblem(body)) return { ok: true, value: body as T };
  return { ok: false, problem: toProblem(body, response) };
}

function isProblem(body: unknown): boolean {
  return isRecord(body) && typeof body["title"] === "string" && typeof body["status"] === "number" && body["status"] >= 400 && !("rev" in body) && !("state" in body);
}

function toProblem(body: unknown, response: Response): Problem {
  if (isRecord(body)) {
    const title = typeof body["title"] === "string" ? body["title"] : `${response.status} ${response.statusText}`;
    const status = typeof body["status"] === "number" ? body["status"] : response.status;
    const detail = typeof body["detail"] === "string" ? body["detail"] : undefined;
    const code = typeof body["code"] === "string" ? body["code"] : undefined;
    return { title, status, ...(detail ? { detail } : {}), ...(code ? { code } : {}) };
  }
  return { title: `The server answered ${response.status} ${response.statusText}`.trim(), status: response.status };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function post<T>(url: string, body: unknown): Promise<Answer<T>> {
  return request<T>(url, { method: "POST", body: JSON.stringify(body) });
}

/** An answer carrying the state, its fleet's shared screens put back (client/wire.ts). */
function expanded<T, U>(answer: Answer<T>, expand: (value: T) => U): Answer<U> {
  return answer.ok ? { ok: true, value: expand(answer.value) } : answer;
}

export const api = {
  state: async () => expanded(await request<WireState>(ROUTES.state), expandState),
  scenarios: () => request<readonly ScenarioSummary[]>(ROUTES.scenarios),
  earlier: (before: number) => request<readonly TimelineEntry[]>(`${ROUTES.events}?before=${before}`),
  act: async (action: ActRequest) => expanded(await post<Omit<ActAnswer, "state"> & { readonly state: WireState }>(ROUTES.act, action), (value): ActAnswer => ({ ...value, state: expandState(value.state) })),
  clock: async (op: ClockRequest) => expanded(await post<WireState>(ROUTES.clock, op), expandState),
  stage: async (op: StageRequest) => expanded(await post<WireState>(ROUTES.stage, op), expandState),
};

export type Connection = "connecting" | "live" | "reconnecting";

export interface StreamHandlers {
  state(state: StudioState): void;
  event(entry: TimelineEntry): void;
  diagram(update: DiagramUpdate): void;
  connection(status: Connection): void;
}

export interface Stream {
  /** Opens the stream afresh: the server's welcome then replays the state, the whole journal and the diagram. */
  restart(): void;
}

/**
 * Subscribes to the server's stream. EventSource reconnects by itself after a dropped connection; only when
 * it gives up (the server answered with an error) do we open a new one, a few seconds later.
 */
export function subscribe(handlers: StreamHandlers): Stream {
  let current: EventSource | undefined;
  let retry: ReturnType<typeof setTimeout> | undefined;
  const open = (): void => {
    clearTimeout(retry);
    current?.close();
    const source = new EventSource(ROUTES.stream);
    current = source;
    source.addEventListener("open", () => handlers.connection("live"));
    source.addEventListener("error", () => {
      handlers.connection("reconnecting");
      if (source.readyState === EventSource.CLOSED && source === current) retry = setTimeout(open, 3000);
    });
    listen(source, "state", (data) => {
      if (isRecord(data) && typeof data["rev"] === "number" && isRecord(data["clock"])) handlers.state(expandState(data as unknown as WireState));
    });
    listen(source, "event", (data) => {
      if (isRecord(data) && typeof data["seq"] === "number" && typeof data["narration"] === "string") handlers.event(data as unknown as TimelineEntry);
    });
    listen(source, "diagram", (data) => {
      if (isRecord(data) && typeof data["svg"] === "string") handlers.diagram(data as unknown as DiagramUpdate);
    });
  };
  handlers.connection("connecting");
  open();
  return {
    restart: () => {
      handlers.connection("connecting");
      open();
    },
  };
}

function listen(source: EventSource, type: string, handle: (data: unknown) => void): void {
  source.addEventListener(type, (message) => {
    if (!(message instanceof MessageEvent) || typeof message.data !== "string") return;
    let data: unknown;
    try {
      data = JSON.parse(message.data);
    } catch {
      return; // A torn message is dropped; the next state message carries everything again.
    }
    handle(data);
  });
}
