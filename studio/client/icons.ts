/**
 * The few pictures the page draws, as inline SVG: emoji depend on fonts a workshop laptop may not have, and
 * the page fetches nothing. All are decorative (aria-hidden); the words next to them carry the meaning.
 */
const SVG = "http://www.w3.org/2000/svg";

function icon(className: string, size: number, paths: readonly { d: string; fill?: boolean }[]): SVGSVGElement {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("width", String(size));
  svg.setAttribute("height", String(size));
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  svg.setAttribute("class", `icon ${className}`);
  for (const { d, fill } of paths) {
    const path = document.createElementNS(SVG, "path");
    path.setAttribute("d", d);
    path.setAttribute("fill", fill ? "currentColor" : "none");
    path.setAttribute("stroke", "currentColor");
    path.setAttribute("stroke-width", "2");
    path.setAttribute("stroke-linecap", "round");
    path.setAttribute("stroke-linejoin", "round");
    svg.append(path);
  }
  return svg;
}

export function lockIcon(size = 40): SVGSVGElement {
  return icon("icon-lock", size, [{ d: "M5 11h14v10H5z", fill: true }, { d: "M8 11V7a4 4 0 0 1 8 0v4" }]);
}

export function bellIcon(size = 14): SVGSVGElement {
  return icon("icon-bell", size, [{ d: "M6 16V11a6 6 0 0 1 12 0v5l2 2H4z", fill: true }, { d: "M10 20a2 2 0 0 0 4 0" }]);
}
