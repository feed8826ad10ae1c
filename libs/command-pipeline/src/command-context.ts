import type { EventMetadata } from '@attest/event-store';

/** Who caused an event, as every public payload names it (the contracts' `actor`). */
export interface CommandActor {
  type: 'user' | 'api-client' | 'system';
  id: string;
  displayName?: string;
}

/** What links a command to what caused it: the request, or the consumed event. */
export interface CommandCause {
  correlationId?: string;
  causationId?: string;
}

/**
 * Only the factories below issue contexts: the type brand keeps object literals out at compile time, the registry
 * keeps hand-made or copied objects out at run time, so no caller can assemble a `system:*` actor from input.
 */
declare const ISSUED: unique symbol;
const issued = new WeakSet<object>();

/** For whom and by whom a command runs. Made by `principalContext` or `systemContext`, never from raw input. */
export interface CommandContext extends CommandCause {
  readonly [ISSUED]: true;
  readonly tenantId: string;
  /** The actor to put into command payloads. */
  readonly actor: CommandActor;
  /** The actor as event metadata records it: `user:<subject>` or `system:<name>`. */
  readonly actorId: string;
}

/** The fields of a verified principal (service-kit's `Principal`) that a command needs. */
export interface AuthenticatedPrincipal {
  kind: 'user' | 'service';
  subject: string;
  actorId: string;
  displayName?: string;
  tenant: string;
}

const SYSTEM_NAME = /^[a-z][a-z0-9-]{0,99}$/;

function issue(fields: Omit<CommandContext, typeof ISSUED>): CommandContext {
  if (!fields.tenantId) throw new TypeError('a command context needs a tenant');
  const context = Object.freeze({ ...fields, actor: Object.freeze({ ...fields.actor }) }) as CommandContext;
  issued.add(context);
  return context;
}

/**
 * The context of an HTTP request, from the principal its verified access token established. A user acts as
 * `user:<subject>`; only a service principal (client credentials) acts as `system:<client id>`.
 */
export function principalContext(
  principal: AuthenticatedPrincipal,
  cause: CommandCause = {},
): CommandContext {
  const { kind, subject, actorId, displayName, tenant } = principal;
  if (kind === 'user' && actorId !== `user:${subject}`)
    throw new TypeError(`a user principal acts as user:<subject>, not ${actorId}`);
  if (kind === 'service' && !actorId.startsWith('system:'))
    throw new TypeError(`a service principal acts as system:<client id>, not ${actorId}`);
  const actor: CommandActor =
    kind === 'user' ? { type: 'user', id: subject } : { type: 'system', id: actorId };
  if (displayName) actor.displayName = displayName;
  return issue({ tenantId: tenant, actor, actorId, ...cause });
}

/**
 * The context of work Attest starts itself (a reaction to a consumed event, a scheduled job): the actor is
 * `system:<name>`. Call it only from such code paths; HTTP handlers use `principalContext`.
 */
export function systemContext(
  tenantId: string,
  name: string,
  options: CommandCause & { displayName?: string } = {},
): CommandContext {
  if (!SYSTEM_NAME.test(name)) throw new TypeError(`'${name}' is not a system actor name (lowercase slug)`);
  const { displayName, ...cause } = options;
  const actorId = `system:${name}`;
  const actor: CommandActor = { type: 'system', id: actorId, ...(displayName ? { displayName } : {}) };
  return issue({ tenantId, actor, actorId, ...cause });
}

/** Whether a value was issued by `principalContext` or `systemContext` (copies are not). */
export function isCommandContext(value: unknown): value is CommandContext {
  return typeof value === 'object' && value !== null && issued.has(value);
}

/** What every event a command appends carries: who did it, and what caused it. */
export function eventMetadataOf(context: CommandContext): EventMetadata {
  const { actorId, correlationId, causationId } = context;
  return {
    actor: actorId,
    ...(correlationId ? { correlationId } : {}),
    ...(causationId ? { causationId } : {}),
  };
}
