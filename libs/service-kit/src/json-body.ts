import { BadRequestException, HttpException, INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { reenterRequestContext, requestContextOf, runInRequestContext } from './request-context';

/** The request body is not well-formed JSON; answered as a 400 problem of type malformed-body. */
export class MalformedBodyError extends BadRequestException {
  constructor(detail: string) {
    super(detail);
    this.name = 'MalformedBodyError';
  }
}

interface BodyParserError extends Error {
  type?: string;
  status?: number;
  expose?: boolean;
}

/**
 * Parses JSON bodies (up to `limit`) for an app created with `bodyParser: false`, turning the parser's failures
 * into exceptions ProblemDetailsFilter answers: malformed JSON → MalformedBodyError, too large → 413, unsupported
 * charset → 415. Only JSON is parsed: Attest services take no form posts.
 */
export function useJsonBody(app: INestApplication, limit = '1mb'): void {
  (app as NestExpressApplication).useBodyParser('json', { limit });
  app.use((error: BodyParserError, request: object, _response: unknown, next: (error?: unknown) => void) => {
    const mapped =
      error.type === 'entity.parse.failed'
        ? new MalformedBodyError(`the request body is not valid JSON: ${error.message}`)
        : error.expose && error.status && error.status >= 400 && error.status < 500
          ? new HttpException(error.message, error.status, { cause: error })
          : error;
    const context = requestContextOf(request);
    if (context) runInRequestContext(context, () => next(mapped));
    else next(mapped);
  });
  app.use(reenterRequestContext);
}
