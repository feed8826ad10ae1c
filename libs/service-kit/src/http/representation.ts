import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { map, type Observable } from 'rxjs';
import { API_VERSION } from './api-version';
import { entityTag } from './entity-tags';

/**
 * A handler's answer with the HTTP metadata of the resource: `created(view, apiPath('risks', id), version)` for a
 * 201 with `Location` (and `ETag`), `withEntityTag(view, version)` for a single resource. RepresentationInterceptor
 * sends the body and sets status and headers.
 */
export class Representation<T> {
  constructor(
    readonly body: T,
    readonly headers: { location?: string; etag?: string },
    readonly status?: number,
  ) {}
}

/**
 * 201 Created with `Location` (RFC 9110 §15.3.2) and, when the stream version is known, its `ETag` (with the
 * position of the outside state the body shows, if any: see entityTag).
 */
export function created<T>(
  body: T,
  location: string,
  version?: number,
  position?: number,
): Representation<T> {
  return new Representation(
    body,
    { location, ...(version === undefined ? {} : { etag: entityTag(version, position) }) },
    201,
  );
}

/** The body with the `ETag` of the stream version it shows (and of the outside state's position: see entityTag). */
export function withEntityTag<T>(body: T, version: number, position?: number): Representation<T> {
  return new Representation(body, { etag: entityTag(version, position) });
}

/** The path of an API resource, each segment percent-encoded: apiPath('risks', id) → /v1/risks/<id>. */
export function apiPath(...segments: string[]): string {
  return `/${API_VERSION}/${segments.map(encodeURIComponent).join('/')}`;
}

interface HeaderResponse {
  statusCode: number;
  status(code: number): unknown;
  setHeader(name: string, value: string): unknown;
  getHeader(name: string): unknown;
}

/**
 * Global interceptor: unwraps Representations into status, `Location` and `ETag`, and holds the convention that
 * every 201 carries a `Location`: a handler answering 201 without one fails loudly (500, logged), because clients
 * rely on it. A POST that creates nothing answers 200 (`@HttpCode(200)`).
 */
@Injectable()
export class RepresentationInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const response = context.switchToHttp().getResponse<HeaderResponse>();
    return next.handle().pipe(
      map((value: unknown) => {
        const body = value instanceof Representation ? applyRepresentation(response, value) : value;
        if (response.statusCode === 201 && !response.getHeader('location'))
          throw new Error(
            `${context.getClass().name}.${context.getHandler().name} answered 201 without Location: ` +
              'return created(body, location), or use @HttpCode(200) when nothing is created',
          );
        return body;
      }),
    );
  }
}

function applyRepresentation(response: HeaderResponse, representation: Representation<unknown>): unknown {
  if (representation.status !== undefined) response.status(representation.status);
  if (representation.headers.location) response.setHeader('Location', representation.headers.location);
  if (representation.headers.etag) response.setHeader('ETag', representation.headers.etag);
  return representation.body;
}
