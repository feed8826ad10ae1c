import 'reflect-metadata';

export const ON_ATTEST_EVENT = 'attest:on-event';
export const ON_ATTEST_EVENTS = 'attest:on-events';

/**
 * Marks a provider (or controller) method as the handler of one or more public event types, one event at a time:
 *
 *   @OnAttestEvent('io.attest.evidence.collected.v1')
 *   async onEvidence(event: CloudEvent<EvidenceCollected>, ctx: EventContext) { … ctx.tx.query(…) … }
 *
 * The method runs inside the inbox transaction (`ctx.tx`); appends made through it
 * (`pipeline.run(…, { tx: ctx.tx })`) commit with it. Throw `TransientError` for failures worth a retry.
 */
export function OnAttestEvent(...ceTypes: string[]): MethodDecorator {
  return mark(ON_ATTEST_EVENT, '@OnAttestEvent', ceTypes);
}

/**
 * Marks a method as the handler of runs of events of these types, in the inbox transaction, e.g. to write a read
 * model with one statement per run:
 *
 *   @OnAttestEvents('io.attest.evidence.collected.v1')
 *   async onEvidence(events: CloudEvent<EvidenceCollected>[], ctx: EventBatchContext) { … unnest … ctx.tx … }
 *
 * It gets consecutive events of one partition that share a type, in order. Throw `BatchEventError` to say which
 * event failed.
 */
export function OnAttestEvents(...ceTypes: string[]): MethodDecorator {
  return mark(ON_ATTEST_EVENTS, '@OnAttestEvents', ceTypes);
}

function mark(key: string, name: string, ceTypes: string[]): MethodDecorator {
  if (ceTypes.length === 0) throw new TypeError(`${name} needs at least one event type`);
  return (_target, _key, descriptor) => {
    const method = descriptor.value as unknown as object;
    const existing = (Reflect.getMetadata(key, method) as string[] | undefined) ?? [];
    Reflect.defineMetadata(key, [...existing, ...ceTypes], method);
    return descriptor;
  };
}

/** The event types a method handles one at a time (`@OnAttestEvent`). */
export function attestEventTypesOf(method: unknown): string[] {
  return typesOf(ON_ATTEST_EVENT, method);
}

/** The event types a method handles in runs (`@OnAttestEvents`). */
export function attestEventBatchTypesOf(method: unknown): string[] {
  return typesOf(ON_ATTEST_EVENTS, method);
}

function typesOf(key: string, method: unknown): string[] {
  if (typeof method !== 'function') return [];
  return (Reflect.getMetadata(key, method) as string[] | undefined) ?? [];
}
