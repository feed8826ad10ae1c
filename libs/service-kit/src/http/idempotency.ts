import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import {
  applyDecorators,
  CallHandler,
  ExecutionContext,
  Injectable,
  Logger,
  NestInterceptor,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiExtension, ApiHeader } from '@nestjs/swagger';
import { catchError, defer, from, mergeMap, of, throwError, type Observable } from 'rxjs';
import { currentRequestContext } from '../request-context';
import { RequestValidationError } from '../request-validation';
import type { IdempotencyStore, IdempotentRequest, StoredResponse } from './idempotency-store';

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
/** Set on a replayed answer. */
export const IDEMPOTENT_REPLAYED_HEADER = 'Idempotent-Replayed';
/** Marks @Idempotent() operations in the OpenAPI document (the builder adds their 409 and 422). */
export const IDEMPOTENT_EXTENSION = 'x-attest-idempotent';

const IDEMPOTENT = 'attest:idempotent';
/** The answer headers a replay repeats. */
const REPLAYED_HEADERS = ['Location', 'ETag', 'Content-Type'];
/** 1 to 255 printable ASCII characters (a UUID is the usual key). */
const KEY = /^[\x20-\x7e]{1,255}$/;

/** Another request used this idempotency key: answered 422 with the idempotency-key-reused problem. */
export class IdempotencyKeyReusedError extends Error {
  constructor() {
    super('This Idempotency-Key was used for another request; use a new key for a new request.');
    this.name = 'IdempotencyKeyReusedError';
  }
}

/** The first request with this key still runs: answered 409 with the idempotency-key-in-flight problem. */
export class IdempotencyKeyInFlightError extends Error {
  constructor() {
    super('A request with this Idempotency-Key is still in progress; retry once it has finished.');
    this.name = 'IdempotencyKeyInFlightError';
  }
}

/**
 * Marks a creating POST as idempotent: a request with an `Idempotency-Key` header is run once per tenant and key,
 * and repeats get the first answer (see IdempotencyInterceptor). Documents the header and the 409/422 answers.
 */
export function Idempotent() {
  return applyDecorators(
    SetMetadata(IDEMPOTENT, true),
    ApiHeader({
      name: IDEMPOTENCY_KEY_HEADER,
      required: false,
      description:
        'A key unique to this request (a UUID), to retry it safely: a repeat with the same key and body gets the ' +
        'first answer (with `Idempotent-Replayed: true`) and changes nothing; the same key with another body is ' +
        'refused with 422. Keys are kept per tenant for 24 hours.',
      schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x20-\\x7E]+$' },
      example: '5f0c2a0e-8d4b-4f43-9f55-0d6f3f0c1e2a',
    }),
    ApiExtension(IDEMPOTENT_EXTENSION, true),
  );
}

/**
 * The request's idempotency key, or undefined without the header. Accepts the IETF draft's structured-field
 * string (`"key"`) and a bare key; anything else is a 400 validation problem on the header.
 */
