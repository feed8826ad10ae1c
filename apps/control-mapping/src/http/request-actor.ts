import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Actor } from '@attest/control-mapping-domain';
import { RequestValidationError } from '@attest/service-kit';

/** Who acts, until the gateway authenticates requests: a user id and an optional display name, as headers. */
export const ACTOR_HEADER = 'X-Attest-Actor';
export const ACTOR_NAME_HEADER = 'X-Attest-Actor-Name';
/** The actor when a request names none. */
export const ANONYMOUS_API_CLIENT: Actor = { type: 'api-client', id: 'api-client:unidentified' };

type Headers = Record<string, string | string[] | undefined>;
/** 1 to 200 characters, none of them a control character. */
function printable(value: string): boolean {
  return (
    value.length >= 1 &&
    value.length <= 200 &&
    ![...value].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)
  );
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
