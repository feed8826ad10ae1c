import { Injectable, Logger } from '@nestjs/common';
import type { PoolClient } from 'pg';
import type { CloudEvent } from '@attest/messaging';
import { ControlMappingControlsListener, type ControlChange, type NewControl } from '@attest/service-kit';
import { READ_MODEL_SCHEMA } from '../evidence-options';
import { refreshValidityOfControl } from './item-validity';
import { EVIDENCE_CONTROLS } from './known-controls';

/**
 * Keeps the evidence service's copy of the tenants' controls from control-mapping's events (consumer group
 * `attest.evidence.control-mapping-events`): which control ids exist (an upload naming another is refused), their
 * frequency (how long linked evidence stays valid) and criteria. When a control's frequency or applicability
 * changes, the validity of the evidence linked to it is derived again in the consumer's transaction.
 */
@Injectable()
export class ControlMappingEventsListener extends ControlMappingControlsListener {
  private readonly logger = new Logger(ControlMappingEventsListener.name);

  constructor() {
    super(EVIDENCE_CONTROLS);
  }

  protected async controlKnown(
    tx: PoolClient,
    event: CloudEvent<unknown>,
    control: NewControl,
  ): Promise<void> {
    // Evidence is never linked to a control before it is known here, except in a read model rebuilt since.
    await refreshValidityOfControl(tx, READ_MODEL_SCHEMA, event.tenantid, control.controlId);
    this.logger.log({ message: 'control known', tenant: event.tenantid, controlId: control.controlId });
  }

  protected async controlChanged(
    tx: PoolClient,
    event: CloudEvent<unknown>,
    controlId: string,
    change: ControlChange,
  ): Promise<void> {
    if (change.frequency !== undefined || change.notApplicable !== undefined)
      await refreshValidityOfControl(tx, READ_MODEL_SCHEMA, event.tenantid, controlId);
  }
}
