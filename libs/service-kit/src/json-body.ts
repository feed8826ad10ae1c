import type { IncomingMessage } from 'node:http';
import { BadRequestException, HttpException, INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { reenterRequestContext, requestContextOf, runInRequestContext } from './request-context';

/** The request body is not well-formed JSON; answered as a 400 problem of type malformed-body. */
export class MalformedBodyError extends BadRequestException {
  constructor() {
    // Never the parser's message: it quotes the body.
    super('The request body is not valid JSON.');
    this.name = 'MalformedBodyError';
  }
}

interface BodyParserError extends Error {
  type?: string;
  status?: number;
  expose?: boolean;
}

/** `application/json` and the structured `+json` types (RFC 6839), any parameters. */
const JSON_MEDIA_TYPE = /^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i;

function hasBody(request: IncomingMessage): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

function isJson(request: IncomingMessage): boolean {
  return JSON_MEDIA_TYPE.test(request.headers['content-type'] ?? '');
}

/** The media type of the request's body, lowercase, without parameters. */
function mediaTypeOf(request: IncomingMessage): string {
  return (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
}

/** The parser's failures as the exceptions ProblemDetailsFilter answers, with fixed texts (theirs quote input). */
function bodyParserProblem(error: BodyParserError, limit: string): unknown {
  switch (error.type) {
    case 'entity.parse.failed':
      return new MalformedBodyError();
    case 'entity.too.large':
      return new HttpException(`The request body is larger than ${limit}.`, 413, { cause: error });
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return new HttpException('Bodies are JSON in UTF-8, without content encoding.', 415, { cause: error });
    default:
      return error.expose && error.status && error.status >= 400 && error.status < 500
        ? new HttpException('The request body could not be read.', error.status, { cause: error })
        : error;
  }
}

/**
 * Parses JSON bodies (up to `limit`) for an app created with `bodyParser: false`, turning the parser's failures
 * into exceptions ProblemDetailsFilter answers: malformed JSON → MalformedBodyError, too large → 413, a body in
 * another media type, charset or encoding → 415. Only JSON is parsed, and the `textTypes` a service takes as text
 * (e.g. `text/csv` for an import; the handler gets a string, which no JSON route's DTO accepts). Bodies of the
 * `streamedTypes` (e.g. `multipart/form-data` for an upload) are left unread: the handler streams them itself, so a
 * large file is never held in memory. Attest services take no other form posts.
 */
export function useJsonBody(
  app: INestApplication,
  limit = '1mb',
  textTypes: readonly string[] = [],
  streamedTypes: readonly string[] = [],
): void {
  const isText = (request: IncomingMessage) => textTypes.includes(mediaTypeOf(request));
  const isStreamed = (request: IncomingMessage) => streamedTypes.includes(mediaTypeOf(request));
  app.use((request: IncomingMessage, _response: unknown, next: (error?: unknown) => void) => {
    if (hasBody(request) && !isJson(request) && !isText(request) && !isStreamed(request))
      next(new HttpException('Bodies are JSON only: send Content-Type: application/json.', 415));
    else next();
  });
  (app as NestExpressApplication).useBodyParser('json', { limit, type: isJson });
  if (textTypes.length) (app as NestExpressApplication).useBodyParser('text', { limit, type: isText });
  app.use((error: BodyParserError, request: object, _response: unknown, next: (error?: unknown) => void) => {
    const mapped = bodyParserProblem(error, limit);
    const context = requestContextOf(request);
    if (context) runInRequestContext(context, () => next(mapped));
    else next(mapped);
  });
  app.use(reenterRequestContext);
}
