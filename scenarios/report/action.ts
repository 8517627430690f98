import type { StepResult } from "../run/result.ts";

/** The step keys that are not the action's own parameters, in case the runner passes the step through whole. */
const NOT_PARAMS = new Set(["do", "say", "expect", "at", "after"]);

/** `lender.default account=alice amount=49.99 EUR`: the action as the scenario file wrote it, on one line. */
export function describeAction(action: NonNullable<StepResult["action"]>): string {
  const params = Object.entries(action.params)
    .filter(([key, value]) => !NOT_PARAMS.has(key) && value !== undefined)
    .map(([key, value]) => `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`);
  return [action.do, ...params].join(" ");
}
