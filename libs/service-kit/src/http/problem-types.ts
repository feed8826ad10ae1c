/**
 * The one registry of RFC 9457 problem types every Attest service answers with. The exception filter takes type,
 * title and status from here, the OpenAPI builder documents each operation's responses from here, and
 * docs/api/conventions.md lists it. A client branches on `type`, never on `title` or `detail`.
 *
 * Types are URNs (`urn:attest:problem:<slug>`): stable names that nobody is tempted to dereference; their
 * documentation is docs/api/conventions.md.
 */
export const PROBLEM_TYPE_PREFIX = 'urn:attest:problem:';

/** A DomainError's type is this prefix followed by its code, e.g. urn:attest:problem:domain:risk-closed. */
export const DOMAIN_PROBLEM_PREFIX = `${PROBLEM_TYPE_PREFIX}domain:`;

/** RFC 9457 §4.2.1: no more meaning than the status code (statuses the registry has no type for). */
export const ABOUT_BLANK = 'about:blank';

export interface ProblemTypeDefinition {
  /** The `type` URI. */
  type: string;
  title: string;
  status: number;
  /** When a service answers with it (for the documents). */
  description: string;
}

const DEFINITIONS = {
  validation: {
    status: 400,
    title: 'Request validation failed',
    description:
      'A body field, query or path parameter or header breaks its documented rules; `errors` has one JSON pointer ' +
      'per broken rule. Submitted values are never repeated.',
  },
  'malformed-body': {
    status: 400,
    title: 'Malformed request body',
    description: 'The body is not well-formed JSON.',
  },
  unauthenticated: {
    status: 401,
    title: 'Authentication required',
    description:
      'No bearer access token, or one that is expired, not yet valid, badly signed, or for another issuer or ' +
      'audience. Sent with `WWW-Authenticate: Bearer`.',
  },
  forbidden: {
    status: 403,
    title: 'Permission denied',
    description: "The token is valid but the principal's roles do not grant the operation's permission.",
  },
  'not-found': {
    status: 404,
    title: 'Not found',
    description:
      'No such resource for this tenant (another tenant\'s resources are "not found" too), or no such path. A ' +
      "domain refusal mapped to 404 keeps its `code` (e.g. 'risk-not-found').",
  },
  'method-not-allowed': {
    status: 405,
    title: 'Method not allowed',
    description: 'The path exists but not with this method; `Allow` lists the methods it has.',
  },
  conflict: {
    status: 409,
    title: 'Conflict with the current state',
    description: 'The request conflicts with the state of the resource.',
  },
  concurrency: {
    status: 409,
    title: 'Concurrent modification',
    description: 'Another request changed the resource at the same moment, and retrying did not get through.',
  },
  'idempotency-key-in-flight': {
    status: 409,
    title: 'Request with this idempotency key in progress',
    description:
      'A request with the same `Idempotency-Key` is still being processed; retry after it finished.',
  },
  gone: {
    status: 410,
    title: 'Gone',
    description:
      'The resource existed and was disposed of by a decision recorded as an event (e.g. evidence content after ' +
      'its retention period); its record stays.',
  },
  'precondition-failed': {
    status: 412,
    title: 'Precondition failed',
    description:
      '`If-Match` names no current version of the resource: it changed since it was read. Read it again (GET ' +
      'returns the new `ETag`) and decide again.',
  },
  'payload-too-large': {
    status: 413,
    title: 'Request body too large',
    description: 'The body is larger than the service accepts.',
  },
  'unsupported-media-type': {
    status: 415,
    title: 'Unsupported media type',
    description: 'Bodies are JSON only: `Content-Type: application/json` (UTF-8).',
  },
  unprocessable: {
    status: 422,
    title: 'Request cannot be processed',
    description: 'The request is well-formed but breaks a rule of the domain.',
  },
  'invalid-cursor': {
    status: 422,
    title: 'Cursor not recognised',
    description:
      'The `cursor` query parameter is not one this list issued. Cursors are opaque: follow the `next` link as ' +
      'given, or start again without a cursor.',
  },
  'idempotency-key-reused': {
    status: 422,
    title: 'Idempotency key reused',
    description:
      'The `Idempotency-Key` was used before with another request (another body, path or caller); use a new key ' +
      'for a new request.',
  },
  'rate-limited': {
    status: 429,
    title: 'Too many requests',
    description:
      'The caller sent more requests than its limit allows; `Retry-After` says in how many seconds to retry.',
  },
  internal: {
    status: 500,
    title: 'Internal server error',
    description: 'An unexpected error; the detail is generic. Quote the `requestId` when reporting it.',
  },
} as const satisfies Record<string, Omit<ProblemTypeDefinition, 'type'>>;

