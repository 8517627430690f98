import { h, setText } from "./dom.ts";

/**
 * The fleet charts panel: phones by state over time, locks and unlocks per day, sync delays, payment to unlock,
 * for the run on stage so far. uPlot and the drawing script are served by the studio itself and loaded on the
 * first draw, so a page that never asks for charts never pays for them.
 */
const ROUTES = { data: "/studio/api/charts", uplot: "/studio/uplot.js", uplotStyle: "/studio/uplot.css", draw: "/studio/charts.js" };

type Draw = (root: HTMLElement, charts: unknown) => void;

let loading: Promise<void> | undefined;

function loadScript(src: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const script = h("script", { src });
    script.addEventListener("load", () => resolve());
    script.addEventListener("error", () => reject(new Error(`could not load ${src}`)));
    document.head.append(script);
  });
}

function loadCharting(): Promise<void> {
  loading ??= (async () => {
    document.head.append(h("link", { rel: "stylesheet", href: ROUTES.uplotStyle }));
    await loadScript(ROUTES.uplot);
    await loadScript(ROUTES.draw);
  })();
  return loading;
}

export function mountChartsPanel(root: HTMLElement): void {
  const draw = h("button", { type: "button", "data-testid": "charts-draw" }, "Draw fleet charts");
  const status = h("p", { class: "quiet", "data-testid": "charts-status", role: "status" }, "Charts of the run so far, drawn when you ask.");
  const charts = h("div", { class: "fleet-charts", "data-testid": "fleet-charts" });
  root.replaceChildren(draw, status, charts);
  draw.addEventListener("click", () => {
    void (async () => {
      setText(status, "Drawing…");
      try {
        await loadCharting();
        const answer = await fetch(ROUTES.data);
        if (!answer.ok) throw new Error(`the studio answered ${answer.status}`);
        const data = (await answer.json()) as { phones: number };
        charts.replaceChildren();
        delete charts.dataset["drawn"];
        (window as unknown as { drawFleetCharts: Draw }).drawFleetCharts(charts, data);
        setText(status, `${data.phones} phones, as of the simulated time on stage.`);
      } catch (error) {
        setText(status, `Could not draw the charts: ${error instanceof Error ? error.message : String(error)}`);
      }
    })();
  });
}