export function idempotencyKeyOf(headers: Record<string, string | string[] | undefined>): string | undefined {
  const value = headers[IDEMPOTENCY_KEY_HEADER.toLowerCase()];
  if (value === undefined) return undefined;
  const text = typeof value === 'string' ? value.trim() : undefined;
  const quoted = text && /^"(?:[\x20\x21\x23-\x5b\x5d-\x7e]|\\["\\])*"$/.test(text);
  const key = quoted ? text.slice(1, -1).replace(/\\(["\\])/g, '$1') : text;
  if (key === undefined || !KEY.test(key))
    throw new RequestValidationError([
      {
        pointer: `/${IDEMPOTENCY_KEY_HEADER}`,
        in: 'header',
        message: `${IDEMPOTENCY_KEY_HEADER} must be one value of 1 to 255 printable ASCII characters`,
      },
    ]);
  return key;
}

interface HttpRequest {
  method: string;
  originalUrl?: string;
  url?: string;
  body?: unknown;
  headers: Record<string, string | string[] | undefined>;
}

interface HttpResponse {
  statusCode: number;
  status(code: number): unknown;
  setHeader(name: string, value: string): unknown;
  getHeader(name: string): unknown;
}

/**
 * Global interceptor for @Idempotent() routes (installed by createServiceApp with `idempotency: { pool }`), outside
 * every other interceptor so it sees the final status and headers:
 * - no `Idempotency-Key`: the request runs as usual;
 * - a new key: the request runs; a 2xx answer (status, body, Location, ETag) is stored for the tenant and key, a
 *   failed one frees the key again (nothing was appended: commands append atomically), so a retry runs anew;
 * - the same key, caller, method, path and body again: the stored answer, with `Idempotent-Replayed: true`;
 * - the same key with anything else: IdempotencyKeyReusedError (422);
 * - the same key while the first request still runs: IdempotencyKeyInFlightError (409).
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly logger = new Logger(IdempotencyInterceptor.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly store: IdempotencyStore | undefined,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http' || !this.reflector.get<boolean>(IDEMPOTENT, context.getHandler()))
      return next.handle();
    const http = context.switchToHttp();
    const request = http.getRequest<HttpRequest>();
    const key = idempotencyKeyOf(request.headers);
    if (key === undefined) return next.handle();
    const store = this.store;
    if (!store)
      throw new Error(
        `@Idempotent() ${context.getHandler().name} needs createServiceApp({ idempotency: { pool } })`,
      );
    const identity = idempotentRequest(request, key);
    const response = http.getResponse<HttpResponse>();
    return defer(() => store.claim(identity)).pipe(
      mergeMap((claim): Observable<unknown> => {
        switch (claim.outcome) {
          case 'reused':
            return throwError(() => new IdempotencyKeyReusedError());
          case 'in-flight':
            return throwError(() => new IdempotencyKeyInFlightError());
          case 'replay':
            return of(replay(response, claim.response));
          case 'claimed':
            return next.handle().pipe(
              mergeMap((body) => from(this.complete(store, identity, claim.claimId, response, body))),
              catchError((error: unknown) =>
                from(this.release(store, identity, claim.claimId)).pipe(
                  mergeMap(() => throwError(() => error)),
                ),
              ),
            );
        }
      }),
    );
  }

  private async complete(
    store: IdempotencyStore,
    identity: IdempotentRequest,
    claimId: string,
    response: HttpResponse,
    body: unknown,
  ): Promise<unknown> {
    const headers: Record<string, string> = {};
    for (const name of REPLAYED_HEADERS) {
      const value = response.getHeader(name);
      if (value !== undefined) headers[name] = String(value);
    }
    try {
      await store.complete(identity, claimId, {
        status: response.statusCode,
        headers,
        body: body === undefined ? null : JSON.stringify(body),
      });
    } catch (error) {
      // The command succeeded: answer it. A repeat finds the key in flight until its timeout, then runs again.
      this.logger.error({ message: 'storing the answer of an idempotent request failed', error });
    }
    return body;
  }

  private async release(
    store: IdempotencyStore,
    identity: IdempotentRequest,
    claimId: string,
  ): Promise<void> {
    try {
      await store.release(identity, claimId);
    } catch (error) {
      this.logger.error({ message: 'freeing the idempotency key of a failed request failed', error });
    }
  }
}

function idempotentRequest(request: HttpRequest, key: string): IdempotentRequest {
  const context = currentRequestContext();
  const tenantId = context?.principal?.tenant ?? context?.tenant;
  if (!tenantId) throw new Error('an @Idempotent() route needs an authenticated principal (its tenant)');
  return {
    tenantId,
    key,
    actorId: context?.principal?.actorId ?? '',
    method: request.method,
    path: request.originalUrl ?? request.url ?? '',
    bodyHash: createHash('sha256')
      .update(canonicalize(request.body ?? null) as string)
      .digest('hex'),
  };
}

function replay(response: HttpResponse, stored: StoredResponse): unknown {
  response.status(stored.status);
  for (const [name, value] of Object.entries(stored.headers)) response.setHeader(name, value);
  response.setHeader(IDEMPOTENT_REPLAYED_HEADER, 'true');
  return stored.body === null ? undefined : JSON.parse(stored.body);
}
