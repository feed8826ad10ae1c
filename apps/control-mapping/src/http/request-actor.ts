import { applyDecorators, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import type { Actor } from '@attest/control-mapping-domain';
import { RequestValidationError } from '@attest/service-kit';

/** Who acts, until the gateway authenticates requests: a user id and an optional display name, as headers. */
export const ACTOR_HEADER = 'X-Attest-Actor';
export const ACTOR_NAME_HEADER = 'X-Attest-Actor-Name';
/** The actor when a request names none. */
export const ANONYMOUS_API_CLIENT: Actor = { type: 'api-client', id: 'api-client:unidentified' };

type Headers = Record<string, string | string[] | undefined>;
/** No control characters, and no space at either end (HTTP drops it, so it could never arrive). */
// eslint-disable-next-line no-control-regex -- control characters are exactly the ones refused
const PRINTABLE = /^[^\u0000-\u0020\u007f]([^\u0000-\u001f\u007f]*[^\u0000-\u0020\u007f])?$/;
const ACTOR_HEADER_SCHEMA = { type: 'string', minLength: 1, maxLength: 200, pattern: PRINTABLE.source };

/** 1 to 200 characters, none of them a control character. */
function printable(value: string): boolean {
  return value.length <= 200 && PRINTABLE.test(value);
}

export function actorOf(headers: Headers): Actor {
  const id = headers[ACTOR_HEADER.toLowerCase()];
  const name = headers[ACTOR_NAME_HEADER.toLowerCase()];
  const problems = [];
  if (id !== undefined && (typeof id !== 'string' || !printable(id)))
    problems.push({
      pointer: '',
      message: `the ${ACTOR_HEADER} header must be 1 to 200 printable characters`,
    });
  if (name !== undefined && (typeof name !== 'string' || !printable(name)))
    problems.push({
      pointer: '',
      message: `the ${ACTOR_NAME_HEADER} header must be 1 to 200 printable characters`,
    });
  if (problems.length) throw new RequestValidationError(problems);
  if (id === undefined) return ANONYMOUS_API_CLIENT;
  return { type: 'user', id: id as string, ...(name ? { displayName: name as string } : {}) };
}

/** Parameter decorator: the actor of the current HTTP request (see ACTOR_HEADER). */
export const RequestActor = createParamDecorator((_data: unknown, context: ExecutionContext): Actor =>
  actorOf(context.switchToHttp().getRequest<{ headers: Headers }>().headers),
);

/** Documents the actor headers, as `actorOf` reads them, on a route whose handler takes `@RequestActor()`. */
export const ActorHeaders = () =>
  applyDecorators(
    ApiHeader({
      name: ACTOR_HEADER,
      required: false,
      description: 'Who acts (a user id), until the gateway authenticates.',
      schema: ACTOR_HEADER_SCHEMA,
    }),
    ApiHeader({
      name: ACTOR_NAME_HEADER,
      required: false,
      description: "The actor's display name.",
      schema: ACTOR_HEADER_SCHEMA,
    }),
  );
