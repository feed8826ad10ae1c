// Helpers for the service's integration tests (not used by the service itself).
import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import type { Pool } from 'pg';
import type { Frequency } from '@attest/catalog';
import { contractForCeType, validateEventData } from '@attest/event-contracts';
import { encodeCloudEvent, type CloudEvent, type EncodedRecord, type EventContext } from '@attest/messaging';
import {
  CONTROL_ADOPTED,
  CONTROL_CUSTOMIZED,
  CONTROL_MARKED_NOT_APPLICABLE,
  CONTROL_NOT_APPLICABLE_REVOKED,
  CUSTOM_CONTROL_ADDED,
  ControlMappingEventsListener,
} from '../control-mapping-events.listener';
import type { NewControl } from '../known-controls';

/** A contract example of a control-mapping event with overrides; fails when the result breaks the schema. */
export function controlMappingExample(
  ceType: string,
  overrides: Record<string, unknown>,
): Record<string, unknown> {
  const contract = contractForCeType(ceType);
  if (!contract) throw new Error(`unknown event type ${ceType}`);
  const example = (contract.schema as { examples: Record<string, unknown>[] }).examples[0];
  const data: Record<string, unknown> = { ...structuredClone(example), ...overrides };
  for (const [k, v] of Object.entries(data)) if (v === undefined) delete data[k];
  const problems = validateEventData(ceType, data);
  if (problems.length) throw new Error(`${ceType} test payload is invalid: ${problems.join('; ')}`);
  return data;
}

/** A control-mapping event as the consumer hands it to handlers (the fields they read). */
export function controlMappingEvent(
  ceType: string,
  tenantId: string,
  streamVersion: number,
  data: Record<string, unknown>,
): CloudEvent<Record<string, unknown>> {
  return {
    specversion: '1.0',
    id: randomUUID(),
    source: '/attest/control-mapping',
    type: ceType,
    time: '2026-03-02T10:00:00.000Z',
    subject: data.controlId as string,
    datacontenttype: 'application/json',
    dataschema: `urn:attest:event-schema:${ceType}`,
    tenantid: tenantId,
    streamversion: streamVersion,
    tenantsequence: 1,
    data,
  } as CloudEvent<Record<string, unknown>>;
}

/** The event as control-mapping's outbox relay would publish it to `topic` (CloudEvents binary mode). */
export function controlMappingRecord(
  topic: string,
  event: CloudEvent<Record<string, unknown>>,
): EncodedRecord {
  const contract = contractForCeType(event.type);
  if (!contract) throw new Error(`unknown event type ${event.type}`);
  return encodeCloudEvent({
    eventId: event.id,
    tenantId: event.tenantid,
    streamId: event.subject,
    streamType: contract.streamType,
    streamVersion: event.streamversion,
    tenantSequence: event.tenantsequence,
    type: contract.storeType,
    ceType: event.type,
    source: event.source,
    schemaVersion: 1,
    topic,
    data: event.data,
    metadata: {},
    recordedAt: event.time,
    position: { transactionId: '1', globalPosition: 1 },
    prevHash: '0'.repeat(64),
    hash: 'a'.repeat(64),
  });
}

/** Delivers control-mapping events to the app's listener in one transaction, as the consumer would. */
export async function deliverControlMappingEvents(
  app: INestApplication,
  pool: Pool,
  ...events: CloudEvent<Record<string, unknown>>[]
): Promise<void> {
  const listener = app.get(ControlMappingEventsListener);
  const handlers: Record<string, (e: CloudEvent<never>, c: EventContext) => Promise<void>> = {
    [CONTROL_ADOPTED]: (e, c) => listener.onControlAdopted(e, c),
    [CUSTOM_CONTROL_ADDED]: (e, c) => listener.onCustomControlAdded(e, c),
    [CONTROL_CUSTOMIZED]: (e, c) => listener.onControlCustomized(e, c),
    [CONTROL_MARKED_NOT_APPLICABLE]: (e, c) => listener.onControlMarkedNotApplicable(e, c),
    [CONTROL_NOT_APPLICABLE_REVOKED]: (e, c) => listener.onControlNotApplicableRevoked(e, c),
  };
  const tx = await pool.connect();
  try {
    await tx.query('BEGIN');
    for (const event of events) {
      const context = {
        tx,
        groupId: 'test',
        topic: 'test',
        partition: 0,
        offset: '0',
        key: null,
        attempt: 1,
      };
      await handlers[event.type](event as CloudEvent<never>, context);
    }
    await tx.query('COMMIT');
  } catch (err) {
    await tx.query('ROLLBACK');
    throw err;
  } finally {
    tx.release();
  }
}

/** A control for `knowControls` (testing/evidence-test-app): a fresh id, the code as name, criterion CC6.1. */
export function testControl(code: string, frequency: Frequency, catalogControlId?: string): NewControl {
  return {
    controlId: randomUUID(),
    code,
    ...(catalogControlId ? { catalogControlId } : {}),
    name: `${code} control`,
    frequency,
    criteria: ['CC6.1'],
  };
}
