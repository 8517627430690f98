/**
 * `heartlock/client`: a typed client for the lock service (PROTOCOL.md), its four transports and its one
 * error class. In a browser bundle the `browser` condition picks ./browser.ts, which leaves out the undici pool.
 */
export * from "./browser.ts";
export { poolTransport } from "../device-sim/transports/pool.ts";
