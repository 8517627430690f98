import { http, HttpResponse, type HttpHandler } from "msw";
import type { Millis } from "../core/clock.ts";
import type { JournalEvent } from "../core/journal.ts";
import { RealClock } from "../core/real-clock.ts";
import { systemWall, type Wall } from "../core/wall-clock.ts";
import type { BusinessCalendarOptions } from "../core/calendar.ts";
import type { Keys } from "../mock-server/auth.ts";
import type { ServiceConfig } from "../mock-server/config.ts";
import { createLockService, DEFAULT_START, testKeys } from "../mock-server/create.ts";
import { createApp } from "../mock-server/http/app.ts";
import type { LockService } from "../mock-server/service.ts";
import type { OperationId, RawRequest, ResponseOf } from "../protocol/operations.ts";
import { DroppedConnection } from "../protocol/outcome.ts";
import { ProblemError } from "../protocol/problem.ts";

/** Where the mock answers unless told otherwise: a `.test` name (RFC 2606), so nothing can ever reach a real host. */
export const DEFAULT_BASE_URL = "https://lock.heartlock.test";

export interface MockLockServiceOptions {
  /** The origin (and optional path prefix) the handlers answer for; in a page, a path alone means its own origin. Default {@link DEFAULT_BASE_URL}. */
  readonly baseUrl?: string;
  /** Lender, support and admin keys. Default: the well-known test keys (`lender-a-key`, `support-key`, `admin-key`). */
  readonly keys?: Keys;
  /** Seeds every random draw (sync delays, codes, device ids): the same seed gives the same story. Default 1. */
  readonly seed?: number | string;
  /** Simulated time at start, as epoch ms or ISO-8601. Default Monday 2 March 2026, 09:00 UTC. */
  readonly start?: Millis | string;
  /** Simulated ms per real ms at start: 0 (default) is paused, 1 real time, 3600 an hour per second. */
  readonly speed?: number;
  readonly calendar?: BusinessCalendarOptions;
  readonly config?: Partial<ServiceConfig>;
  /** Real time and timers behind the clock; tests may pass a manual one. Default: the page's own. */
  readonly wall?: Wall;
}

/** The page's control of simulated time. Each call goes through `PATCH /v1/sim/clock`, so it is journaled and checked. */
export interface MockClock {
  now(): Millis;
  speed(): number;
  pause(): Promise<void>;
  /** Lets time flow at `speed` simulated ms per real ms (1 is real time). */
  play(speed?: number): Promise<void>;
  /** Moves time forward by an ISO-8601 duration (`PT6H`, `P2D`), running every job that falls due, in order. */
  advance(duration: string): Promise<void>;
}

/** A handle to the simulated world behind the handlers. */
export interface MockWorld {
  readonly keys: Keys;
  /** The lock service itself (its state, journal and typed operations). */
  readonly service: LockService;
  /** Every event after `seq` (default: all), as `GET /v1/sim/events` answers them. */
  events(after?: number): readonly JournalEvent[];
  /** Calls `listener` with each new event; returns the unsubscribe function. */
  subscribe(listener: (event: JournalEvent) => void): () => void;
  /** Clears all state, as `POST /v1/sim/reset` does (the clock keeps its time). */
  reset(): Promise<void>;
}

export interface MockLockService {
  /** Pass these to `setupWorker(...handlers)` (msw/browser) or `setupServer(...handlers)` (msw/node). */
  readonly handlers: HttpHandler[];
  readonly baseUrl: string;
  readonly clock: MockClock;
  readonly world: MockWorld;
  /** Stops the clock's real timer (when it was playing). */
  close(): void;
}

/**
 * The whole lock service of PROTOCOL.md as MSW request handlers: the same LockService core and Hono app that
 * `heartlock serve` runs (no second copy of the rules), answering `fetch` inside a browser prototype through
 * the service worker, or inside Node tests through `setupServer`. Nothing listens on a port.
 */
export function createMockLockService(options: MockLockServiceOptions = {}): MockLockService {
  const baseUrl = (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, "");
  // A path alone (`/api/lock`) is the page's own origin; in Node, where there is no page, it must be absolute.
  const base = new URL(baseUrl, (globalThis as { location?: { href: string } }).location?.href);
  const prefix = base.pathname.replace(/\/+$/, "");
  const keys = options.keys ?? testKeys;
  const start = typeof options.start === "string" ? Date.parse(options.start) : (options.start ?? DEFAULT_START);
  if (!Number.isFinite(start)) throw new RangeError(`start must be an ISO-8601 time or epoch milliseconds, got ${String(options.start)}`);

  const clock = new RealClock({ start, speed: options.speed ?? 0, wall: options.wall ?? systemWall, onError: (error) => console.error("heartlock mock: a scheduled job failed", error) });
  const service = createLockService({
    clock,
    keys,
    seed: options.seed ?? 1,
    ...(options.calendar ? { calendar: options.calendar } : {}),
    ...(options.config ? { config: options.config } : {}),
  });
  const app = createApp(service);

  const answer = async (request: Request): Promise<Response> => {
    let forwarded = request;
    if (prefix !== "") {
      // The app's routes start at `/`: a base URL with a path (`/api`) is taken off before routing.
      const url = new URL(request.url);
      url.pathname = url.pathname.slice(prefix.length) || "/";
      forwarded = new Request(url, request);
    }
    try {
      return await app.fetch(forwarded);
    } catch (error) {
      // The `drop` fault: the browser sees a network failure, as it would from a real server closing the socket.
      if (error instanceof DroppedConnection) return HttpResponse.error();
      throw error;
    }
  };

  const admin = async <K extends OperationId>(id: K, request: Omit<RawRequest, "token">): Promise<ResponseOf<K>> => {
    const outcome = await service.invoke(id, { ...request, token: keys.admin });
    if (outcome.status >= 400) {
      const problem = outcome.body as { code: ProblemError["code"]; detail: string };
      throw new ProblemError(outcome.status, problem.code, problem.detail);
    }
    return outcome.body as ResponseOf<K>;
  };

  const pattern = `${base.origin}${prefix}/*`;
  return {
    handlers: [http.all(pattern, ({ request }) => answer(request))],
    baseUrl,
    clock: {
      now: () => clock.now(),
      speed: () => clock.speed(),
      pause: async () => void (await admin("patchClock", { body: { speed: 0 } })),
      play: async (speed = 1) => void (await admin("patchClock", { body: { speed } })),
      advance: async (duration) => void (await admin("patchClock", { body: { advanceBy: duration } })),
    },
    world: {
      keys,
      service,
      events: (after = 0) => service.state.journal.after(after),
      subscribe: (listener) => service.state.journal.subscribe(listener),
      reset: async () => void (await admin("reset", {})),
    },
    close: () => clock.stop(),
  };
}
