import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import type { Frequency } from '@attest/catalog';
import type { CloudEvent, EncodedRecord, EventContext } from '@attest/messaging';
import { publishedRecord } from '@attest/messaging/testing';
import {
  CONTROL_ADOPTED,
  CONTROL_CUSTOMIZED,
  CONTROL_MARKED_NOT_APPLICABLE,
  CONTROL_NOT_APPLICABLE_REVOKED,
  CUSTOM_CONTROL_ADDED,
  type ControlMappingControlsListener,
} from '../known-controls/control-mapping-controls.listener';
import type { NewControl } from '../known-controls/known-controls';

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
  return publishedRecord({
    topic,
    tenantId: event.tenantid,
    ceType: event.type,
    data: event.data,
    eventId: event.id,
    streamVersion: event.streamversion,
    tenantSequence: event.tenantsequence,
  });
}

/** Delivers control-mapping events to a service's listener in one transaction, as the consumer would. */
export async function deliverControlMappingEvents(
  listener: ControlMappingControlsListener,
  pool: Pool,
  ...events: CloudEvent<Record<string, unknown>>[]
): Promise<void> {
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

/** A control for a test: a fresh id, the code as name, criterion CC6.1. */
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
