import { existsSync } from "node:fs";

/**
 * Debian's Chromium, driven by playwright-core (which never downloads a browser). HEARTLOCK_CHROMIUM points
 * elsewhere; HEARTLOCK_REQUIRE_BROWSER (set by .ci/run) makes a missing browser a failure, not a skip.
 */
export const CHROMIUM = process.env.HEARTLOCK_CHROMIUM ?? "/usr/bin/chromium";
export const browserMissing = existsSync(CHROMIUM) ? undefined : `no Chromium at ${CHROMIUM}; install it (sudo apt-get install -y chromium) or set HEARTLOCK_CHROMIUM`;

/** Flags a root user on a closed network needs: no sandbox, no GPU, and no calls home. */
export const FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-default-apps", "--mute-audio"];
