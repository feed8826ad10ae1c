import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { controlById, type OwnerRole } from '@attest/catalog';
import {
  CommandPipeline,
  projectionReadModels,
  systemContext,
  type CommandContext,
} from '@attest/command-pipeline';
import {
  addDays,
  controlRequestId,
  requestNotFound,
  type AuditRequestCommand,
  type EvidenceRef,
  type RequestCreatedData,
} from '@attest/engagement-domain';
import { withStoreTransaction, type RecordedEvent } from '@attest/event-store';
import { CLOCK, type Clock, type KnownControl } from '@attest/service-kit';
import { ENGAGEMENT_OPTIONS, type ResolvedOptions } from '../engagement-options';
import { EngagementAggregates } from '../event-flow/engagement-aggregates';
import { EngagementInputs } from '../inputs/engagement-inputs';
import { ProjectionLifecycle } from '../read-model/projection-lifecycle';
import { assertInScope, periodOf, type AuditedEngagement } from './audit-work-engagement';
import { AuditWorkEngagements } from './audit-work-engagements';
import { AuditWorkReadModel } from './audit-work-read-model';
import type { RequestView } from './audit-work-views';
import { REQUEST_SETTINGS, type RequestSettings } from './request-settings';

/** The system actor that answers requests from what the services already hold. */
export const FULFILMENT_ACTOR = 'request-fulfilment';

/** A request as the list, the auditor or the system asks it, before it has an id and a due date. */
export type RequestDraft = Pick<
  RequestCreatedData,
  | 'origin'
  | 'controlId'
  | 'evidenceType'
  | 'sampleId'
  | 'occurrenceId'
  | 'raisedFor'
  | 'missedOccurrence'
  | 'title'
  | 'description'
  | 'owner'
> & { dueOn?: string };

/** A request to create: a draft with, where derived, its id, and the evidence that answers it when known. */
export type NewRequest = RequestDraft & { requestId?: string; evidence?: EvidenceRef[] };

/**
 * The request list (PBC) of an engagement: generated from the controls in scope (one request per control and
 * evidence type of its catalog control; one for a control of the organization's own), the auditor's own requests,
 * and each request's life (submitted, accepted or returned, resubmitted, commented). A request whose control,
 * type and period have evidence the services already hold is submitted at once by the system with those
 * references, so the company uploads only what no system shows.
 */
@Injectable()
export class RequestList {
  constructor(
    @Inject(ENGAGEMENT_OPTIONS) private readonly options: ResolvedOptions,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(REQUEST_SETTINGS) private readonly settings: RequestSettings,
    private readonly pipeline: CommandPipeline,
    private readonly aggregates: EngagementAggregates,
    private readonly engagements: AuditWorkEngagements,
    private readonly inputs: EngagementInputs,
    private readonly readModel: AuditWorkReadModel,
    private readonly projections: ProjectionLifecycle,
  ) {}

  /**
   * Creates the requests of the controls in scope that the list does not have yet (generating again after a scope
   * change adds only the new ones), each answered by the system where the services hold its evidence.
   */
  async generate(context: CommandContext, engagementId: string): Promise<{ created: string[] }> {
    const engagement = await this.engagements.of(context.tenantId, engagementId);
    const controls = await this.inputs.controls(context.tenantId, engagement.scope.controlIds);
    // Each request's id derives from (engagement, control, type): a request the list has is not created again.
    const drafts = controls.flatMap(controlRequests).map((draft) => ({
      ...draft,
      requestId: controlRequestId(engagementId, draft.controlId as string, draft.evidenceType),
    }));
    return { created: await this.createAll(context, engagement, drafts) };
  }

  /** The auditor's own request (about an in-scope control, or the engagement as a whole). */
  async ask(context: CommandContext, engagementId: string, draft: RequestDraft): Promise<string> {
    const engagement = await this.engagements.of(context.tenantId, engagementId);
    if (draft.controlId !== undefined) assertInScope(engagement, draft.controlId);
    const [requestId] = await this.createAll(context, engagement, [draft]);
    return requestId;
  }

  /**
   * Creates requests (with the evidence the services hold submitted by the system) in one transaction, and answers
   * once the read model shows them.
   */
  async createAll(
    context: CommandContext,
    engagement: AuditedEngagement,
    drafts: readonly NewRequest[],
  ): Promise<string[]> {
    if (drafts.length === 0) return [];
    const appended: RecordedEvent[] = [];
    const ids = await withStoreTransaction(this.options.pool, async (tx) => {
      const created: string[] = [];
      for (const draft of drafts) {
        const { requestId, events } = await this.create(tx, context, engagement, draft);
        if (events.length > 0) created.push(requestId);
        appended.push(...events);
      }
      return created;
    });
    await this.catchUp(appended);
    return ids;
  }

