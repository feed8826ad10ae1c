import { eventMetadataOf, isCommandContext, principalContext, systemContext } from './command-context';

const user = {
  kind: 'user' as const,
  subject: '1d3f5b7a-9c2e-4a6b-8d0f-2e4a6c8b0d1f',
  actorId: 'user:1d3f5b7a-9c2e-4a6b-8d0f-2e4a6c8b0d1f',
  displayName: 'Marcus Chen',
  tenant: 'acme',
};

describe('command contexts', () => {
  it('a user acts as user:<subject>, named in payloads by subject', () => {
    const context = principalContext(user, { correlationId: 'req-1' });
    expect(context).toMatchObject({
      tenantId: 'acme',
      actorId: user.actorId,
      actor: { type: 'user', id: user.subject, displayName: 'Marcus Chen' },
      correlationId: 'req-1',
    });
    expect(eventMetadataOf(context)).toEqual({ actor: user.actorId, correlationId: 'req-1' });
  });

  it('a user principal can never carry a system actor', () => {
    expect(() => principalContext({ ...user, actorId: 'system:readiness' })).toThrow(TypeError);
  });

  it('a service principal (client credentials) acts as system:<client id>', () => {
    const context = principalContext({
      kind: 'service',
      subject: 'service-account-attest-orchestrator',
      actorId: 'system:attest-orchestrator',
      tenant: 'acme',
    });
    expect(context.actor).toEqual({ type: 'system', id: 'system:attest-orchestrator' });
    expect(() =>
      principalContext({ kind: 'service', subject: 's', actorId: 'user:s', tenant: 'acme' }),
    ).toThrow(TypeError);
  });

  it('system contexts name the job and what caused the work', () => {
    const context = systemContext('acme', 'readiness', {
      displayName: 'Readiness remediation',
      causationId: 'event-1',
    });
    expect(context.actor).toEqual({
      type: 'system',
      id: 'system:readiness',
      displayName: 'Readiness remediation',
    });
    expect(eventMetadataOf(context)).toEqual({ actor: 'system:readiness', causationId: 'event-1' });
    expect(() => systemContext('acme', 'Readiness:x')).toThrow(TypeError);
    expect(() => systemContext('', 'readiness')).toThrow(TypeError);
  });

  it('only issued contexts count: copies and hand-made objects do not', () => {
    const context = principalContext(user);
    expect(isCommandContext(context)).toBe(true);
    expect(isCommandContext({ ...context })).toBe(false);
    expect(isCommandContext({ tenantId: 'acme', actorId: 'system:readiness' })).toBe(false);
    expect(Object.isFrozen(context) && Object.isFrozen(context.actor)).toBe(true);
  });
});
