import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import { throwError } from 'rxjs';
import { DomainError } from '@attest/decider';
import { ConcurrencyError, TenantMismatchError } from '@attest/event-store';
import { MalformedBodyError } from './json-body';
import { PROBLEM_JSON, ProblemDetails, ProblemType } from './problem-details';
import { currentRequestContext } from './request-context';
import { RequestValidationError } from './request-validation';
import { TenantHeaderError } from './tenant';

/** Statuses a DomainError code may be mapped to; anything unmapped is a state conflict (409). */
export type DomainErrorStatus = 404 | 409 | 422;

export interface ProblemDetailsOptions {
  /** Per DomainError code, the status to answer with instead of 409, e.g. `{ 'not-found': 404 }`. */
  domainErrorStatus?: Record<string, DomainErrorStatus>;
}

/** Codes every service answers the same way unless it says otherwise. */
const DEFAULT_DOMAIN_ERROR_STATUS: Record<string, DomainErrorStatus> = { 'not-found': 404 };

const DOMAIN_TITLES: Record<DomainErrorStatus, string> = {
  404: 'Not found',
  409: 'Conflict with the current state',
  422: 'Request cannot be processed',
};

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

/**
 * Global exception filter answering every HTTP error as RFC 9457 problem details (`application/problem+json`):
 *
 * | thrown                         | status | type |
 * | ------------------------------ | ------ | ---- |
 * | RequestValidationError         | 400    | urn:attest:problem:validation, with `errors: [{ pointer, message }]` |
 * | MalformedBodyError (bad JSON)  | 400    | urn:attest:problem:malformed-body |
 * | TenantHeaderError              | 400    | urn:attest:problem:tenant |
 * | DomainError                    | 409, or as mapped per code (`not-found` → 404 by default) | urn:attest:problem:domain:<code> |
 * | ConcurrencyError               | 409    | urn:attest:problem:concurrency |
 * | TenantMismatchError            | 404    | urn:attest:problem:not-found (another tenant's data is never revealed) |
 * | HttpException                  | its status | about:blank |
 * | anything else                  | 500    | urn:attest:problem:internal, generic detail; the error is logged |
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetailsFilter');
  private readonly domainErrorStatus: Record<string, DomainErrorStatus>;

  constructor(options: ProblemDetailsOptions = {}) {
    this.domainErrorStatus = { ...DEFAULT_DOMAIN_ERROR_STATUS, ...options.domainErrorStatus };
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
    response.setHeader('Content-Type', `${PROBLEM_JSON}; charset=utf-8`);
    response.end(JSON.stringify(problem));
    return undefined;
  }

  /** The problem for an exception, without `instance` and `requestId`. */
  describe(exception: unknown): Omit<ProblemDetails, 'instance'> {
    if (exception instanceof RequestValidationError) {
      return {
        type: ProblemType.validation,
        title: 'Request validation failed',
        status: 400,
        detail: `${exception.errors.length} input(s) are invalid; see errors`,
        errors: exception.errors,
      };
    }
    if (exception instanceof MalformedBodyError) {
      return {
        type: ProblemType.malformedBody,
        title: 'Malformed request body',
        status: 400,
        detail: exception.message,
      };
    }
    if (exception instanceof TenantHeaderError) {
      return {
        type: ProblemType.tenant,
        title: 'Missing or invalid tenant',
        status: 400,
        detail: exception.message,
      };
    }
    if (exception instanceof DomainError) {
      const status = this.domainErrorStatus[exception.code] ?? 409;
      return {
        type: ProblemType.domainPrefix + exception.code,
        title: DOMAIN_TITLES[status],
        status,
        detail: exception.message,
        code: exception.code,
        ...(Object.keys(exception.details).length ? { details: exception.details } : {}),
      };
    }
    if (exception instanceof ConcurrencyError) {
      return {
        type: ProblemType.concurrency,
        title: 'Concurrent modification',
        status: 409,
        detail: 'The resource was changed by another request; read it again and retry.',
      };
    }
    if (exception instanceof TenantMismatchError) {
      // Logged so operators see attempts across tenants; the caller learns only that nothing is there.
      this.logger.warn({ message: 'request touched another tenant’s stream', error: exception });
      return {
        type: ProblemType.notFound,
        title: 'Not found',
        status: 404,
        detail: 'The resource does not exist.',
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      if (status >= 500) this.logger.error({ message: 'request failed', error: exception });
      return {
        type: ProblemType.aboutBlank,
        title: STATUS_CODES[status] ?? 'Error',
        status,
        detail: httpExceptionDetail(exception),
      };
    }
    this.logger.error({ message: 'unexpected error while handling a request', error: exception });
    return {
      type: ProblemType.internal,
      title: 'Internal server error',
      status: HttpStatus.INTERNAL_SERVER_ERROR,
      detail: 'An unexpected error occurred. Quote the requestId when reporting it.',
    };
  }
}

function httpExceptionDetail(exception: HttpException): string {
  const body = exception.getResponse();
  if (typeof body === 'string') return body;
  const message = (body as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : exception.message;
}
