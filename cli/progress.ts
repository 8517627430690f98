import type { Millis } from "../core/clock.ts";
import type { ScenarioPlan } from "../scenarios/format/plan.ts";

/** One terminal line while scenarios run: which scenario, which step, and the simulated time reached. */
export function progressLine(plan: ScenarioPlan, index: number, total: number, step: { step: number; steps: number; at: Millis }): string {
  const local = plan.calendar.localDateTime(step.at).replace("T", " ");
  return `[${index + 1}/${total}] ${plan.name}  step ${step.step}/${step.steps}  ${local} ${plan.calendar.timeZone}`;
}
