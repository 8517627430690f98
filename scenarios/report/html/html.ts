import type { ScenarioResult } from "../../run/result.ts";
import { fleetCharts } from "../fleet-charts.ts";
import type { Reporter } from "../reporter.ts";
import { CHARTS_SCRIPT } from "./charts-script.ts";
import { uplotAssets } from "./uplot-assets.ts";

/**
 * `--reporter html`: one self-contained page a QA lead can attach to a ticket. Each run gets its verdict, the
 * checks that failed (or a count of those that passed), and the fleet charts, drawn by uPlot inlined into the
 * file: it opens with no network at all.
 */
export const html: Reporter = (results) => {
  const { script, style } = uplotAssets();
  const sections = results.map((result, index) => section(result, index)).join("\n");
  const data = results.map((result) => fleetCharts(result));
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(results.length === 1 ? (results[0] as ScenarioResult).scenario.title : `${results.length} Heartlock scenarios`)} — Heartlock report</title>
<style>${style}
body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #202124; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.2rem; margin-top: 2.5rem; }
.passed { color: #1e8e3e; } .failed { color: #d93025; }
.fleet-chart { margin: 1.5rem 0; } .fleet-chart figcaption { font-weight: 600; margin-bottom: .25rem; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; } dt { color: #5f6368; }
</style>
</head>
<body>
<h1>Heartlock report</h1>
<p>A simulation: nothing real was locked. ${results.length} scenario${results.length === 1 ? "" : "s"}, ${results.filter((r) => !r.passed && r.skipped === undefined).length} failed${results.some((r) => r.skipped !== undefined) ? `, ${results.filter((r) => r.skipped !== undefined).length} skipped` : ""}.</p>
${sections}
<script>${script}</script>
<script>${CHARTS_SCRIPT}</script>
<script id="fleet-data" type="application/json">${jsonForScript(data)}</script>
<script>
(function () {
  var data = JSON.parse(document.getElementById("fleet-data").textContent);
  data.forEach(function (charts, i) { window.drawFleetCharts(document.getElementById("charts-" + i), charts); });
})();
</script>
</body>
</html>
`;
};

function section(result: ScenarioResult, index: number): string {
  const failed = result.expectations.filter((e) => !e.passed && e.skipped === undefined);
  const skipped = result.expectations.filter((e) => e.skipped !== undefined);
  const stepErrors = result.steps.filter((step) => step.error !== undefined);
  const problems = [
    ...failed.map((e) => `<li>${escape(e.description)}: expected ${escape(e.expected)}, found ${escape(e.found)} (at ${escape(e.at)})</li>`),
    ...stepErrors.map((step) => `<li>step ${step.index + 1} (${escape(step.action?.do ?? "")}): ${escape(step.error ?? "")}</li>`),
    ...(result.skipped !== undefined ? [`<li>skipped: ${escape(result.skipped)}</li>`] : []),
    ...skipped.map((e) => `<li>skipped: ${escape(e.description)} (${escape(e.skipped ?? "")})</li>`),
  ];
  return `<section class="run" data-scenario="${escape(result.scenario.name)}">
<h2>${escape(result.scenario.title)} <span class="${result.passed ? "passed" : "failed"}">${result.skipped !== undefined ? "skipped" : result.passed ? "passed" : "FAILED"}</span></h2>
<p>${escape(result.scenario.summary)}</p>
<dl>
<dt>phones</dt><dd>${Object.keys(result.devices).length}</dd>
<dt>simulated</dt><dd>${escape(result.startedAt)} to ${escape(result.endedAt)} (${(result.stats.simulatedMs / 86_400_000).toFixed(1)} days)</dd>
<dt>heartbeats</dt><dd>${result.stats.heartbeats}</dd>
<dt>checks</dt><dd>${result.expectations.length - failed.length - skipped.length} of ${result.expectations.length} passed${skipped.length ? `, ${skipped.length} skipped` : ""}</dd>
<dt>seed, transport</dt><dd>${escape(String(result.seed))}, ${escape(result.transport)}</dd>
</dl>
${problems.length ? `<ul class="problems">${problems.join("")}</ul>` : ""}
<div class="charts" id="charts-${index}"></div>
</section>`;
}

function escape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** JSON inside a <script> element: no "</script>" or "<!--" can end it early. */
function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c");
}
