import { Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import type { CloudEvent } from '@attest/messaging';
import { ControlMappingControlsListener, type ControlChange, type NewControl } from '@attest/service-kit';
import { ControlHealthAssessment } from './control-health-assessment';
import { evaluationContext } from './monitoring-cycle';
import { MONITORING_CONTROLS } from './monitoring-inputs';
import { MonitoringKnowledge } from './monitoring-knowledge';

/**
 * Keeps the monitoring service's copy of the tenants' controls from control-mapping's events (consumer group
 * `attest.monitoring.control-mapping-events`): what a test's catalog control ids resolve to, and the criteria a
 * control's health rolls up to. A control that becomes known, or whose criteria or applicability change, has its
 * health assessed in the consumer's transaction: tests may have results for it already.
 */
@Injectable()
export class ControlMappingEventsListener extends ControlMappingControlsListener {
  constructor(
    private readonly knowledge: MonitoringKnowledge,
    private readonly health: ControlHealthAssessment,
  ) {
    super(MONITORING_CONTROLS);
  }

  protected controlKnown(tx: PoolClient, event: CloudEvent<unknown>, control: NewControl): Promise<void> {
    return this.assess(tx, event, control.controlId);
  }

  protected async controlChanged(
    tx: PoolClient,
    event: CloudEvent<unknown>,
    controlId: string,
    change: ControlChange,
  ): Promise<void> {
    if (change.criteria !== undefined || change.notApplicable !== undefined)
      await this.assess(tx, event, controlId);
  }

  private async assess(tx: PoolClient, event: CloudEvent<unknown>, controlId: string): Promise<void> {
    const tenant = await this.knowledge.of(event.tenantid, tx, event.time.slice(0, 10));
    const controls = await MONITORING_CONTROLS.find(tx, event.tenantid, 'control_id', [controlId]);
    await this.health.assess(tenant, controls, evaluationContext(event.tenantid, event), event.time, tx);
  }
}
