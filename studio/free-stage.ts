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
export function freeStagePlan(yamlText: string, at: FreeStageAt = {}): ScenarioPlan {
  return planFromObject(freeStageDocument(yamlText, at), FREE_STAGE);
}

export interface FreeStageAt {
  readonly start?: Millis;
  readonly timeZone?: string;
}

/** The free stage's scenario document, moved to its start and zone: what a saved run of it begins from. */
export function freeStageDocument(yamlText: string, at: FreeStageAt = {}): Record<string, unknown> {
  const data = parse(yamlText) as Record<string, unknown>;
  const timeZone = at.timeZone ?? (typeof data["timeZone"] === "string" ? data["timeZone"] : "UTC");
  return {
    ...data,
    timeZone,
    ...(at.start !== undefined ? { start: new BusinessCalendar({ timeZone }).localDateTime(at.start) } : {}),
  };
}
