import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  Logger,
  NotFoundException,
} from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import { throwError } from 'rxjs';
import { CommandRejectedError, StaleVersionError } from '@attest/command-pipeline';
import { DomainError } from '@attest/decider';
import { ConcurrencyError, TenantMismatchError } from '@attest/event-store';
import { PreconditionFailedError } from './http/entity-tags';
import { IdempotencyKeyInFlightError, IdempotencyKeyReusedError } from './http/idempotency';
import { MethodNotAllowedError } from './http/method-not-allowed';
import { InvalidCursorError } from './http/pagination';
import {
  ABOUT_BLANK,
  domainErrorStatusOf,
  domainProblemType,
  PROBLEM_TYPES,
  problemSlugForStatus,
  type DomainErrorStatus,
  type ProblemSlug,
} from './http/problem-types';
import { RateLimitedError } from './http/rate-limit';
import { AccessDeniedError, AuthenticationError } from './identity/errors';
import { MalformedBodyError } from './json-body';
import { PROBLEM_JSON, ProblemDetails } from './problem-details';
import { currentRequestContext } from './request-context';
import { RequestValidationError } from './request-validation';

export interface ProblemDetailsOptions {
  /** Per DomainError code, the status to answer with instead of 409, e.g. `{ 'risk-not-found': 404 }`. */
  domainErrorStatus?: Record<string, DomainErrorStatus>;
}

interface HttpRequest {
  url?: string;
  originalUrl?: string;
}

interface HttpResponse {
  headersSent: boolean;
  status(code: number): HttpResponse;
  setHeader(name: string, value: string): unknown;
  end(body?: string): unknown;
}

type Problem = Omit<ProblemDetails, 'instance'>;

function problem(slug: ProblemSlug, detail: string, extra: Partial<Problem> = {}): Problem {
  const { type, title, status } = PROBLEM_TYPES[slug];
  return { type, title, status, detail, ...extra };
}

