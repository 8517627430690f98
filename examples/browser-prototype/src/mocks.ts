import { setupWorker } from "msw/browser";
import { createMockLockService } from "heartlock/msw";

/**
 * The whole lock service, inside this page: Heartlock's MSW handlers behind a service worker. No server runs;
 * every `fetch` to BASE_URL is answered here, on a clock the page controls (paused until told otherwise).
 */
export const mock = createMockLockService({ seed: 42, start: "2026-03-02T09:00:00Z", speed: 0 });
export const BASE_URL = mock.baseUrl;

export async function startMocks(): Promise<void> {
  // `quiet` keeps MSW from logging every request; an unhandled one is an error (nothing may leave the page).
  await setupWorker(...mock.handlers).start({ quiet: true, onUnhandledRequest: "error", serviceWorker: { url: "./mockServiceWorker.js" } });
}
