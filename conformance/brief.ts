/** An answer's body in at most 160 characters, for one-line verdicts and errors. */
export function brief(body: unknown): string {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  return text.length > 160 ? `${text.slice(0, 157)}…` : text;
}
