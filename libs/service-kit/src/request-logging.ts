import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerService } from '@nestjs/common';
import { attachRequestContext, RequestContext, runInRequestContext } from './request-context';

export const REQUEST_ID_HEADER = 'X-Request-Id';
/** An incoming X-Request-Id is kept when it is this safe to log; otherwise a new UUID is used. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Express middleware, first in the chain: takes or makes the request id, returns it in X-Request-Id, runs the
 * request in a RequestContext (so every log line written for it carries requestId and tenant), and logs one line
 * when the response is done with method, path (without the query, which may hold data), status and durationMs.
 * Health probes are logged at debug level.
 */
export function requestLogging(logger: LoggerService) {
  return (request: IncomingMessage, response: ServerResponse, next: () => void): void => {
    const incoming = request.headers[REQUEST_ID_HEADER.toLowerCase()];
    const requestId = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    response.setHeader(REQUEST_ID_HEADER, requestId);
    const context: RequestContext = { requestId };
    attachRequestContext(request, context);
    const started = process.hrtime.bigint();
    const path = (request.url ?? '').split('?')[0];
    response.once('close', () => {
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      const fields = {
        method: request.method,
        path,
        status: response.statusCode,
        durationMs: Math.round(durationMs * 1000) / 1000,
      };
      runInRequestContext(context, () => {
        if (!response.writableFinished)
          logger.warn({ message: 'request aborted by client', ...fields }, 'Http');
        else if (path.startsWith('/health/'))
          logger.debug?.({ message: 'request completed', ...fields }, 'Http');
        else if (response.statusCode >= 500) logger.warn({ message: 'request failed', ...fields }, 'Http');
        else logger.log({ message: 'request completed', ...fields }, 'Http');
      });
    });
    runInRequestContext(context, next);
  };
}
