/**
 * The script the HTML report and the studio's charts panel run in the page: draws a FleetCharts object with
 * uPlot (which the page has loaded). Kept as plain browser JavaScript in a string, so the report stays one
 * self-contained file with no build step; `drawFleetCharts(root, charts)` is the only global it defines.
 */
export const CHARTS_SCRIPT = String.raw`
window.drawFleetCharts = function (root, charts) {
  var colors = { unenrolled: "#9aa0a6", active: "#1e8e3e", reminding: "#f9ab00", locked: "#d93025", released: "#1a73e8", unmanaged: "#5f6368" };
  var width = Math.max(320, Math.min(900, (root.clientWidth || 900) - 16));
  function chart(title, id, opts, data) {
    var box = document.createElement("figure");
    box.className = "fleet-chart";
    box.dataset.chart = id;
    var caption = document.createElement("figcaption");
    caption.textContent = title;
    box.appendChild(caption);
    root.appendChild(box);
    opts.width = width; opts.height = 220;
    return new uPlot(opts, data, box);
  }
  // Counts of phones and syncs: ticks at whole numbers only (uPlot's default steps would label 2.5 phones).
  var whole = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000, 200000, 500000, 1000000];
  function counts(label) { return { label: label, incrs: whole }; }
  function bars(align) { return uPlot.paths.bars({ size: [align ? 0.4 : 0.8, 60], align: align || 0 }); }
  function padded(half) { return function (u, min, max) { return [min - half, max + half]; }; }
  /** A bin width giving at most ~24 bins: 15 min, 30 min, 1 h, 2 h, 4 h, 6 h, 12 h or 1 day. */
  function binFor(values) {
    var max = values.reduce(function (m, v) { return Math.max(m, v); }, 0);
    var widths = [0.25, 0.5, 1, 2, 4, 6, 12, 24];
    for (var i = 0; i < widths.length; i++) if (max / widths[i] <= 24) return widths[i];
    return Math.ceil(max / 24 / 24) * 24;
  }
  function histogram(values, binHours) {
    var max = values.reduce(function (m, v) { return Math.max(m, v); }, 0);
    var bins = Math.max(1, Math.ceil((max + 1e-9) / binHours));
    var xs = [], ys = [];
    for (var i = 0; i < bins; i++) { xs.push(i * binHours); ys.push(0); }
    values.forEach(function (v) { ys[Math.min(bins - 1, Math.floor(v / binHours))] += 1; });
    return [xs, ys];
  }
  var states = Object.keys(charts.states.series);
  chart("Phones by state over time", "states", {
    series: [{}].concat(states.map(function (s) { return { label: s, stroke: colors[s] || "#000", width: 2 }; })),
    axes: [{}, counts("phones")],
  }, [charts.states.times].concat(states.map(function (s) { return charts.states.series[s]; })));
  chart("Locks and unlocks per day (UTC days)", "per-day", {
    scales: { x: { range: padded(43200) } },
    series: [{}, { label: "locks", fill: "#d9302599", stroke: "#d93025", paths: bars(-1) }, { label: "unlocks", fill: "#1e8e3e99", stroke: "#1e8e3e", paths: bars(1) }],
    axes: [{}, counts("phones")],
  }, [charts.perDay.days, charts.perDay.locks, charts.perDay.unlocks]);
  var syncBin = binFor(charts.syncHours);
  var sync = histogram(charts.syncHours, syncBin);
  chart("Sync delay: hours from payment to sync (" + charts.syncHours.length + " syncs)", "sync-delay", {
    scales: { x: { time: false, range: padded(syncBin) } },
    series: [{ label: "hours" }, { label: "syncs", fill: "#1a73e899", stroke: "#1a73e8", paths: bars() }],
    axes: [{ label: "hours from payment (bins of " + syncBin + " h, by their start)" }, counts("syncs")],
  }, sync);
  var p = charts.paymentToUnlock;
  var unlockBin = binFor(p.hours);
  var unlock = histogram(p.hours, unlockBin);
  chart("Payment to unlock: p50 " + (p.p50 === undefined ? "-" : p.p50 + " h") + ", p90 " + (p.p90 === undefined ? "-" : p.p90 + " h") + ", max " + (p.max === undefined ? "-" : p.max + " h"), "payment-to-unlock", {
    scales: { x: { time: false, range: padded(unlockBin) } },
    series: [{ label: "hours" }, { label: "phones", fill: "#f9ab0099", stroke: "#b06000", paths: bars() }],
    axes: [{ label: "hours from payment to unlock (bins of " + unlockBin + " h, by their start)" }, counts("phones")],
  }, unlock);
  root.dataset.drawn = String(root.querySelectorAll(".fleet-chart canvas").length);
};
`;
