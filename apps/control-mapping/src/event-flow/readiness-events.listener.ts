import { Injectable, Logger } from '@nestjs/common';
import { CommandPipeline, systemContext, type CommandContext } from '@attest/command-pipeline';
import { DomainError } from '@attest/decider';
import {
  adoptedCatalogControls,
  controlSetIdFor,
  READINESS_SYSTEM_ACTOR,
  readinessGapStreamIdFor,
  remediationTargets,
  type RemediationTarget,
} from '@attest/control-mapping-domain';
import type { PoolClient } from 'pg';
import { OnAttestEvent, type CloudEvent, type EventContext } from '@attest/messaging';
import { ControlMappingAggregates } from './control-mapping-aggregates';

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
 * Reacts to readiness events (consumer group `attest.control-mapping.readiness-events`), exactly once: its commands
 * run in the consumer's transaction (`{ tx }`), so their events commit with the event's inbox record or not at all,
 * and a retry or redelivery finds everything or nothing done. The commands are idempotent as well:
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

  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly aggregates: ControlMappingAggregates,
  ) {}

  /** Commands caused by a readiness event run as `system:readiness` for the event's tenant, never from HTTP input. */
  private contextOf(event: CloudEvent<unknown>): CommandContext {
    return systemContext(event.tenantid, 'readiness', {
      displayName: READINESS_SYSTEM_ACTOR.displayName,
      causationId: event.id,
      ...(event.correlationid ? { correlationId: event.correlationid } : {}),
    });
  }

  @OnAttestEvent(GAP_IDENTIFIED)
  async onGapIdentified(event: CloudEvent<GapIdentified>, { tx }: EventContext): Promise<void> {
    const d = event.data;
    const context = this.contextOf(event);
    await this.pipeline.run(
      this.aggregates.gap(context.tenantId),
      context,
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
        readinessGapId: readinessGapStreamIdFor(context.tenantId, d.gapId),
        actor: context.actor,
      },
      { tx },
    );
    const moved = await this.progress(context, [d.gapId], tx);
    this.logger.log({
      message: 'gap recorded',
      tenant: event.tenantid,
      gapId: d.gapId,
      proposed: d.proposedCatalogControlIds,
      moved,
    });
  }

  @OnAttestEvent(REMEDIATION_TASK_COMPLETED)
  async onRemediationTaskCompleted(
    event: CloudEvent<RemediationTaskCompleted>,
    { tx }: EventContext,
  ): Promise<void> {
    const d = event.data;
    const context = this.contextOf(event);
    for (const gapId of d.gapIds)
      await this.pipeline.run(
        this.aggregates.gap(context.tenantId),
        context,
        {
          type: 'RecordGapRemediation',
          gapId,
          taskId: d.taskId,
          assessmentId: d.assessmentId,
          resolution: d.resolution,
          controlIds: d.controlIds ?? [],
          completedAt: d.completedAt,
          sourceEventId: event.id,
          readinessGapId: readinessGapStreamIdFor(context.tenantId, gapId),
          actor: context.actor,
        },
        { tx },
      );
    const moved = await this.progress(context, d.gapIds, tx);
    this.logger.log({
      message: 'remediation recorded',
      tenant: event.tenantid,
      taskId: d.taskId,
      resolution: d.resolution,
      moved,
    });
  }

  private async progress(context: CommandContext, gapIds: string[], tx: PoolClient): Promise<string[]> {
    try {
      return (await this.progressRemediation(context, gapIds, tx)).map((t) => t.controlId);
    } catch (err) {
      // A control that cannot move (e.g. removed concurrently) must not make the readiness event poison.
      if (err instanceof DomainError) {
        this.logger.warn({
          message: 'remediation progress skipped',
          tenant: context.tenantId,
          gapIds,
          code: err.code,
        });
        return [];
      }
      throw err;
    }
  }

  /**
   * Moves the implementation of the controls linked to completed remediation of these gaps from not-started to
   * in-progress (see `remediationTargets`). Idempotent: controls already in progress, implemented or not applicable
   * are left alone, so a repeated call changes nothing.
   */
  private async progressRemediation(
    context: CommandContext,
    gapIds: string[],
    tx: PoolClient,
  ): Promise<RemediationTarget[]> {
    const { tenantId } = context;
    const { state: set } = await this.pipeline.load(
      this.aggregates.controlSet,
      tenantId,
      controlSetIdFor(tenantId),
      { tx },
    );
    if (set.kind === 'none') return [];
    const adopted = adoptedCatalogControls(set);
    const members = new Set(Object.keys(set.members));
    const targets = new Map<string, RemediationTarget>();
    for (const gapId of gapIds) {
      const { state: gap } = await this.pipeline.load(
        this.aggregates.gap(tenantId),
        tenantId,
        readinessGapStreamIdFor(tenantId, gapId),
        { tx },
      );
      for (const t of remediationTargets(gap, adopted, members))
        if (!targets.has(t.controlId)) targets.set(t.controlId, t);
    }
    const moved: RemediationTarget[] = [];
    for (const t of targets.values()) {
      const { events } = await this.pipeline.run(
        this.aggregates.control,
        context,
        {
          type: 'RecordRemediationProgress',
          controlId: t.controlId,
          taskId: t.taskId,
          resolution: t.resolution,
          at: t.completedAt,
          actor: context.actor,
        },
        { tx },
      );
      if (events.length > 0) moved.push(t);
    }
    return moved;
  }
}
