import { contractForStoreType, type EventContext } from './event-catalog';
import { validateEventData } from './event-validation';
import { withPlaceholderTokens } from './personal-data';

/**
 * The contract problems of an event a context is about to append: its data must validate against the schema of its
 * store type, and its subject field must equal the stream it goes to (when `streamId` is given). A type without a
 * contract has no problems, unless the context publishes every type it appends (`requireContract`). Empty when the
 * event may be appended.
 */
export function eventContractProblems(
  context: EventContext,
  event: { type: string; data: unknown },
  streamId?: string,
  { requireContract = false }: { requireContract?: boolean } = {},
): string[] {
  const contract = contractForStoreType(context, event.type);
  if (!contract) return requireContract ? [`${event.type}: no contract in the ${context} context`] : [];
  const problems = validateEventData(contract.ceType, event.data).map((p) => `${contract.ceType}: ${p}`);
  const subject = (event.data as Record<string, unknown> | null)?.[contract.subjectField];
  if (streamId !== undefined && subject !== streamId)
    problems.push(
      `${contract.ceType}: ${contract.subjectField} ${String(subject)} is not the stream id ${streamId}`,
    );
  return problems;
}

/**
 * A decided (plaintext) event in the shape it is published in, for checking it against its contract without a vault
 * (see withPlaceholderTokens); a type without a contract is returned as it is.
 */
export function withPublishedShape<E extends { type: string; data: unknown }>(
  context: EventContext,
  event: E,
): E {
  const contract = contractForStoreType(context, event.type);
  return contract ? { ...event, data: withPlaceholderTokens(contract.ceType, event.data) } : event;
}
