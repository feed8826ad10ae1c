import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { ApiExtension, ApiHeader } from '@nestjs/swagger';
import { RequestValidationError } from '../request-validation';

/** Marks operations that take If-Match in the OpenAPI document (the builder adds their 412 and reads no more). */
export const IF_MATCH_EXTENSION = 'x-attest-if-match';
/** Marks operations whose success response carries an ETag in the OpenAPI document. */
export const ENTITY_TAG_EXTENSION = 'x-attest-entity-tag';

/**
 * The caller's `If-Match` names no current version of the resource (RFC 9110 §13.1.1): answered 412 with the
 * precondition-failed problem. The command pipeline's StaleVersionError is answered the same way.
 */
export class PreconditionFailedError extends Error {
  constructor(message = 'If-Match names no current version of the resource.') {
    super(message);
    this.name = 'PreconditionFailedError';
  }
}

/**
 * The strong entity tag of a stream version: `"<version>"`. A representation that also shows state kept outside the
 * stream (control-mapping's controls show the health monitoring reports) adds that state's position:
 * `"<version>.<position>"`, so that a conditional GET (If-None-Match) sees either move. If-Match takes both forms by
 * their version (expectedVersionFromIfMatch): a change is based on the stream, which the outside state never moves.
 */
export function entityTag(version: number, position?: number): string {
  for (const n of position === undefined ? [version] : [version, position])
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError('a version is a non-negative integer');
  return position === undefined ? `"${version}"` : `"${version}.${position}"`;
}

/** What an If-Match header asks for: any current version (`*`), or one of the listed entity tags. */
export type IfMatch = { any: true } | { any: false; tags: { weak: boolean; opaque: string }[] };

/** RFC 9110 §8.8.3: entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE, etagc = %x21 / %x23-7E / obs-text. */
const ENTITY_TAG = /^(W\/)?"([\x21\x23-\x7e\x80-\xff]*)"/;

/**
 * RFC 9110 If-Match syntax as the OpenAPI documents state it: `*`, or a comma-separated list of entity tags, which
 * (§5.6.1) may be empty and may hold empty elements.
 */
export const IF_MATCH_PATTERN =
  '^[ \\t]*(\\*|((W/)?"[\\x21\\x23-\\x7E]*")?([ \\t]*,([ \\t]*(W/)?"[\\x21\\x23-\\x7E]*")?)*)[ \\t]*$';

/** Parses an If-Match field value; undefined when it is absent, null when it is malformed. */
export function parseIfMatch(value: string | string[] | undefined): IfMatch | undefined | null {
  if (value === undefined) return undefined;
  // Only SP and HTAB surround a field value (RFC 9110 §5.5); String.trim would also drop what the pattern refuses.
  const text = (Array.isArray(value) ? value.join(',') : value).replace(/^[ \t]+|[ \t]+$/g, '');
  if (text === '*') return { any: true };
  const tags: { weak: boolean; opaque: string }[] = [];
  let rest = text;
  for (;;) {
    // Empty list elements (RFC 9110 §5.6.1.2) are skipped; the list itself may be empty.
    rest = rest.replace(/^[ \t]*(,[ \t]*)*/, '');
    if (rest.length === 0) return { any: false, tags };
    const match = ENTITY_TAG.exec(rest);
    if (!match) return null;
    tags.push({ weak: match[1] !== undefined, opaque: match[2] });
    rest = rest.slice(match[0].length);
    // Elements are separated by commas.
    if (rest.length > 0 && !/^[ \t]*,/.test(rest)) return null;
  }
}

/** The opaque part of an entityTag: the version, and the position of outside state when the tag has one. */
const VERSION_TAG = /^(0|[1-9]\d{0,14})(?:\.(?:0|[1-9]\d{0,14}))?$/;

/**
 * The stream version a command must find, from the request's If-Match, for the command pipeline's
 * `expectedVersion`:
 * - absent or `*`: undefined, the command runs against the latest version (a missing resource is 404 either way);
 * - one strong tag `"<version>"` or `"<version>.<position>"` (entityTag): that version (stale → 412 from the
 *   pipeline), whatever the position of the outside state, which the change does not touch;
 * - no tag that can ever match (an empty list, weak tags, which strong comparison never matches, or tags that are
 *   not versions), or several different versions (a change is based on one version; refusing is the safe side):
 *   PreconditionFailedError (412);
 * - a value that is not RFC 9110 If-Match syntax (IF_MATCH_PATTERN): RequestValidationError (400).
 */
export function expectedVersionFromIfMatch(value: string | string[] | undefined): number | undefined {
  const ifMatch = parseIfMatch(value);
  if (ifMatch === null) throw invalidIfMatch('If-Match must be * or a list of quoted entity tags');
  if (ifMatch === undefined || ifMatch.any) return undefined;
  const versions = new Set(
    ifMatch.tags.flatMap((t) => {
      const version = t.weak ? null : VERSION_TAG.exec(t.opaque);
      return version ? [Number(version[1])] : [];
    }),
  );
  if (versions.size !== 1) throw new PreconditionFailedError();
  return [...versions][0];
}

function invalidIfMatch(message: string): RequestValidationError {
  return new RequestValidationError([{ pointer: '/If-Match', in: 'header', message }]);
}

/**
 * Parameter decorator for mutations: the version `If-Match` expects (see expectedVersionFromIfMatch), for
 * `pipeline.run(..., { expectedVersion })`. Also documents the header and the 412 answer in the OpenAPI document.
 */
export const IfMatchVersion = createParamDecorator(
  (_data: unknown, context: ExecutionContext): number | undefined =>
    expectedVersionFromIfMatch(
      context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined> }>().headers[
        'if-match'
      ],
    ),
  [
    (target, key) => {
      const descriptor = Object.getOwnPropertyDescriptor(
        target,
        key as string | symbol,
      ) as PropertyDescriptor;
      ApiHeader({
        name: 'If-Match',
        required: false,
        description:
          'The ETag of the version the change is based on; 412 if the resource changed since. Without it the ' +
          'change applies to the latest version.',
        schema: { type: 'string', pattern: IF_MATCH_PATTERN, example: '"3"' },
      })(target, key as string | symbol, descriptor);
      ApiExtension(IF_MATCH_EXTENSION, true)(target, key as string | symbol, descriptor);
    },
  ],
);

/** Documents that the operation's success response carries the resource's `ETag` (the handler returns withEntityTag). */
export function ApiEntityTag(): MethodDecorator {
  return ApiExtension(ENTITY_TAG_EXTENSION, true);
}
