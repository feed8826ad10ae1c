import { contractForStoreType, validateEventData, type EventContext } from '@attest/event-contracts';
import type { StreamAppend } from '@attest/event-store';
import type { DecidedEvent, StreamRef } from './aggregate-declaration';
import { CommandRejectedError } from './pipeline-errors';

/** The public contracts a service's events must keep before they are appended (and later published). */
export interface EventContracts {
  /**
   * The problems of an event about to be appended to a stream; empty when it may be. A type without a contract is
   * not checked here: the store refuses to append what it has no route to publish.
   */
  problemsOf(event: DecidedEvent, stream: StreamRef): string[];
}

/**
 * The contracts of one context of the event catalog (`@attest/event-contracts`): a public event's data must match
 * its schema. An event routed to a stream its contract does not name (wrong stream type, subject field not the
 * stream id) is a bug in the declaration or the decider, not bad input: it throws a TypeError.
 */
export function catalogContracts(context: EventContext): EventContracts {
  return {
    problemsOf(event, stream) {
      const contract = contractForStoreType(context, event.type);
      if (!contract) return [];
      // The store keeps what survives JSON; check exactly that.
      const data = JSON.parse(JSON.stringify(event.data ?? null)) as Record<string, unknown> | null;
      if (contract.streamType !== stream.streamType || data?.[contract.subjectField] !== stream.streamId)
        throw new TypeError(
          `${event.type} belongs to the ${contract.streamType} stream named by ${contract.subjectField}, ` +
            `not to ${stream.streamType} stream ${stream.streamId}`,
        );
      return validateEventData(contract.ceType, data);
    },
  };
}

/** Refuses the whole batch when any event in it breaks its contract; nothing has been appended yet. */
export function assertWithinContracts(contracts: EventContracts, appends: readonly StreamAppend[]): void {
  for (const a of appends)
    for (const event of a.events) {
      const problems = contracts.problemsOf(event, a);
      if (problems.length > 0) throw new CommandRejectedError(event.type, a.streamType, problems);
    }
}