/** A problem type's short name, e.g. 'precondition-failed'. */
export type ProblemSlug = keyof typeof DEFINITIONS;

/** Every Attest problem type by slug: `{ type, title, status, description }`. */
export const PROBLEM_TYPES: Readonly<Record<ProblemSlug, ProblemTypeDefinition>> = Object.freeze(
  Object.fromEntries(
    Object.entries(DEFINITIONS).map(([slug, definition]) => [
      slug,
      Object.freeze({ type: PROBLEM_TYPE_PREFIX + slug, ...definition }),
    ]),
  ) as Record<ProblemSlug, ProblemTypeDefinition>,
);

export function isProblemSlug(value: string): value is ProblemSlug {
  return Object.prototype.hasOwnProperty.call(PROBLEM_TYPES, value);
}

/** The type a plain HTTP error of this status is answered with: the registry's general type, or about:blank. */
const GENERAL_TYPE_BY_STATUS: Partial<Record<number, ProblemSlug>> = {
  400: 'validation',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  409: 'conflict',
  410: 'gone',
  412: 'precondition-failed',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  422: 'unprocessable',
  429: 'rate-limited',
  500: 'internal',
};

export function problemSlugForStatus(status: number): ProblemSlug | undefined {
  return GENERAL_TYPE_BY_STATUS[status];
}

/**
 * Statuses a DomainError code may be mapped to (`domainErrorStatus`); anything unmapped is a conflict (409). Beyond
 * 404/409/422, a refusal about the request's content (a file's name, size or media type) or a disposed resource has
 * the status HTTP gives it.
 */
export type DomainErrorStatus = 400 | 404 | 409 | 410 | 413 | 415 | 422;

/** The status of a DomainError code: the service's mapping, else 404 for the code 'not-found', else 409. */
export function domainErrorStatusOf(
  code: string,
  mapping: Record<string, DomainErrorStatus> = {},
): DomainErrorStatus {
  return mapping[code] ?? (code === 'not-found' ? 404 : 409);
}

/**
 * The type and title a DomainError is answered with: refusals mapped to 404 are the one not-found type (the
 * filter keeps their `code`), so "not found" reads the same in every service; the others are domain:<code>.
 */
export function domainProblemType(code: string, status: DomainErrorStatus): { type: string; title: string } {
  if (status === 404)
    return { type: PROBLEM_TYPES['not-found'].type, title: PROBLEM_TYPES['not-found'].title };
  const general = PROBLEM_TYPES[problemSlugForStatus(status) ?? 'conflict'];
  return { type: DOMAIN_PROBLEM_PREFIX + code, title: general.title };
}

/** Kebab-case slug to camelCase key: 'malformed-body' → 'malformedBody'. */
type CamelCase<S extends string> = S extends `${infer Head}-${infer Tail}`
  ? `${Head}${Capitalize<CamelCase<Tail>>}`
  : S;

/**
 * The type URIs by camelCase name, for code and tests that compare types:
 * `ProblemType.preconditionFailed === 'urn:attest:problem:precondition-failed'`.
 */
export const ProblemType = Object.freeze({
  ...(Object.fromEntries(
    Object.entries(PROBLEM_TYPES).map(([slug, { type }]) => [
      slug.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()),
      type,
    ]),
  ) as { [S in ProblemSlug as CamelCase<S>]: string }),
  domainPrefix: DOMAIN_PROBLEM_PREFIX,
  aboutBlank: ABOUT_BLANK,
});
