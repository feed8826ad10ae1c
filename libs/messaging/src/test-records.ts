// Published-event helpers for integration tests (part of `@attest/messaging/testing`): another context's events
// as its outbox relay would publish them, without running that context.
import { randomUUID } from 'node:crypto';
import { contractForCeType, validateEventData } from '@attest/event-contracts';
import { encodeCloudEvent, type EncodedRecord } from './cloud-event-codec';

/**
 * The first example of an event type's contract with `overrides` (an undefined override removes the field); fails
 * when the result breaks the schema, so a test never feeds a consumer what no producer could publish.
 */
export function contractExample(ceType: string, overrides: Record<string, unknown>): Record<string, unknown> {
  const contract = contractForCeType(ceType);
  if (!contract) throw new Error(`unknown event type ${ceType}`);
  const example = (contract.schema as { examples: Record<string, unknown>[] }).examples[0];
  const data: Record<string, unknown> = { ...structuredClone(example), ...overrides };
  for (const [k, v] of Object.entries(data)) if (v === undefined) delete data[k];
  const problems = validateEventData(ceType, data);
  if (problems.length) throw new Error(`${ceType} test payload is invalid: ${problems.join('; ')}`);
  return data;
}

/** One event of the catalog, as a test publishes it. */
export interface PublishedEvent {
  topic: string;
  tenantId: string;
  ceType: string;
  data: Record<string, unknown>;
  /** Default: a fresh id (the same id twice is a redelivery). */
  eventId?: string;
  /** Default 1. */
  streamVersion?: number;
  /** Default 1. */
  tenantSequence?: number;
}

/**
 * The event as its context's outbox relay would publish it to `topic` (CloudEvents binary mode): the stream is the
 * contract's subject field, the source its context's, and it was recorded at a fixed time (consumers take their
 * times from the payload). The chain fields are placeholders: consumers do not verify another context's chain.
 */
export function publishedRecord(event: PublishedEvent): EncodedRecord {
  const contract = contractForCeType(event.ceType);
  if (!contract) throw new Error(`unknown event type ${event.ceType}`);
  return encodeCloudEvent({
    eventId: event.eventId ?? randomUUID(),
    tenantId: event.tenantId,
    streamId: event.data[contract.subjectField] as string,
    streamType: contract.streamType,
    streamVersion: event.streamVersion ?? 1,
    tenantSequence: event.tenantSequence ?? 1,
    type: contract.storeType,
    ceType: event.ceType,
    source: contract.source,
    schemaVersion: 1,
    topic: event.topic,
    data: event.data,
    metadata: {},
    recordedAt: '2026-03-02T10:00:00.000Z',
    position: { transactionId: '1', globalPosition: 1 },
    prevHash: '0'.repeat(64),
    hash: 'a'.repeat(64),
  });
}
