/**
 * `heartlock/msw`: the lock service as MSW handlers, for browser prototypes (setupWorker) and Node tests
 * (setupServer). msw itself is a peer dependency: the handlers are made with the team's own msw 2.x.
 */
export {
  createMockLockService,
  DEFAULT_BASE_URL,
  type MockClock,
  type MockLockService,
  type MockLockServiceOptions,
  type MockWorld,
} from "./create-mock-lock-service.ts";
export { testKeys } from "../mock-server/create.ts";
export type { Keys } from "../mock-server/auth.ts";
export type { JournalEvent } from "../core/journal.ts";
