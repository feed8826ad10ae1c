import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { principalContext, type CommandContext } from '@attest/command-pipeline';
import { currentRequestContext, requestContextOf } from '../request-context';
import { principalOf } from './request-principal';

/** The command context of a request: its verified principal, correlated by the request id. */
export function commandContextOf(request: object): CommandContext {
  const principal = principalOf(request);
  if (!principal) throw new Error('@CommandContextOf() needs an authenticated route, not a @PublicRoute()');
  const requestId = (currentRequestContext() ?? requestContextOf(request))?.requestId;
  return principalContext(principal, requestId ? { correlationId: requestId } : {});
}

/**
 * Parameter decorator: the context commands of this request run in (`pipeline.run(aggregate, context, command)`),
 * made by `principalContext` from the principal of the verified access token, with the request id as correlation
 * id. No header or body can choose the tenant or the actor.
 */
export const CommandContextOf = createParamDecorator(
  (_data: unknown, context: ExecutionContext): CommandContext =>
    commandContextOf(context.switchToHttp().getRequest<object>()),
);
