import { ROUTES } from "../contract.ts";

/**
 * The studio's HTML shell, served at `/`. It holds the landmarks, headings and live regions (a live region
 * must exist before its first change to be announced); the bundle at ROUTES.script fills in the rest.
 *
 * Stable hooks for browser tests (data-testid):
 *   clock bar:  clock-local, play, pause, speed, step, jump-hour, jump-day, jump-business-day, reset,
 *               connection
 *   stage:      caption, action-outcome, action-error
 *   phone:      device-search, device-search-status, device-select, phone-screen (data-kind = screen.kind), phone-title, open-keypad,
 *               open-payment-app, open-emergency, open-imei, open-contact, phone-back,
 *               keypad-input, keypad-submit, keypad-attempts, keypad-message, keypad-challenge,
 *               payment-amount, payment-pay, dialer-input, dialer-call, dialer-status, imei-text,
 *               owner-power-on, owner-reboot, owner-factory-reset, owner-offline (go offline / go online)
 *   server:     account-standing and account-sync (one each per account, data-account = id), codes-list,
 *               pending-list, faults-list, device-server
 *   controls:   lender-account, lender-default-amount, lender-default-grace, lender-default (submit),
 *               lender-payment-amount, lender-payment (submit), lender-complete, sync-account, sync-fail,
 *               support-refresh, support-issue-code, support-offline-code, support-code
 *   timeline:   show-routine, timeline-list, diagram, export-svg, export-md, diagram-zoom-in, diagram-zoom-out
 *   workshop:   guidance, presenter, rewind-range, rewind-which, rewind, export-scenario, export-handout
 *   scenario:   scenario-select, scenario-objectives, scenario-load, stage-title, stage-objectives,
 *               steps-list, verdicts, stage-finished
 */
export function studioPage(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Heartlock studio — a simulation</title>
<meta name="description" content="Heartlock studio: a simulation of how a financed phone is locked and unlocked. Nothing real is locked.">
<link rel="icon" href="${ICON}">
<link rel="stylesheet" href="${ROUTES.style}">
<script type="module" src="${ROUTES.script}"></script>
</head>
<body>
<a class="skip-link" href="#main">Skip to the stage</a>
<header class="top" id="top">
  <div class="top-row">
    <h1><span class="brand">Heartlock studio</span> <span class="sim-note">— a simulation; nothing real is locked</span></h1>
    <div class="top-tools">
      <a class="gallery-link" href="/gallery" data-testid="gallery-link">Copy gallery</a>
      <div id="presenter-slot"></div>
      <div id="reset-slot"></div>
      <p class="connection" data-testid="connection" id="connection">Connecting…</p>
    </div>
  </div>
  <div id="clock-bar" class="clock-bar" role="group" aria-label="Simulated clock"></div>
  <div class="stage-strip">
    <div class="narration">
      <p class="caption" data-testid="caption" id="caption" aria-live="polite"></p>
      <p class="guidance" data-testid="guidance" id="guidance"></p>
    </div>
    <div class="feedback">
      <p class="outcome" data-testid="action-outcome" id="action-outcome" role="status" aria-live="polite"></p>
      <p class="problem" data-testid="action-error" id="action-error" role="alert"></p>
    </div>
  </div>
</header>
<main id="main" class="stage" tabindex="-1">
  <section class="panel area-phone" aria-labelledby="phone-heading">
    <h2 id="phone-heading">Phone</h2>
    <div id="phone"></div>
  </section>
  <section class="panel area-server" aria-labelledby="server-heading">
    <h2 id="server-heading">Lock service</h2>
    <div id="server-panel"></div>
  </section>
  <section class="panel area-controls" aria-labelledby="controls-heading">
    <h2 id="controls-heading">Actors</h2>
    <div id="controls"></div>
  </section>
  <section class="panel area-player" aria-labelledby="player-heading">
    <h2 id="player-heading">Scenario</h2>
    <div id="player"></div>
  </section>
  <section class="panel area-timeline" aria-labelledby="timeline-heading">
    <h2 id="timeline-heading">Timeline</h2>
    <div id="timeline"></div>
  </section>
  <section class="panel area-diagram" aria-labelledby="diagram-heading">
    <h2 id="diagram-heading">Sequence diagram</h2>
    <div id="rewind-panel"></div>
    <div id="diagram-panel"></div>
  </section>
  <section class="panel area-charts" aria-labelledby="charts-heading">
    <h2 id="charts-heading">Fleet charts</h2>
    <div id="charts-panel"></div>
  </section>
</main>
<footer class="foot">
  <p>Heartlock is a teaching testbed. It never contacts a real phone, lender or lock service, and nothing in it helps bypass a real device lock.</p>
</footer>
<noscript><p class="noscript">The studio needs JavaScript to show the simulation.</p></noscript>
</body>
</html>
`;
}

/** A padlock, inline: the page loads nothing that is not served by the studio itself (not even a favicon). */
const ICON =
  "data:image/svg+xml," +
  encodeURIComponent(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect x="2" y="7" width="12" height="8" rx="2" fill="#1d4ed8"/><path d="M5 7V5a3 3 0 0 1 6 0v2" fill="none" stroke="#1d4ed8" stroke-width="2"/></svg>`,
  );
