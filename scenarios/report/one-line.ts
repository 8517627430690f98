/** Scenario text on one line: YAML block scalars end in a newline and may wrap, which a timeline row or a diagram label cannot. */
export function oneLine(text: string): string {
  return text.trim().replace(/\s*[\r\n]+\s*/g, " ");
}
