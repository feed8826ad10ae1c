/**
 * RFC 9457 media type; every error an Attest service answers over HTTP is sent with it. The problem types are in
 * http/problem-types.ts.
 */
export const PROBLEM_JSON = 'application/problem+json';

/** One invalid input: where it is (a JSON pointer into the body, or a parameter name) and what is wrong. */
export interface InvalidInput {
  /**
   * RFC 6901 pointer into the request body (`/answers/0/answer`) or, for `in: 'query' | 'path' | 'header'`, to the
   * parameter (`/limit`, `/If-Match`).
   */
  pointer: string;
  message: string;
  /** Set only when the input is not in the body. */
  in?: 'query' | 'path' | 'header';
}

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  /** The request path the problem occurred on. */
  instance: string;
  /** The X-Request-Id of the request, to find its log lines. */
  requestId?: string;
  errors?: InvalidInput[];
  /** A DomainError's code. */
  code?: string;
  /** A DomainError's details, meant for the caller. */
  details?: Record<string, unknown>;
}

/** RFC 6901: `~` becomes `~0` and `/` becomes `~1` in each segment. */
export function jsonPointer(segments: readonly string[]): string {
  return segments.map((s) => '/' + s.replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}
