import { Injectable } from '@nestjs/common';
import { OnAttestEvent, type CloudEvent, type EventContext } from '@attest/messaging';
import { InputsChanged } from './inputs-changed';
import type { EvidenceVersionInput } from './inputs-store';
import { ENGAGEMENT_INPUTS } from './inputs-tables';

export const EVIDENCE_SUBMITTED = 'io.attest.evidence.evidence-submitted.v1';
export const EVIDENCE_VERSIONED = 'io.attest.evidence.evidence-versioned.v1';
export const EVIDENCE_LINKED_TO_CONTROL = 'io.attest.evidence.evidence-linked-to-control.v1';
export const COLLECTOR_RUN_SUCCEEDED = 'io.attest.evidence.collector-run-succeeded.v1';

/** What is read of the evidence events (the fields used). */
interface EvidenceSubmitted {
  itemId: string;
  version: number;
  title: string;
  evidenceType: string;
  controlIds: string[];
  period: { from: string; to: string };
  source: EvidenceVersionInput['source'];
  submittedAt: string;
}
interface EvidenceVersioned {
  itemId: string;
  version: number;
  period: { from: string; to: string };
  source: EvidenceVersionInput['source'];
  versionedAt: string;
}
interface EvidenceLinked {
  itemId: string;
  controlId: string;
}
interface CollectorRunSucceeded {
  runId: string;
  collectorId: string;
  evidenceItemIds: string[];
  finishedAt: string;
}

/**
 * Keeps what the evidence service holds, as its events tell (consumer group
 * `attest.auditor-engagement.evidence-events`): items with their versions, periods and links to controls, and
 * collector runs, in the consumer's transaction. The controls whose evidence changed are told to the inputs-changed
 * hooks.
 */
@Injectable()
export class EvidenceEventsListener {
  constructor(private readonly changed: InputsChanged) {}

  @OnAttestEvent(EVIDENCE_SUBMITTED)
  async onEvidenceSubmitted(event: CloudEvent<EvidenceSubmitted>, { tx }: EventContext): Promise<void> {
    const d = event.data;
    const controls = await ENGAGEMENT_INPUTS.evidenceSubmitted(tx, event.tenantid, {
      itemId: d.itemId,
      title: d.title,
      evidenceType: d.evidenceType,
      controlIds: d.controlIds,
      version: d.version,
      period: d.period,
      source: d.source,
      at: d.submittedAt,
    });
    await this.changed.notify(tx, event.tenantid, controls, event);
  }

  @OnAttestEvent(EVIDENCE_VERSIONED)
  async onEvidenceVersioned(event: CloudEvent<EvidenceVersioned>, { tx }: EventContext): Promise<void> {
    const { itemId, version, period, source, versionedAt } = event.data;
    const controls = await ENGAGEMENT_INPUTS.evidenceVersioned(tx, event.tenantid, {
      itemId,
      version,
      period,
      source,
      at: versionedAt,
    });
    await this.changed.notify(tx, event.tenantid, controls, event);
  }

  @OnAttestEvent(EVIDENCE_LINKED_TO_CONTROL)
  async onEvidenceLinked(event: CloudEvent<EvidenceLinked>, { tx }: EventContext): Promise<void> {
    const { itemId, controlId } = event.data;
    const controls = await ENGAGEMENT_INPUTS.evidenceLinked(tx, event.tenantid, itemId, controlId);
    await this.changed.notify(tx, event.tenantid, controls, event);
  }

  @OnAttestEvent(COLLECTOR_RUN_SUCCEEDED)
  async onCollectorRunSucceeded(
    event: CloudEvent<CollectorRunSucceeded>,
    { tx }: EventContext,
  ): Promise<void> {
    const { runId, collectorId, evidenceItemIds, finishedAt } = event.data;
    const controls = await ENGAGEMENT_INPUTS.collectorRun(tx, event.tenantid, {
      runId,
      collectorId,
      finishedAt,
      evidenceItemIds,
    });
    await this.changed.notify(tx, event.tenantid, controls, event);
  }
}
