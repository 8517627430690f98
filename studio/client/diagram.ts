import { ROUTES, type DiagramUpdate } from "../contract.ts";
import { h, perFrame, setText, stickToEnd } from "./dom.ts";

/**
 * The sequence diagram the server draws. Its SVG is parsed as XML (never as HTML) and imported node by node;
 * anything active in it (scripts, event attributes, links, foreign HTML) is dropped on the way, though the
 * server never sends any.
 */
export function mountDiagram(root: HTMLElement): (update: DiagramUpdate) => void {
  const caption = h("p", { class: "quiet", "data-testid": "diagram-count" }, "The diagram appears with the first message.");
  const box = h("div", { class: "diagram", "data-testid": "diagram", tabindex: "0", role: "region", "aria-label": "Sequence diagram (scrollable)" });
  // Zoom: 100 % fills the panel's width; the lane names stay pinned above the messages however far it scrolls.
  let zoom = 1;
  const zoomText = h("span", { class: "zoom-level", "aria-live": "polite" }, "100 %");
  const zoomBy = (factor: number) => {
    zoom = Math.min(3, Math.max(0.5, Math.round(zoom * factor * 100) / 100));
    box.style.setProperty("--diagram-zoom", String(zoom));
    setText(zoomText, `${Math.round(zoom * 100)} %`);
  };
  const zoomOut = h("button", { type: "button", "data-testid": "diagram-zoom-out", "aria-label": "Zoom the diagram out" }, "−");
  const zoomIn = h("button", { type: "button", "data-testid": "diagram-zoom-in", "aria-label": "Zoom the diagram in" }, "+");
  zoomOut.addEventListener("click", () => zoomBy(1 / 1.25));
  zoomIn.addEventListener("click", () => zoomBy(1.25));
  root.replaceChildren(
    h(
      "p",
      { class: "exports" },
      h("a", { href: ROUTES.exportSvg, download: "heartlock-diagram.svg", "data-testid": "export-svg" }, "Download diagram (SVG)"),
      h("a", { href: ROUTES.exportMarkdown, download: "heartlock-run.md", "data-testid": "export-md" }, "Download run (Markdown)"),
      h("span", { class: "zoom", role: "group", "aria-label": "Diagram zoom" }, zoomOut, zoomText, zoomIn),
    ),
    caption,
    box,
  );

  return perFrame((update: DiagramUpdate) => {
    const svg = parseSvg(update.svg);
    if (!svg) {
      setText(caption, "The diagram could not be drawn; the SVG download still has it.");
      return;
    }
    stickToEnd(box, () => box.replaceChildren(laneHeader(svg), svg));
    setText(caption, update.messages === 1 ? "1 message so far." : `${update.messages} messages so far.`);
  });
}

/**
 * The lane names as their own strip, pinned to the top of the scrolling box: the diagram keeps itself at the
 * newest message, and without it its columns would scroll away unlabelled. Same width and scale as the diagram.
 */
function laneHeader(svg: SVGSVGElement): HTMLElement {
  const heads = Array.from(svg.querySelectorAll("rect.lane-head, text.lane-name"));
  const first = svg.querySelector("rect.lane-head");
  const height = first ? Number(first.getAttribute("y") ?? "8") * 2 + Number(first.getAttribute("height") ?? "40") : 56;
  const width = svg.viewBox.baseVal.width || Number(svg.getAttribute("width") ?? "600");
  const strip = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  strip.setAttribute("viewBox", `0 0 ${width} ${height}`);
  strip.setAttribute("aria-hidden", "true");
  const background = document.createElementNS("http://www.w3.org/2000/svg", "rect");
  background.setAttribute("width", String(width));
  background.setAttribute("height", String(height));
  background.setAttribute("fill", "#ffffff");
  strip.append(background, ...heads.map((node) => node.cloneNode(true)));
  return h("div", { class: "diagram-lanes", "data-testid": "diagram-lanes" }, strip);
}

function parseSvg(text: string): SVGSVGElement | undefined {
  const parsed = new DOMParser().parseFromString(text, "image/svg+xml");
  const root = parsed.documentElement;
  if (parsed.getElementsByTagName("parsererror").length > 0 || root.localName !== "svg") return undefined;
  for (const element of Array.from(root.querySelectorAll("script, foreignObject, iframe, a"))) element.remove();
  for (const element of [root, ...Array.from(root.querySelectorAll("*"))]) {
    for (const attribute of Array.from(element.attributes)) {
      const external = /href$/i.test(attribute.name) && !attribute.value.startsWith("#");
      if (/^on/i.test(attribute.name) || external) element.removeAttribute(attribute.name);
    }
  }
  for (const style of Array.from(root.getElementsByTagName("style"))) scope(style);
  const imported = document.importNode(root, true);
  return imported instanceof SVGSVGElement ? imported : undefined;
}

/**
 * A standalone SVG's own stylesheet would apply to the whole page once inlined (its `.say` and `.note` would
 * restyle the page's own). Each rule is confined to the diagram box; anything that is not a plain style rule
 * is dropped.
 */
function scope(style: Element): void {
  const rules: string[] = [];
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(style.textContent ?? "");
    for (const rule of Array.from(sheet.cssRules)) {
      if (!(rule instanceof CSSStyleRule)) continue;
      rule.selectorText = rule.selectorText
        .split(",")
        .map((selector) => `.diagram svg ${selector.trim()}`)
        .join(", ");
      rules.push(rule.cssText);
    }
  } catch {
    // A stylesheet the browser cannot read is left out: the diagram is then plainer, the page unharmed.
  }
  style.textContent = rules.join("\n");
}
