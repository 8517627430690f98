import type { Millis } from "../core/clock.ts";
import { systemWall, type Wall } from "../core/wall-clock.ts";
import type { Keys } from "../mock-server/auth.ts";
import { startServer } from "../mock-server/http/node-server.ts";
import { StudioHub } from "./hub.ts";
import { studioApp } from "./http.ts";

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
}

export interface RunningStudio {
  readonly url: string;
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
    onError: (error) => console.error("heartlock studio:", error),
  });
  const server = await startServer(studioApp(hub, wall), { host: options.host ?? "127.0.0.1", port: options.port ?? 0 });
  return {
    url: server.url,
    hub,
    close: async () => {
      await hub.close();
      await server.close();
    },
  };
}
