import { randomUUID } from 'node:crypto';
import type { Producer } from 'kafkajs';
import { contractForCeType, validateEventData } from '@attest/event-contracts';
import { encodeCloudEvent, type EncodedRecord } from '@attest/messaging';

const GAP_IDENTIFIED = 'io.attest.readiness.gap-identified.v1';
const TASK_COMPLETED = 'io.attest.readiness.remediation-task-completed.v1';

/** A contract example of a readiness event, with overrides; fails when the result breaks the schema. */
export function readinessExample(
  ceType: string,
  overrides: Record<string, unknown>,
): Record<string, unknown> {
  const contract = contractForCeType(ceType);
  if (!contract) throw new Error(`unknown event type ${ceType}`);
  const example = (contract.schema as { examples: Record<string, unknown>[] }).examples[0];
  const data = { ...structuredClone(example), ...overrides };
  for (const [k, v] of Object.entries(data)) if (v === undefined) delete data[k];
  const problems = validateEventData(ceType, data);
  if (problems.length) throw new Error(`${ceType} test payload is invalid: ${problems.join('; ')}`);
  return data;
}

/** A readiness event as readiness's outbox relay would publish it (CloudEvents binary mode, @attest/messaging codec). */
export function readinessRecord(
  topic: string,
  tenantId: string,
  ceType: string,
  data: Record<string, unknown>,
  eventId: string = randomUUID(),
): EncodedRecord {
  const contract = contractForCeType(ceType)!;
  return encodeCloudEvent({
    eventId,
    tenantId,
    streamId: data[contract.subjectField] as string,
    streamType: contract.streamType,
    streamVersion: 1,
    tenantSequence: 1,
    type: contract.storeType,
    ceType,
    source: '/attest/readiness',
    schemaVersion: 1,
    topic,
    data,
    metadata: {},
    // The time readiness recorded it (ce_time): fixed, as control-mapping takes its times from the payload.
    recordedAt: '2026-03-02T10:00:00.000Z',
    position: { transactionId: '1', globalPosition: 1 },
    prevHash: '0'.repeat(64),
    hash: 'a'.repeat(64),
  });
}

export function gapIdentified(
  topic: string,
  tenantId: string,
  overrides: { gapId: string; assessmentId: string; proposedCatalogControlIds: string[] } & Record<
    string,
    unknown
  >,
  eventId?: string,
): EncodedRecord {
  return readinessRecord(
    topic,
    tenantId,
    GAP_IDENTIFIED,
    readinessExample(GAP_IDENTIFIED, overrides),
    eventId,
  );
}

export function taskCompleted(
  topic: string,
  tenantId: string,
  overrides: { taskId: string; assessmentId: string; gapIds: string[] } & Record<string, unknown>,
  eventId?: string,
): EncodedRecord {
  return readinessRecord(
    topic,
    tenantId,
    TASK_COMPLETED,
    readinessExample(TASK_COMPLETED, { controlIds: undefined, ...overrides }),
    eventId,
  );
}

export async function publish(producer: Producer, ...records: EncodedRecord[]): Promise<void> {
  for (const r of records) await producer.send({ topic: r.topic, messages: [r.message] });
}
