/**
 * Heartlock for QA's own test suites: run scenario files or objects, script worlds in TypeScript, talk to
 * the lock service with a typed client, and render reports.
 */
export { runScenario } from "./scenarios/run-scenario.ts";
export type { PlayOptions } from "./scenarios/run/runner.ts";
export type { ScenarioResult, StepResult, ExpectationResult, DeviceInfo } from "./scenarios/run/result.ts";
export { planFromYaml, planFromObject } from "./scenarios/format/load.ts";
export { Scenario, type Step, type Expectation } from "./scenarios/format/schema.ts";
export { ScenarioError, type ScenarioProblem } from "./scenarios/format/problems.ts";
export { scenarioJsonSchema } from "./scenarios/format/json-schema.ts";
export { libraryNames, planFromFile } from "./scenarios/library.ts";
export { reporters } from "./scenarios/report/index.ts";
export { World, type WorldOptions, type DeviceSpec } from "./scenarios/world.ts";
export { HeartlockClient } from "./device-sim/transports/typed-client.ts";
export { createLockService } from "./mock-server/create.ts";
export { createApp } from "./mock-server/http/app.ts";