/**
 * Global exception filter answering every HTTP error as RFC 9457 problem details (`application/problem+json`),
 * types from the one registry (http/problem-types.ts). No answer repeats a submitted value.
 *
 * | thrown                                    | status | type (urn:attest:problem:…) |
 * | ----------------------------------------- | ------ | ---------------------------- |
 * | RequestValidationError                    | 400    | validation, `errors: [{ pointer, message, in? }]` |
 * | MalformedBodyError (bad JSON)             | 400    | malformed-body |
 * | AuthenticationError                       | 401    | unauthenticated, with `WWW-Authenticate: Bearer` |
 * | AccessDeniedError                         | 403    | forbidden |
 * | DomainError mapped to 404, TenantMismatch | 404    | not-found (a DomainError's `code` kept) |
 * | MethodNotAllowedError                     | 405    | method-not-allowed, with `Allow` |
 * | DomainError (default 409, or 422)         | 409/422 | domain:<code>, with `code` and `details` |
 * | ConcurrencyError                          | 409    | concurrency |
 * | IdempotencyKeyInFlightError               | 409    | idempotency-key-in-flight |
 * | PreconditionFailedError, StaleVersionError | 412   | precondition-failed |
 * | IdempotencyKeyReusedError                 | 422    | idempotency-key-reused |
 * | CommandRejectedError                      | 422    | unprocessable |
 * | RateLimitedError                          | 429    | rate-limited, with `Retry-After` |
 * | HttpException                             | its status | the registry's type for it, else about:blank |
 * | anything else                             | 500    | internal, generic detail; the error is logged |
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetailsFilter');
  private readonly domainErrorStatus: Record<string, DomainErrorStatus>;

  constructor(options: ProblemDetailsOptions = {}) {
    this.domainErrorStatus = options.domainErrorStatus ?? {};
  }

  catch(exception: unknown, host: ArgumentsHost) {
    // Kafka handlers and other transports keep their own error handling.
    if (host.getType() !== 'http') return throwError(() => exception);
    const http = host.switchToHttp();
    const request = http.getRequest<HttpRequest>();
    const response = http.getResponse<HttpResponse>();
    const instance = (request.originalUrl ?? request.url ?? '').split('?')[0];
    const problem = { ...this.describe(exception), instance } as ProblemDetails;
    const requestId = currentRequestContext()?.requestId;
    if (requestId) problem.requestId = requestId;
    if (response.headersSent) {
      response.end();
      return undefined;
    }
    response.status(problem.status);
    if (exception instanceof AuthenticationError) response.setHeader('WWW-Authenticate', exception.challenge);
    if (exception instanceof MethodNotAllowedError) response.setHeader('Allow', exception.allow);
    response.setHeader('Content-Type', `${PROBLEM_JSON}; charset=utf-8`);
    response.end(JSON.stringify(problem));
    return undefined;
  }

  /** The problem for an exception, without `instance` and `requestId`. */
  describe(exception: unknown): Problem {
    if (exception instanceof RequestValidationError)
      return problem('validation', `${exception.errors.length} input(s) are invalid; see errors`, {
        errors: exception.errors,
      });
    if (exception instanceof MalformedBodyError) return problem('malformed-body', exception.message);
    if (exception instanceof AuthenticationError) return problem('unauthenticated', exception.message);
    if (exception instanceof AccessDeniedError) return problem('forbidden', exception.message);
    if (exception instanceof DomainError) {
      const status = domainErrorStatusOf(exception.code, this.domainErrorStatus);
      return {
        ...domainProblemType(exception.code, status),
        status,
        detail: exception.message,
        code: exception.code,
        ...(Object.keys(exception.details).length ? { details: exception.details } : {}),
      };
    }
    if (exception instanceof TenantMismatchError) {
      // Logged so operators see attempts across tenants; the caller learns only that nothing is there.
      this.logger.warn({ message: 'request touched another tenant’s stream', error: exception });
      return problem('not-found', 'The resource does not exist.');
    }
    if (exception instanceof MethodNotAllowedError) return problem('method-not-allowed', exception.message);
    if (exception instanceof ConcurrencyError)
      return problem('concurrency', 'The resource was changed by another request; read it again and retry.');
    if (exception instanceof IdempotencyKeyInFlightError)
      return problem('idempotency-key-in-flight', exception.message);
    if (exception instanceof PreconditionFailedError || exception instanceof StaleVersionError)
      return problem(
        'precondition-failed',
        'The resource changed since the version If-Match names; read it again and decide again.',
      );
    if (exception instanceof IdempotencyKeyReusedError)
      return problem('idempotency-key-reused', exception.message);
    if (exception instanceof CommandRejectedError) {
      this.logger.warn({ message: 'command refused by an event contract', error: exception });
      return problem('unprocessable', `The request cannot be processed: ${exception.problems.join('; ')}`);
    }
    if (exception instanceof InvalidCursorError) return problem('invalid-cursor', exception.message);
    if (exception instanceof RateLimitedError) return problem('rate-limited', exception.message);
    if (exception instanceof HttpException) return this.httpProblem(exception);
    this.logger.error({ message: 'unexpected error while handling a request', error: exception });
    return problem('internal', 'An unexpected error occurred. Quote the requestId when reporting it.');
  }

  private httpProblem(exception: HttpException): Problem {
    const status = exception.getStatus();
    if (status >= 500) this.logger.error({ message: 'request failed', error: exception });
    const slug = problemSlugForStatus(status);
    const detail = isUnknownRoute(exception)
      ? 'No resource exists at this path.'
      : httpExceptionDetail(exception);
    if (slug) return problem(slug, detail);
    return { type: ABOUT_BLANK, title: STATUS_CODES[status] ?? 'Error', status, detail };
  }
}

/** Nest's answer for a path no route matches: its message quotes the URL, query included, so it is replaced. */
function isUnknownRoute(exception: HttpException): boolean {
  return exception instanceof NotFoundException && /^Cannot [A-Z]+ /.test(exception.message);
}

function httpExceptionDetail(exception: HttpException): string {
  const body = exception.getResponse();
  if (typeof body === 'string') return body;
  const message = (body as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : exception.message;
}
