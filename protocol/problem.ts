import { z } from "zod";

/**
 * Stable problem codes (PROTOCOL.md "Errors"). Two are Heartlock's additions, because PROTOCOL.md lists
 * no code for them and a client author expects one: `service_unavailable` (503, the `outage` fault) and
 * `internal_error` (500, a defect in Heartlock itself; never expected).
 */
export const problemCodes = [
  "invalid_request",
  "unauthorized",
  "forbidden",
  "not_found",
  "conflict",
  "standing_not_good",
  "code_invalid",
  "code_expired",
  "too_many_attempts",
  "idempotency_conflict",
  "service_unavailable",
  "internal_error",
] as const;
export type ProblemCode = (typeof problemCodes)[number];

const titles: Record<ProblemCode, string> = {
  invalid_request: "Invalid request",
  unauthorized: "Unauthorized",
  forbidden: "Forbidden",
  not_found: "Not found",
  conflict: "Conflict",
  standing_not_good: "Account standing is not good",
  code_invalid: "Code invalid",
  code_expired: "Code expired",
  too_many_attempts: "Too many attempts",
  idempotency_conflict: "Idempotency conflict",
  service_unavailable: "Service unavailable",
  internal_error: "Internal error",
};

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

export const Problem = z
  .object({
    type: z.string().meta({ example: "https://heartlock.dev/problems/not_found" }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.enum(problemCodes),
    /** Where validation failed: one entry per issue, e.g. `{ path: "contact.phone", message: "…" }`. */
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    /** With `code_invalid`: wrong codes left before a cooldown starts. */
    attemptsLeft: z.number().int().min(0).optional(),
  })
  .meta({ id: "Problem", description: "RFC 9457 problem details with a stable `code`." });
export type Problem = z.infer<typeof Problem>;

/**
 * Thrown anywhere below the edges for a client-visible failure; every edge (HTTP, direct transport)
 * turns it into the same problem body, so all transports answer alike.
 */
export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly code: ProblemCode,
    readonly detail: string,
    readonly extra: { retryAfterSeconds?: number; errors?: Problem["errors"]; attemptsLeft?: number } = {},
  ) {
    super(`${status} ${code}: ${detail}`);
    this.name = "ProblemError";
  }

  /** With `code_invalid`: wrong codes left before a cooldown starts. */
  get attemptsLeft(): number | undefined {
    return this.extra.attemptsLeft;
  }

  /** With `too_many_attempts`: seconds of simulated time to wait (the `Retry-After` header). */
  get retryAfter(): number | undefined {
    return this.extra.retryAfterSeconds;
  }

  /** With `invalid_request`: one entry per offending field. */
  get errors(): Problem["errors"] {
    return this.extra.errors;
  }

  toProblem(): Problem {
    const body = problemBody(this.status, this.code, this.detail, this.extra.errors);
    return this.extra.attemptsLeft === undefined ? body : { ...body, attemptsLeft: this.extra.attemptsLeft };
  }
}

/** The headers every edge sends with a problem. */
export function problemHeaders(error: ProblemError): Record<string, string> {
  const headers: Record<string, string> = { "content-type": PROBLEM_CONTENT_TYPE };
  if (error.extra.retryAfterSeconds !== undefined) headers["retry-after"] = String(error.extra.retryAfterSeconds);
  return headers;
}

export function problemBody(status: number, code: ProblemCode, detail: string, errors?: Problem["errors"]): Problem {
  return {
    // The type URI is a stable identifier, never fetched (Heartlock never contacts anything off the machine).
    type: `https://heartlock.dev/problems/${code}`,
    title: titles[code],
    status,
    detail,
    code,
    ...(errors && errors.length > 0 ? { errors } : {}),
  };
}

/** Turns a zod failure into a 400 that names every offending field. */
export function invalidRequest(error: z.ZodError, where: string): ProblemError {
  const errors = error.issues.map((issue) => ({
    path: issue.path.map(String).join(".") || where,
    message: issue.message,
  }));
  const first = errors[0];
  const detail = first ? `${where}: ${first.path === where ? "" : `${first.path}: `}${first.message}` : `${where} is invalid`;
  return new ProblemError(400, "invalid_request", detail, { errors });
}
