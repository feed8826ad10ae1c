import { Injectable, Logger } from '@nestjs/common';
import { DomainError } from '@attest/decider';
import { OnAttestEvent, type CloudEvent } from '@attest/messaging';
import { ControlMappingCommands } from './control-mapping-commands';

/** The payload of io.attest.readiness.gap-identified.v1 (the fields control-mapping uses). */
interface GapIdentified {
  assessmentId: string;
  gapId: string;
  criterionId: string;
  pointOfFocusRef: string;
  category: string;
  severity: 'critical' | 'high' | 'medium' | 'low';
  answer: 'partially-implemented' | 'not-implemented';
  title: string;
  proposedCatalogControlIds: string[];
  identifiedAt: string;
}

/** The payload of io.attest.readiness.remediation-task-completed.v1 (the fields control-mapping uses). */
interface RemediationTaskCompleted {
  taskId: string;
  assessmentId: string;
  gapIds: string[];
  resolution: 'remediated' | 'compensating-control' | 'risk-accepted';
  controlIds?: string[];
  completedAt: string;
}

export const GAP_IDENTIFIED = 'io.attest.readiness.gap-identified.v1';
export const REMEDIATION_TASK_COMPLETED = 'io.attest.readiness.remediation-task-completed.v1';

/**
 * Reacts to readiness events (consumer group `attest.control-mapping.readiness-events`, effectively once through
 * the consumer's inbox; the commands it runs are idempotent too, so a redelivery that slips past the inbox, or a
 * retry of a half-done handler, has no second effect):
 *
 * - gap identified → the gap and its proposed catalog controls are recorded; `GET /proposed-controls` lists those
 *   not adopted. Nothing is adopted automatically. If the gap's remediation task was already completed (events of
 *   different streams arrive in any order), implementation progress is applied now.
 * - remediation task completed → recorded on each of its gaps; the linked controls of the set that have not started
 *   move to in-progress, as `system:readiness` (see `remediationTargets` for which controls are linked).
 */
@Injectable()
export class ReadinessEventsListener {
  private readonly logger = new Logger(ReadinessEventsListener.name);

  constructor(private readonly commands: ControlMappingCommands) {}

  @OnAttestEvent(GAP_IDENTIFIED)
  async onGapIdentified(event: CloudEvent<GapIdentified>): Promise<void> {
    const d = event.data;
    const metadata = {
      causationId: event.id,
      ...(event.correlationid ? { correlationId: event.correlationid } : {}),
    };
    await this.commands.onGap(
      event.tenantid,
      {
        type: 'RecordGapProposal',
        gapId: d.gapId,
        assessmentId: d.assessmentId,
        criterionId: d.criterionId,
        pointOfFocusRef: d.pointOfFocusRef,
        category: d.category,
        severity: d.severity,
        answer: d.answer,
        title: d.title,
        proposedCatalogControlIds: d.proposedCatalogControlIds,
        identifiedAt: d.identifiedAt,
        sourceEventId: event.id,
      },
      metadata,
    );
    const moved = await this.progress(event.tenantid, [d.gapId], metadata);
    this.logger.log({
      message: 'gap recorded',
      tenant: event.tenantid,
      gapId: d.gapId,
      proposed: d.proposedCatalogControlIds,
      moved,
    });
  }

  @OnAttestEvent(REMEDIATION_TASK_COMPLETED)
  async onRemediationTaskCompleted(event: CloudEvent<RemediationTaskCompleted>): Promise<void> {
    const d = event.data;
    const metadata = {
      causationId: event.id,
      ...(event.correlationid ? { correlationId: event.correlationid } : {}),
    };
    for (const gapId of d.gapIds)
      await this.commands.onGap(
        event.tenantid,
        {
          type: 'RecordGapRemediation',
          gapId,
          taskId: d.taskId,
          assessmentId: d.assessmentId,
          resolution: d.resolution,
          controlIds: d.controlIds ?? [],
          completedAt: d.completedAt,
          sourceEventId: event.id,
        },
        metadata,
      );
    const moved = await this.progress(event.tenantid, d.gapIds, metadata);
    this.logger.log({
      message: 'remediation recorded',
      tenant: event.tenantid,
      taskId: d.taskId,
      resolution: d.resolution,
      moved,
    });
  }

  private async progress(
    tenant: string,
    gapIds: string[],
    metadata: Record<string, string>,
  ): Promise<string[]> {
    try {
      return (await this.commands.progressRemediation(tenant, gapIds, metadata)).map((t) => t.controlId);
    } catch (err) {
      // A control that cannot move (e.g. removed concurrently) must not make the readiness event poison.
      if (err instanceof DomainError) {
        this.logger.warn({ message: 'remediation progress skipped', tenant, gapIds, code: err.code });
        return [];
      }
      throw err;
    }
  }
}
