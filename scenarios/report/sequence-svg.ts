import type { SequenceItem, SequenceModel } from "./mermaid.ts";
import { oneLine } from "./one-line.ts";
import { xmlText } from "./xml.ts";

/**
 * Draws a sequence model as one standalone SVG document: lanes across, messages down, the newest at the
 * bottom. It is what the studio shows live and what "Download diagram (SVG)" saves, so it carries its own
 * styles and fonts from the system (nothing to fetch), a title and a description for screen readers, and
 * every label escaped. Long labels are cut with "…", the whole text kept in a tooltip.
 */
export interface SequenceSvgOptions {
  /** Draw only the last N messages (the live view of a long run); the rest are counted in a note at the top. */
  readonly last?: number;
}

const LANE_WIDTH = 176;
const MARGIN = 16;
const HEAD = 44;
const ROW = 30;
const SAY_ROW = 40;
const LABEL_MAX = 34;
const NOTE_MAX = 26;
const SAY_MAX = 110;

/** Dark text on light fills: every pair meets WCAG AA (4.5:1) for small text. */
const STYLE = `
  .lane-head { fill: #0b3d5c; }
  .lane-name { fill: #ffffff; font: 600 13px system-ui, sans-serif; }
  .lane-line { stroke: #6b7785; stroke-width: 1; stroke-dasharray: 4 4; }
  .msg { stroke: #1d2731; stroke-width: 1.4; fill: none; }
  .msg.dashed { stroke-dasharray: 6 4; }
  .msg.failed { stroke: #a61b1b; }
  .msg-label { fill: #1d2731; font: 12px system-ui, sans-serif; }
  .msg-label.failed { fill: #8a1414; }
  .note { fill: #fff6d6; stroke: #8a6d00; }
  .note-label { fill: #3d3000; font: 12px system-ui, sans-serif; }
  .say { fill: #e7f0fb; stroke: #2a5d9f; }
  .say-label { fill: #0f2f57; font: italic 12.5px system-ui, sans-serif; }
  .head-mark { fill: #1d2731; }
  .head-mark.failed { fill: #a61b1b; }
`;

export function sequenceSvg(model: SequenceModel, options: SequenceSvgOptions = {}): string {
  const lanes = model.lanes.length > 0 ? model.lanes : [{ id: "none", label: "(nothing yet)" }];
  const x = new Map(lanes.map((lane, i) => [lane.id, MARGIN + LANE_WIDTH * i + LANE_WIDTH / 2]));
  const width = MARGIN * 2 + LANE_WIDTH * lanes.length;
  const hidden = options.last !== undefined ? Math.max(0, model.items.length - options.last) : 0;
  const items = model.items.slice(hidden);

  const body: string[] = [];
  let y = HEAD + 18;
  if (hidden > 0) {
    body.push(`<text class="note-label" x="${MARGIN}" y="${y}">${xmlText(`… ${hidden} earlier messages (download the SVG for all of them)`)}</text>`);
    y += ROW;
  }
  for (const item of items) {
    const height = item.kind === "say" ? SAY_ROW : ROW;
    body.push(drawItem(item, y, x, width));
    y += height;
  }
  const height = y + MARGIN;

  const heads = lanes.map((lane) => {
    const cx = x.get(lane.id) ?? 0;
    return [
      `<line class="lane-line" x1="${cx}" y1="${HEAD}" x2="${cx}" y2="${height - MARGIN}"/>`,
      `<rect class="lane-head" x="${cx - LANE_WIDTH / 2 + 8}" y="8" width="${LANE_WIDTH - 16}" height="${HEAD - 14}" rx="6"/>`,
      `<text class="lane-name" x="${cx}" y="${8 + (HEAD - 14) / 2 + 4}" text-anchor="middle">${xmlText(cut(lane.label, 22))}</text>`,
    ].join("");
  });

  const messages = model.items.filter((item) => item.kind === "arrow").length;
  const title = model.title || "Sequence diagram";
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="seq-title seq-desc" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<title id="seq-title">${xmlText(oneLine(title))}</title>`,
    `<desc id="seq-desc">${xmlText(`Sequence diagram: ${lanes.map((lane) => lane.label).join(", ")}; ${messages} messages.`)}</desc>`,
    `<style>${STYLE}</style>`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    ...heads,
    ...body,
    `</svg>`,
  ].join("\n");
}

function drawItem(item: SequenceItem, y: number, x: ReadonlyMap<string, number>, width: number): string {
  switch (item.kind) {
    case "say": {
      const text = oneLine(item.text);
      return `<g><title>${xmlText(text)}</title><rect class="say" x="${MARGIN}" y="${y - 16}" width="${width - MARGIN * 2}" height="${SAY_ROW - 8}" rx="4"/><text class="say-label" x="${MARGIN + 8}" y="${y + 4}">${xmlText(cut(text, SAY_MAX))}</text></g>`;
    }
    case "note": {
      const cx = x.get(item.over) ?? MARGIN;
      const text = oneLine(item.label);
      const w = LANE_WIDTH - 20;
      return `<g><title>${xmlText(text)}</title><rect class="note" x="${cx - w / 2}" y="${y - 14}" width="${w}" height="${ROW - 8}" rx="3"/><text class="note-label" x="${cx}" y="${y + 2}" text-anchor="middle">${xmlText(cut(text, NOTE_MAX))}</text></g>`;
    }
    case "arrow": {
      const from = x.get(item.from) ?? MARGIN;
      const to = x.get(item.to) ?? MARGIN;
      const failed = item.style === "failed" || item.style === "dashed-failed";
      const dashed = item.style === "dashed" || item.style === "dashed-failed";
      const classes = ["msg", dashed ? "dashed" : "", failed ? "failed" : ""].filter(Boolean).join(" ");
      const text = oneLine(item.label);
      const label = `<text class="msg-label${failed ? " failed" : ""}" x="${(from + to) / 2}" y="${y - 2}" text-anchor="middle">${xmlText(cut(text, LABEL_MAX))}</text>`;
      const lineY = y + 6;
      if (from === to) {
        // A lane talking to itself: a small loop to the right.
        return `<g><title>${xmlText(text)}</title><path class="${classes}" d="M${from},${lineY - 8} h24 v12 h-20"/>${label}</g>`;
      }
      const dir = to > from ? 1 : -1;
      const end = to - dir * 2;
      const head = failed
        ? `<path class="msg failed" d="M${end - 5},${lineY - 5} l10,10 M${end - 5},${lineY + 5} l10,-10"/>`
        : `<path class="head-mark" d="M${end},${lineY} l${-dir * 9},-4.5 v9 z"/>`;
      return `<g><title>${xmlText(text)}</title><line class="${classes}" x1="${from}" y1="${lineY}" x2="${end}" y2="${lineY}"/>${head}${label}</g>`;
    }
  }
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
