import type { Hono } from "hono";
import { fleetCharts } from "../scenarios/report/fleet-charts.ts";
import { CHARTS_SCRIPT } from "../scenarios/report/html/charts-script.ts";
import { uplotAssets } from "../scenarios/report/html/uplot-assets.ts";
import type { StudioHub } from "./hub.ts";

/** Where the charts panel finds its data and its (local, never CDN) charting library. */
export const CHART_ROUTES = {
  /** GET: FleetCharts of the run on stage so far. */
  data: "/studio/api/charts",
  uplot: "/studio/uplot.js",
  uplotStyle: "/studio/uplot.css",
  draw: "/studio/charts.js",
} as const;

export function mountChartRoutes(app: Hono, hub: StudioHub): void {
  const script = { "content-type": "text/javascript; charset=utf-8", "cache-control": "no-cache" };
  app.get(CHART_ROUTES.data, (c) => c.json(fleetCharts(hub.stage.current.run.result())));
  app.get(CHART_ROUTES.uplot, (c) => c.body(uplotAssets().script, 200, script));
  app.get(CHART_ROUTES.uplotStyle, (c) => c.body(uplotAssets().style, 200, { "content-type": "text/css; charset=utf-8", "cache-control": "no-cache" }));
  app.get(CHART_ROUTES.draw, (c) => c.body(CHARTS_SCRIPT, 200, script));
}
