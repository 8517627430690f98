import type { Millis } from "../core/clock.ts";
import { systemWall, type Wall } from "../core/wall-clock.ts";
import type { Keys } from "../mock-server/auth.ts";
import { testKeys } from "../mock-server/create.ts";
import { startServer } from "../mock-server/http/node-server.ts";
import { studioAccess } from "./access.ts";
import { StudioHub } from "./hub.ts";
import { studioApp } from "./http.ts";
import type { StageOptions } from "./stage.ts";

export interface StudioOptions {
  /** Loopback by default: the studio drives a simulation anyone who reaches it can steer. */
  readonly host?: string;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  readonly keys?: Keys;
  readonly seed?: number | string;
  /** Where the free stage starts (default: its file's Monday 2 March 2026, 09:00 Berlin) and in which zone. */
  readonly free?: { readonly start?: Millis; readonly timeZone?: string };
  /** The free stage's clock speed at start; 0 (default) starts it paused. */
  readonly speed?: number;
  readonly wall?: Wall;
  /** Host names besides loopback the studio answers to (a workshop on a LAN); "*" any. */
  readonly allowedHosts?: readonly string[];
  /** What a long-running server adds to each show's world (see StageOptions.serving). */
  readonly serving?: StageOptions["serving"];
  /** The studio token of the printed URL; generated (CSPRNG) when not given. */
  readonly token?: string;
}

export interface RunningStudio {
  readonly url: string;
  /** The URL to open in a browser: it carries the studio token, exchanged for a session cookie on first load. */
  readonly openUrl: string;
  /** True when the studio answers to any Host name (the banner warns). */
  readonly anyHost: boolean;
  readonly hub: StudioHub;
  close(): Promise<void>;
}

/** The studio and the lock service of its stage on one loopback server: what `heartlock serve` runs. */
export async function startStudio(options: StudioOptions = {}): Promise<RunningStudio> {
  const wall = options.wall ?? systemWall;
  const hub = await StudioHub.open({
    wall,
    ...(options.keys ? { keys: options.keys } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.free ? { free: options.free } : {}),
    ...(options.speed !== undefined ? { speed: options.speed } : {}),
    ...(options.serving ? { serving: options.serving } : {}),
    onError: (error) => console.error("heartlock studio:", error),
  });
  const host = options.host ?? "127.0.0.1";
  const access = studioAccess({
    adminKey: (options.keys ?? testKeys).admin,
    allowedHosts: [host, ...(options.allowedHosts ?? [])],
    ...(options.token !== undefined ? { token: options.token } : {}),
  });
  const server = await startServer(studioApp(hub, wall, access), { host, port: options.port ?? 0 });
  return {
    url: server.url,
    openUrl: `${server.url}/?token=${access.token}`,
    anyHost: access.anyHost,
    hub,
    close: async () => {
      await hub.close();
      await server.close();
    },
  };
}
