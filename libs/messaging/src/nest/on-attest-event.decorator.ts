import 'reflect-metadata';

export const ON_ATTEST_EVENT = 'attest:on-event';

/**
 * Marks a provider (or controller) method as the handler of one or more public event types:
 *
 *   @OnAttestEvent('io.attest.evidence.collected.v1')
 *   async onEvidence(event: CloudEvent<EvidenceCollected>, ctx: EventContext) { … ctx.tx.query(…) … }
 *
 * The method runs inside the inbox transaction (`ctx.tx`); throw `TransientError` for failures worth a retry.
 */
export function OnAttestEvent(...ceTypes: string[]): MethodDecorator {
  if (ceTypes.length === 0) throw new TypeError('@OnAttestEvent needs at least one event type');
  return (_target, _key, descriptor) => {
    const method = descriptor.value as unknown as object;
    const existing = (Reflect.getMetadata(ON_ATTEST_EVENT, method) as string[] | undefined) ?? [];
    Reflect.defineMetadata(ON_ATTEST_EVENT, [...existing, ...ceTypes], method);
    return descriptor;
  };
}

export function attestEventTypesOf(method: unknown): string[] {
  if (typeof method !== 'function') return [];
  return (Reflect.getMetadata(ON_ATTEST_EVENT, method) as string[] | undefined) ?? [];
}
