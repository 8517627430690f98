import { parse } from "yaml";
import { BusinessCalendar } from "../core/calendar.ts";
import type { Millis } from "../core/clock.ts";
import { planFromObject } from "../scenarios/format/load.ts";
import type { ScenarioPlan } from "../scenarios/format/plan.ts";

/** The free stage's name in the scenario picker and the API. */
export const FREE_STAGE = "free-stage";

/**
 * The free stage's plan (studio/free-stage.yaml), optionally moved to another start and zone: `heartlock
 * serve` opens it at the current time, so lock screens show today's dates, while tests keep its Monday.
 */
export function freeStagePlan(yamlText: string, at: { readonly start?: Millis; readonly timeZone?: string } = {}): ScenarioPlan {
  const data = parse(yamlText) as Record<string, unknown>;
  const timeZone = at.timeZone ?? (typeof data["timeZone"] === "string" ? data["timeZone"] : "UTC");
  const moved = {
    ...data,
    timeZone,
    ...(at.start !== undefined ? { start: new BusinessCalendar({ timeZone }).localDateTime(at.start) } : {}),
  };
  return planFromObject(moved, FREE_STAGE);
}
