import { problemBody, problemHeaders, ProblemError, type ProblemCode } from "../../protocol/problem.ts";

export function problemResponse(error: ProblemError): Response {
  return new Response(JSON.stringify(error.toProblem()), { status: error.status, headers: problemHeaders(error) });
}

export function simpleProblem(status: number, code: ProblemCode, detail: string, headers: Record<string, string> = {}): Response {
  const error = new ProblemError(status, code, detail);
  return new Response(JSON.stringify(problemBody(status, code, detail)), { status, headers: { ...problemHeaders(error), ...headers } });
}