  /**
   * Creates one request inside `tx` and answers it from `evidence` or, absent, from what the inputs hold. A request
   * that exists already (its derived id) is left as it is: no events.
   */
  async create(
    tx: PoolClient,
    context: CommandContext,
    engagement: AuditedEngagement,
    draft: NewRequest,
  ): Promise<{ requestId: string; events: RecordedEvent[] }> {
    const { evidence: known, dueOn, requestId = randomUUID(), ...fields } = draft;
    const at = this.now();
    const created = await this.pipeline.run(
      this.aggregates.request,
      context,
      {
        type: 'CreateRequest',
        engagementId: engagement.engagementId,
        requestId,
        ...fields,
        dueOn: dueOn ?? addDays(at.slice(0, 10), this.settings.dueDays),
        at,
        actor: context.actor,
      },
      { tx },
    );
    if (created.events.length === 0) return { requestId, events: [] };
    const evidence =
      known ??
      (draft.controlId === undefined || draft.origin !== 'control'
        ? []
        : await this.inputs.evidenceFor(
            context.tenantId,
            draft.controlId,
            draft.evidenceType,
            periodOf(engagement),
            tx,
          ));
    const answered =
      evidence.length === 0 ? [] : await this.fulfil(tx, context.tenantId, requestId, evidence);
    return { requestId, events: [...created.events, ...answered] };
  }

  /** The system's submission of what the services hold, as `system:request-fulfilment`, inside `tx`. */
  async fulfil(
    tx: PoolClient,
    tenantId: string,
    requestId: string,
    evidence: EvidenceRef[],
    cause: { correlationId?: string; causationId?: string } = {},
  ): Promise<RecordedEvent[]> {
    const context = systemContext(tenantId, FULFILMENT_ACTOR, cause);
    const { events } = await this.pipeline.run(
      this.aggregates.request,
      context,
      {
        type: 'SubmitRequest',
        requestId,
        evidence,
        submittedBy: 'system',
        at: this.now(),
        actor: context.actor,
      },
      { tx },
    );
    return events;
  }

  /** The company's answer (a person): evidence references, or evidence items resolved to their latest version. */
  async submit(
    context: CommandContext,
    engagementId: string,
    requestId: string,
    answer: { evidence: EvidenceRef[]; note?: string },
    expectedVersion?: number,
  ): Promise<number> {
    await this.requestOf(context.tenantId, engagementId, requestId);
    return this.run(
      context,
      {
        type: 'SubmitRequest',
        requestId,
        evidence: answer.evidence,
        submittedBy: 'person',
        ...(answer.note === undefined ? {} : { note: answer.note }),
      },
      expectedVersion,
    );
  }

  async accept(context: CommandContext, engagementId: string, requestId: string, expectedVersion?: number) {
    await this.requestOf(context.tenantId, engagementId, requestId);
    return this.run(context, { type: 'AcceptRequest', requestId }, expectedVersion);
  }

  async return(
    context: CommandContext,
    engagementId: string,
    requestId: string,
    comment: string,
    expectedVersion?: number,
  ) {
    await this.requestOf(context.tenantId, engagementId, requestId);
    return this.run(context, { type: 'ReturnRequest', requestId, comment }, expectedVersion);
  }

  async comment(context: CommandContext, engagementId: string, requestId: string, comment: string) {
    await this.requestOf(context.tenantId, engagementId, requestId);
    return this.run(context, { type: 'CommentOnRequest', requestId, comment });
  }

  async requestOf(tenantId: string, engagementId: string, requestId: string): Promise<RequestView> {
    await this.engagements.of(tenantId, engagementId);
    const request = await this.readModel.request(tenantId, engagementId, requestId);
    if (!request) throw requestNotFound(requestId);
    return request;
  }

  private async run(
    context: CommandContext,
    command: DistributiveOmit<Exclude<AuditRequestCommand, { type: 'CreateRequest' }>, 'at' | 'actor'>,
    expectedVersion?: number,
  ): Promise<number> {
    const { version } = await this.pipeline.run(
      this.aggregates.request,
      context,
      { ...command, at: this.now(), actor: context.actor },
      { expectedVersion },
    );
    return version;
  }

  private async catchUp(appended: readonly RecordedEvent[]): Promise<void> {
    if (appended.length === 0) return;
    await projectionReadModels(this.projections.runners).catchUpTo(appended[appended.length - 1].position);
  }

  private now(): string {
    return this.clock.now().toISOString();
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** The list's requests of one control: one per evidence type of its catalog control, or one for its own control. */
export function controlRequests(control: KnownControl): RequestDraft[] {
  const template = control.catalogControlId ? controlById(control.catalogControlId) : undefined;
  const owner: { role?: OwnerRole } = template ? { role: template.ownerRole } : {};
  if (!template)
    return [
      {
        origin: 'control',
        controlId: control.controlId,
        title: `${control.code} ${control.name}: evidence of operation`,
        description: `Evidence that ${control.code} (${control.name}) operated as designed in the period.`,
        owner,
      },
    ];
  const types = [...new Set(template.evidence.map((e) => e.type))];
  return types.map((type) => ({
    origin: 'control',
    controlId: control.controlId,
    evidenceType: type,
    title: `${control.code} ${control.name}: ${type}`,
    description: template.evidence
      .filter((e) => e.type === type)
      .map((e) => e.description)
      .join(' '),
    owner,
  }));
}
