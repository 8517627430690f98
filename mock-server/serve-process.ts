/**
 * What every long-running `heartlock serve` process does around its server, whichever server it is (the studio,
 * or the lock service alone with `--data`): say so when it is not bound to loopback, and close cleanly on a signal.
 */
export function notLoopbackWarning(host: string): string | undefined {
  if (host === "127.0.0.1" || host === "localhost" || host === "::1") return undefined;
  return `  WARNING: listening on ${host}, not loopback. Anyone who can reach it can drive the simulation.`;
}

/** Ctrl-C or a service manager's SIGTERM closes the server (its sockets and stores), then ends the process. */
export function closeOnSignals(close: () => Promise<void>): void {
  const stop = async () => {
    await close();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop());
  process.once("SIGTERM", () => void stop());
}
