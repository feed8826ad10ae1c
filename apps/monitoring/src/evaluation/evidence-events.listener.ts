import { Injectable, Logger } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { OnAttestEvent, type CloudEvent, type EventContext } from '@attest/messaging';
import { ControlHealthAssessment } from './control-health-assessment';
import { evaluationContext, MonitoringCycle, type CollectorRun } from './monitoring-cycle';
import { EVIDENCE_FRESHNESS, MONITORING_CONTROLS } from './monitoring-inputs';
import { MonitoringKnowledge } from './monitoring-knowledge';

export const COLLECTOR_RUN_SUCCEEDED = 'io.attest.evidence.collector-run-succeeded.v1';
export const COLLECTOR_RUN_FAILED = 'io.attest.evidence.collector-run-failed.v1';
export const EVIDENCE_SUBMITTED = 'io.attest.evidence.evidence-submitted.v1';
export const EVIDENCE_VERSIONED = 'io.attest.evidence.evidence-versioned.v1';
export const EVIDENCE_LINKED_TO_CONTROL = 'io.attest.evidence.evidence-linked-to-control.v1';
export const EVIDENCE_EXPIRING = 'io.attest.evidence.evidence-expiring.v1';
export const EVIDENCE_EXPIRED = 'io.attest.evidence.evidence-expired.v1';
export const EVIDENCE_RETENTION_DECIDED = 'io.attest.evidence.evidence-retention-decided.v1';

/** What is read of the evidence events (the fields used). */
interface EvidenceSubmitted {
  itemId: string;
  controlIds: string[];
  submittedAt: string;
}
interface EvidenceVersioned {
  itemId: string;
  version: number;
  versionedAt: string;
}
interface EvidenceLinked {
  itemId: string;
  controlId: string;
  linkedAt: string;
}
interface EvidenceStale {
  itemId: string;
  version: number;
  raisedAt: string;
}
interface RetentionDecided {
  itemId: string;
  decidedAt: string;
}
interface CollectorRunFailed {
  runId: string;
  collectorId: string;
  error: string;
}

/**
 * Reacts to the evidence service's events (consumer group `attest.monitoring.evidence-events`), in the consumer's
 * transaction, so everything commits with the event's inbox record or not at all (a redelivery is a duplicate):
 *
 * - a collector run with facts → a monitoring cycle (MonitoringCycle); a failed run → a log line, nothing else;
 * - evidence submitted, versioned, linked, expiring, expired or disposed of → the items' freshness, and the health
 *   of the controls whose evidence changed.
 */
@Injectable()
export class EvidenceEventsListener {
  private readonly logger = new Logger(EvidenceEventsListener.name);

  constructor(
    private readonly cycle: MonitoringCycle,
    private readonly knowledge: MonitoringKnowledge,
    private readonly health: ControlHealthAssessment,
  ) {}

  @OnAttestEvent(COLLECTOR_RUN_SUCCEEDED)
  async onCollectorRunSucceeded(event: CloudEvent<CollectorRun>, { tx }: EventContext): Promise<void> {
    await this.cycle.run(event.tenantid, event.data, evaluationContext(event.tenantid, event), tx);
  }

  @OnAttestEvent(COLLECTOR_RUN_FAILED)
  onCollectorRunFailed(event: CloudEvent<CollectorRunFailed>): void {
    // No facts, no evidence either way: the tests keep their last results.
    this.logger.log({
      message: 'collector run failed; nothing evaluated',
      tenant: event.tenantid,
      runId: event.data.runId,
      collectorId: event.data.collectorId,
    });
  }

  @OnAttestEvent(EVIDENCE_SUBMITTED)
  async onEvidenceSubmitted(event: CloudEvent<EvidenceSubmitted>, { tx }: EventContext): Promise<void> {
    const { itemId, controlIds, submittedAt } = event.data;
    const changed = await EVIDENCE_FRESHNESS.submitted(tx, event.tenantid, itemId, controlIds);
    await this.assess(event, tx, changed, submittedAt);
  }

  @OnAttestEvent(EVIDENCE_VERSIONED)
  async onEvidenceVersioned(event: CloudEvent<EvidenceVersioned>, { tx }: EventContext): Promise<void> {
    const { itemId, version, versionedAt } = event.data;
    const changed = await EVIDENCE_FRESHNESS.versioned(tx, event.tenantid, itemId, version);
    await this.assess(event, tx, changed, versionedAt);
  }

  @OnAttestEvent(EVIDENCE_LINKED_TO_CONTROL)
  async onEvidenceLinked(event: CloudEvent<EvidenceLinked>, { tx }: EventContext): Promise<void> {
    const { itemId, controlId, linkedAt } = event.data;
    const changed = await EVIDENCE_FRESHNESS.linked(tx, event.tenantid, itemId, controlId);
    await this.assess(event, tx, changed, linkedAt);
  }

  @OnAttestEvent(EVIDENCE_EXPIRING)
  async onEvidenceExpiring(event: CloudEvent<EvidenceStale>, { tx }: EventContext): Promise<void> {
    const { itemId, version, raisedAt } = event.data;
    const changed = await EVIDENCE_FRESHNESS.stale(tx, event.tenantid, itemId, version, 'expiring');
    await this.assess(event, tx, changed, raisedAt);
  }

  @OnAttestEvent(EVIDENCE_EXPIRED)
  async onEvidenceExpired(event: CloudEvent<EvidenceStale>, { tx }: EventContext): Promise<void> {
    const { itemId, version, raisedAt } = event.data;
    const changed = await EVIDENCE_FRESHNESS.stale(tx, event.tenantid, itemId, version, 'expired');
    await this.assess(event, tx, changed, raisedAt);
  }

  @OnAttestEvent(EVIDENCE_RETENTION_DECIDED)
  async onRetentionDecided(event: CloudEvent<RetentionDecided>, { tx }: EventContext): Promise<void> {
    const { itemId, decidedAt } = event.data;
    const changed = await EVIDENCE_FRESHNESS.gone(tx, event.tenantid, itemId);
    await this.assess(event, tx, changed, decidedAt);
  }

  /** The health of the tenant's known controls among `controlIds`, at the event's business time. */
  private async assess(
    event: CloudEvent<unknown>,
    tx: PoolClient,
    controlIds: string[],
    at: string,
  ): Promise<void> {
    if (controlIds.length === 0) return;
    const controls = await MONITORING_CONTROLS.find(tx, event.tenantid, 'control_id', controlIds);
    if (controls.length === 0) return;
    const tenant = await this.knowledge.of(event.tenantid, tx, at.slice(0, 10));
    await this.health.assess(tenant, controls, evaluationContext(event.tenantid, event), at, tx);
  }
}
