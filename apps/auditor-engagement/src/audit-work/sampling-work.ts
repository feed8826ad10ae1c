import { randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { CommandPipeline, projectionReadModels, type CommandContext } from '@attest/command-pipeline';
import { DomainError } from '@attest/decider';
import {
  buildPopulation,
  dayOf,
  populationNotFound,
  sampleRequestId,
  type SampleSelectedData,
} from '@attest/engagement-domain';
import { withStoreTransaction, type RecordedEvent } from '@attest/event-store';
import { CLOCK, type Clock } from '@attest/service-kit';
import { ENGAGEMENT_OPTIONS, type ResolvedOptions } from '../engagement-options';
import { EngagementAggregates } from '../event-flow/engagement-aggregates';
import { EngagementInputs } from '../inputs/engagement-inputs';
import { ProjectionLifecycle } from '../read-model/projection-lifecycle';
import {
  assertInScope,
  assertWorking,
  controlNotInScope,
  type AuditedEngagement,
} from './audit-work-engagement';
import { AuditWorkEngagements } from './audit-work-engagements';
import { AuditWorkReadModel } from './audit-work-read-model';
import type { PopulationView } from './audit-work-views';
import { RequestList } from './request-list';

/**
 * Type II populations and samples. A population is every occurrence of an in-scope control in the window up to
 * now, frozen with the hash of its canonical listing; a sample is drawn from a frozen population with a recorded
 * seed by the documented algorithm (tools/sampling re-performs it), sized by the firm's table, and each selected
 * occurrence becomes a request answered with the occurrence's own evidence.
 */
@Injectable()
export class SamplingWork {
  constructor(
    @Inject(ENGAGEMENT_OPTIONS) private readonly options: ResolvedOptions,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly pipeline: CommandPipeline,
    private readonly aggregates: EngagementAggregates,
    private readonly engagements: AuditWorkEngagements,
    private readonly inputs: EngagementInputs,
    private readonly readModel: AuditWorkReadModel,
    private readonly requests: RequestList,
    private readonly projections: ProjectionLifecycle,
  ) {}

  async freeze(context: CommandContext, engagementId: string, controlId: string): Promise<string> {
    const engagement = await this.engagements.of(context.tenantId, engagementId);
    const window = typeTwoWindow(engagement);
    assertWorking(engagement, ['fieldwork']);
    assertInScope(engagement, controlId);
    const at = this.clock.now().toISOString();
    // Frozen now: the window's occurrences so far (all of them once the window has ended).
    const frozenWindow = { from: window.from, to: dayOf(at) < window.to ? dayOf(at) : window.to };
    const populationId = randomUUID();
    const events = await withStoreTransaction(this.options.pool, async (tx) => {
      const source = await this.inputs.populationInputs(context.tenantId, controlId, frozenWindow, tx);
      if (!source) throw controlNotInScope(controlId);
      const frozen = await this.pipeline.run(
        this.aggregates.population,
        context,
        {
          type: 'FreezePopulation',
          engagementId,
          populationId,
          controlId,
          window: frozenWindow,
          occurrences: buildPopulation(source.control, source.inputs, frozenWindow),
          at,
          actor: context.actor,
        },
        { tx },
      );
      return frozen.events;
    });
    await this.catchUp(events);
    return populationId;
  }

  async select(
    context: CommandContext,
    engagementId: string,
    request: { populationId: string; seed?: string },
  ): Promise<string> {
    const engagement = await this.engagements.of(context.tenantId, engagementId);
    typeTwoWindow(engagement);
    assertWorking(engagement, ['fieldwork']);
    const population = await this.populationOf(context.tenantId, engagementId, request.populationId);
    const [control] = await this.inputs.controls(context.tenantId, [population.controlId]);
    if (!control) throw controlNotInScope(population.controlId);
    const sampleId = randomUUID();
    const appended: RecordedEvent[] = [];
    await withStoreTransaction(this.options.pool, async (tx) => {
      const chosen = await this.pipeline.run(
        this.aggregates.sample,
        context,
        {
          type: 'SelectSample',
          engagementId,
          sampleId,
          population: {
            populationId: population.populationId,
            controlId: population.controlId,
            hash: population.hash,
            listing: population.listing,
          },
          seed: request.seed ?? randomBytes(32).toString('hex'),
          frequency: control.frequency,
          sampleSizeTable: engagement.firm.sampleSizeTable,
          at: this.clock.now().toISOString(),
          actor: context.actor,
        },
        { tx },
      );
      appended.push(...chosen.events);
      const { selected, size } = chosen.events[0].data as SampleSelectedData;
      // Each selected occurrence is asked for, answered at once with the evidence the population recorded for it.
      for (const s of selected) {
        const occurrence = population.listing[s.index];
        const { events } = await this.requests.create(tx, context, engagement, {
          requestId: sampleRequestId(sampleId, occurrence.occurrenceId),
          origin: 'sample',
          controlId: population.controlId,
          sampleId,
          occurrenceId: occurrence.occurrenceId,
          title: `${control.code} sample item ${s.draw + 1} of ${size}: ${occurrence.label}`,
          description: `Evidence that ${control.code} (${control.name}) operated for ${occurrence.label}.`,
          owner: {},
          evidence: occurrence.evidence,
        });
        appended.push(...events);
      }
    });
    await this.catchUp(appended);
    return sampleId;
  }

  async populationOf(tenantId: string, engagementId: string, populationId: string): Promise<PopulationView> {
    await this.engagements.of(tenantId, engagementId);
    const population = await this.readModel.population(tenantId, engagementId, populationId);
    if (!population) throw populationNotFound(populationId);
    return population;
  }

  /** Commands in a transaction do not wait for the read models: wait here, after the commit. */
  private async catchUp(appended: readonly RecordedEvent[]): Promise<void> {
    if (appended.length === 0) return;
    await projectionReadModels(this.projections.runners).catchUpTo(appended[appended.length - 1].position);
  }
}

/** Populations and samples are Type II work: the window is what they cover. */
function typeTwoWindow(engagement: AuditedEngagement): { from: string; to: string } {
  if (!engagement.window)
    throw new DomainError(
      'engagement-type-1',
      `engagement ${engagement.engagementId} is a Type I engagement: it tests design as of a date, without populations or samples`,
      { engagementId: engagement.engagementId },
    );
  return engagement.window;
}
