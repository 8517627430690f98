import type { ScenarioResult } from "../run/result.ts";

export interface ReporterOptions {
  /** ANSI colours (pretty only); without it the output holds no escape code at all. */
  readonly color?: boolean;
  /** Every event, routine ones included, instead of the narrated highlights. */
  readonly verbose?: boolean;
}

/** Turns finished runs into one document. Pure: the same results give the same text. */
export type Reporter = (results: readonly ScenarioResult[], options: ReporterOptions) => string;
