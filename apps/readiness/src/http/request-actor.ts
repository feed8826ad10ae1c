import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import type { Actor } from '@attest/readiness-domain';
import { RequestValidationError } from '@attest/service-kit';

/**
 * Who acts, until the gateway authenticates requests: `user:<uuid>`, `api-client:<client id>` or `system:<job>`.
 * Without the header the actor is the API client `anonymous`.
 */
export const ACTOR_HEADER = 'X-Attest-Actor';
const ACTOR_PATTERN = /^(user|api-client|system):(\S{1,200})$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const ANONYMOUS_ACTOR: Actor = { type: 'api-client', id: 'anonymous' };

export function actorOf(headers: Record<string, string | string[] | undefined>): Actor {
  const raw = headers[ACTOR_HEADER.toLowerCase()];
  if (raw === undefined || raw === '') return ANONYMOUS_ACTOR;
  const match = typeof raw === 'string' ? ACTOR_PATTERN.exec(raw) : null;
  if (!match || (match[1] === 'user' && !UUID.test(match[2])))
    throw new RequestValidationError([
      {
        pointer: '',
        message: `the ${ACTOR_HEADER} header must be user:<uuid>, api-client:<id> or system:<job>`,
      },
    ]);
  return { type: match[1] as Actor['type'], id: match[2] };
}

/** Parameter decorator: the request's actor. */
export const RequestActor = createParamDecorator((_data: unknown, context: ExecutionContext): Actor =>
  actorOf(
    context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined> }>().headers,
  ),
);

/** Documents the actor header on a controller's operations. */
export const ApiActorHeader = () =>
  ApiHeader({
    name: ACTOR_HEADER,
    required: false,
    description: 'Who acts: user:<uuid>, api-client:<id> or system:<job> (default api-client:anonymous).',
    schema: { type: 'string', pattern: ACTOR_PATTERN.source },
  });
