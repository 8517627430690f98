import { ScenarioError } from "./problems.ts";

/** For tests: the ScenarioError a load throws (any other outcome fails the test). */
export function rejection(load: () => unknown): ScenarioError {
  try {
    load();
  } catch (error) {
    if (error instanceof ScenarioError) return error;
    throw error;
  }
  throw new Error("expected the scenario to be rejected");
}
