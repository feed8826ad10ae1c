import { Injectable, Logger } from '@nestjs/common';
import type { PoolClient } from 'pg';
import type { Frequency } from '@attest/catalog';
import { OnAttestEvent, type CloudEvent, type EventContext } from '@attest/messaging';
import { READ_MODEL_SCHEMA } from '../evidence-options';
import { refreshValidityOfControl } from './item-validity';
import { knownControlWrites, type ControlChange, type NewControl } from './known-controls';

export const CONTROL_ADOPTED = 'io.attest.control-mapping.control-adopted.v1';
export const CUSTOM_CONTROL_ADDED = 'io.attest.control-mapping.custom-control-added.v1';
export const CONTROL_CUSTOMIZED = 'io.attest.control-mapping.control-customized.v1';
export const CONTROL_MARKED_NOT_APPLICABLE = 'io.attest.control-mapping.control-marked-not-applicable.v1';
export const CONTROL_NOT_APPLICABLE_REVOKED = 'io.attest.control-mapping.control-not-applicable-revoked.v1';

/** What the evidence service reads of a control entering the set (adopted or custom; the fields it uses). */
interface ControlEntered {
  controlId: string;
  catalogControlId?: string;
  code: string;
  name: string;
  frequency: Frequency;
  criteria: string[];
}

/** What it reads of io.attest.control-mapping.control-customized.v1. */
interface ControlCustomized {
  controlId: string;
  changes: { name?: string; frequency?: Frequency; criteria?: string[] };
}

/**
 * Keeps the evidence service's copy of the tenants' controls from control-mapping's events (consumer group
 * `attest.evidence.control-mapping-events`): which control ids exist (an upload naming another is refused), their
 * frequency (how long linked evidence stays valid) and criteria. Writes run in the consumer's transaction, so they
 * commit with the event's inbox record or not at all; each row keeps the control stream's version, so a redelivery
 * changes nothing. When a control's frequency or applicability changes, the validity of the evidence linked to it
 * is derived again in the same transaction.
 */
@Injectable()
export class ControlMappingEventsListener {
  private readonly logger = new Logger(ControlMappingEventsListener.name);

  @OnAttestEvent(CONTROL_ADOPTED)
  onControlAdopted(event: CloudEvent<ControlEntered>, { tx }: EventContext): Promise<void> {
    return this.entered(event, tx);
  }

  @OnAttestEvent(CUSTOM_CONTROL_ADDED)
  onCustomControlAdded(event: CloudEvent<ControlEntered>, { tx }: EventContext): Promise<void> {
    return this.entered(event, tx);
  }

  @OnAttestEvent(CONTROL_CUSTOMIZED)
  onControlCustomized(event: CloudEvent<ControlCustomized>, { tx }: EventContext): Promise<void> {
    const { name, frequency, criteria } = event.data.changes;
    return this.changed(event, tx, { name, frequency, criteria });
  }

  @OnAttestEvent(CONTROL_MARKED_NOT_APPLICABLE)
  onControlMarkedNotApplicable(
    event: CloudEvent<{ controlId: string }>,
    { tx }: EventContext,
  ): Promise<void> {
    return this.changed(event, tx, { notApplicable: true });
  }

  @OnAttestEvent(CONTROL_NOT_APPLICABLE_REVOKED)
  onControlNotApplicableRevoked(
    event: CloudEvent<{ controlId: string }>,
    { tx }: EventContext,
  ): Promise<void> {
    return this.changed(event, tx, { notApplicable: false });
  }

  private async entered(event: CloudEvent<ControlEntered>, tx: PoolClient): Promise<void> {
    const d = event.data;
    const control: NewControl = {
      controlId: d.controlId,
      code: d.code,
      ...(d.catalogControlId ? { catalogControlId: d.catalogControlId } : {}),
      name: d.name,
      frequency: d.frequency,
      criteria: d.criteria,
    };
    if (!(await knownControlWrites.add(tx, event.tenantid, control, event.streamversion))) return;
    // Evidence is never linked to a control before it is known here, except in a read model rebuilt since.
    await refreshValidityOfControl(tx, READ_MODEL_SCHEMA, event.tenantid, d.controlId);
    this.logger.log({ message: 'control known', tenant: event.tenantid, controlId: d.controlId });
  }

  private async changed(
    event: CloudEvent<{ controlId: string }>,
    tx: PoolClient,
    change: ControlChange,
  ): Promise<void> {
    const { controlId } = event.data;
    if (!(await knownControlWrites.change(tx, event.tenantid, controlId, change, event.streamversion)))
      return;
    if (change.frequency !== undefined || change.notApplicable !== undefined)
      await refreshValidityOfControl(tx, READ_MODEL_SCHEMA, event.tenantid, controlId);
  }
}
