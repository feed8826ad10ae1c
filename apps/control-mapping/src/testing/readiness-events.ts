import type { Producer } from 'kafkajs';
import type { EncodedRecord } from '@attest/messaging';
import { contractExample, publishedRecord } from '@attest/messaging/testing';

const GAP_IDENTIFIED = 'io.attest.readiness.gap-identified.v1';
const TASK_COMPLETED = 'io.attest.readiness.remediation-task-completed.v1';

export function gapIdentified(
  topic: string,
  tenantId: string,
  overrides: { gapId: string; assessmentId: string; proposedCatalogControlIds: string[] } & Record<
    string,
    unknown
  >,
  eventId?: string,
): EncodedRecord {
  return publishedRecord({
    topic,
    tenantId,
    ceType: GAP_IDENTIFIED,
    data: contractExample(GAP_IDENTIFIED, overrides),
    eventId,
  });
}

export function taskCompleted(
  topic: string,
  tenantId: string,
  overrides: { taskId: string; assessmentId: string; gapIds: string[] } & Record<string, unknown>,
  eventId?: string,
): EncodedRecord {
  return publishedRecord({
    topic,
    tenantId,
    ceType: TASK_COMPLETED,
    data: contractExample(TASK_COMPLETED, { controlIds: undefined, ...overrides }),
    eventId,
  });
}

export async function publish(producer: Producer, ...records: EncodedRecord[]): Promise<void> {
  for (const r of records) await producer.send({ topic: r.topic, messages: [r.message] });
}
