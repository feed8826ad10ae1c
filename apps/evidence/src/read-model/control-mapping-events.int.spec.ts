import { randomUUID } from 'node:crypto';
import type { Kafka, Producer } from 'kafkajs';
import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import { ATTEST_PRODUCER_CONFIG, messagingOf } from '@attest/messaging';
import {
  cleanUpKafka,
  contractExample,
  freshName,
  freshTopic,
  testKafka,
  waitFor,
} from '@attest/messaging/testing';
import { CONTROL_ADOPTED, CONTROL_CUSTOMIZED } from '@attest/service-kit';
import { controlMappingEvent, controlMappingRecord } from '@attest/service-kit/testing';
import { ACME, startEvidence, type RunningEvidence } from '../testing/evidence-test-app';
import { EvidenceReadModel } from './evidence-read-model';

jest.setTimeout(120_000);

/**
 * The evidence service learns the tenants' controls from control-mapping's topic (its own consumer group), each
 * event once: a redelivery of the same event is taken as a duplicate and changes nothing.
 */
describe('evidence learns controls from control-mapping events (Kafka + PostgreSQL)', () => {
  const topic = freshTopic('control-mapping');
  const groupId = freshName('attest.evidence.control-mapping-events-test');
  // The service's other consumer reads a topic of its own, never the real one.
  const engagementTopic = freshTopic('auditor-engagement');
  const engagementGroupId = freshName('attest.evidence.auditor-engagement-events-test');
  let db: TestDatabase;
  let kafka: Kafka;
  let producer: Producer;
  let service: RunningEvidence | undefined;

  beforeAll(async () => {
    db = await createTestDatabase('attest_evidence_cm_events');
    kafka = testKafka('evidence-control-mapping-test');
    producer = kafka.producer(ATTEST_PRODUCER_CONFIG);
    await producer.connect();
  });
  afterAll(async () => {
    await service?.close();
    await producer?.disconnect();
    if (kafka)
      await cleanUpKafka(
        kafka,
        [topic, `attest.dlq.${groupId}`, engagementTopic, `attest.dlq.${engagementGroupId}`],
        [groupId, engagementGroupId],
      );
    await db?.drop();
  });

  it('knows an adopted control and its new frequency; a redelivered event is a duplicate', async () => {
    const running = await startEvidence({
      pool: db.pool,
      messaging: {
        groupId,
        controlMappingTopic: topic,
        auditorEngagementGroupId: engagementGroupId,
        auditorEngagementTopic: engagementTopic,
        relay: false,
      },
    });
    service = running;
    const controlId = randomUUID();
    const adopted = controlMappingEvent(
      CONTROL_ADOPTED,
      ACME,
      1,
      contractExample(CONTROL_ADOPTED, {
        controlId,
        code: 'AC-07',
        catalogControlId: 'AC-07',
        frequency: 'monthly',
      }),
    );
    const customized = controlMappingEvent(
      CONTROL_CUSTOMIZED,
      ACME,
      2,
      contractExample(CONTROL_CUSTOMIZED, {
        controlId,
        catalogControlId: 'AC-07',
        changes: { frequency: 'annual', name: 'Access reviewed yearly' },
        previous: { frequency: 'monthly', name: 'Access reviewed' },
      }),
    );
    for (const record of [adopted, customized, customized].map((e) => controlMappingRecord(topic, e)))
      await producer.send({ topic: record.topic, messages: [record.message] });

    const consumer = () => messagingOf(running.app, groupId).stats().consumer;
    await waitFor('the three records to be taken', () => {
      const stats = consumer();
      return stats && stats.handled + stats.duplicates === 3;
    });
    expect(consumer()).toMatchObject({ handled: 2, duplicates: 1, deadLettered: 0 });
    expect(await running.app.get(EvidenceReadModel).controlsByCatalogId(ACME, ['AC-07'])).toEqual([
      {
        controlId,
        code: 'AC-07',
        catalogControlId: 'AC-07',
        name: 'Access reviewed yearly',
        frequency: 'annual',
        criteria: adopted.data.criteria,
        notApplicable: false,
      },
    ]);
  });
});
