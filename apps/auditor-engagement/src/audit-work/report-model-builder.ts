import { Inject, Injectable } from '@nestjs/common';
import type {
  AuditReportModel,
  BridgeLetterModel,
  ReportControl,
  ReportEngagement,
} from '@attest/audit-report';
import { controlById, criterionById } from '@attest/catalog';
import type { Actor } from '@attest/engagement-domain';
import type { SystemDescription } from '@attest/readiness-domain';
import { CLOCK, type Clock, type KnownControl } from '@attest/service-kit';
import { EngagementInputs } from '../inputs/engagement-inputs';
import type { AuditedEngagement } from './audit-work-engagement';
import { AuditWorkReadModel, deviationRate, proceduresOf } from './audit-work-read-model';

/** The name an actor goes by in a report: its display name, else its id. */
export function actorName(actor: Actor): string {
  return actor.displayName ?? actor.id;
}

/**
 * Assembles the report model every format is rendered from: the engagement and its firm, the tenant's latest system
 * description from readiness (section 3), the criteria of the in-scope controls with the catalog's text, and per
 * control its population, sample, results, deviation rate, exceptions with management's responses and conclusion
 * (section 4), from the read model as it is now.
 */
@Injectable()
export class ReportModelBuilder {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly inputs: EngagementInputs,
    private readonly readModel: AuditWorkReadModel,
  ) {}

  async report(tenantId: string, engagement: AuditedEngagement): Promise<AuditReportModel> {
    const { engagementId, scope } = engagement;
    const description = (await this.inputs.systemDescription(tenantId))?.systemDescription as
      SystemDescription | undefined;
    const known = await this.inputs.controls(tenantId, scope.controlIds);
    const results = await this.readModel.results(tenantId, engagementId);
    const exceptions = await this.readModel.exceptions(tenantId, engagementId);
    const samples = await this.readModel.latestSamples(tenantId, engagementId);
    const controls = known.map((control): ReportControl => {
      const tested = results.get(control.controlId) ?? [];
      const sample = samples.get(control.controlId);
      const raised = exceptions.get(control.controlId) ?? [];
      const rate = deviationRate(tested);
      return {
        controlId: control.controlId,
        code: control.code,
        name: control.name,
        description: descriptionOf(control),
        frequency: control.frequency,
        criteria: control.criteria,
        procedures: proceduresOf(tested),
        ...(sample
          ? {
              population: sample.population,
              sample: {
                sampleId: sample.sampleId,
                seed: sample.seed,
                size: sample.size,
                testedInFull: sample.testedInFull,
              },
            }
          : {}),
        results: tested.map((r) => ({
          resultId: r.resultId,
          ...(r.occurrenceId === undefined
            ? {}
            : {
                occurrenceId: r.occurrenceId,
                occurrenceLabel: sample?.labels.get(r.occurrenceId) ?? r.occurrenceId,
              }),
          procedure: r.procedure,
          result: r.result,
          ...(r.description === undefined ? {} : { description: r.description }),
          testedAt: r.testedAt,
          tester: actorName(r.testedBy),
        })),
        deviationRate: rate,
        exceptions: raised.map((x) => ({
          exceptionId: x.exceptionId,
          ...(x.occurrenceId === undefined ? {} : { occurrenceId: x.occurrenceId }),
          description: x.description,
          ...(x.managementResponse
            ? {
                managementResponse: {
                  response: x.managementResponse.response,
                  respondedAt: x.managementResponse.respondedAt,
                  by: actorName(x.managementResponse.actor),
                },
              }
            : {}),
        })),
        conclusion:
          rate === null
            ? 'not-tested'
            : raised.length > 0 || rate > 0
              ? 'exceptions-noted'
              : 'no-exceptions-noted',
      };
    });
    return {
      generatedAt: this.clock.now().toISOString(),
      organization: { tenantId, name: description?.systemName ?? tenantId },
      engagement: reportEngagement(engagement),
      systemDescription: description ?? null,
      scope,
      criteria: criteriaOf(known),
      criteriaNotRelevant: description?.criteriaNotRelevant ?? [],
      controls,
      requests: await this.readModel.fulfilment(tenantId, engagementId),
    };
  }

  /** The bridge letter for the days after a Type II window up to `coversTo`, signed by management. */
  async bridgeLetter(
    tenantId: string,
    engagement: AuditedEngagement,
    letter: { coversFrom: string; coversTo: string; issuedAt: string; signatory: string },
  ): Promise<BridgeLetterModel> {
    const description = (await this.inputs.systemDescription(tenantId))?.systemDescription as
      SystemDescription | undefined;
    return {
      organization: { tenantId, name: description?.systemName ?? tenantId },
      engagement: reportEngagement(engagement),
      ...letter,
      significantChanges: (description?.significantChanges ?? []).filter(
        (c) => c.date >= letter.coversFrom && c.date <= letter.coversTo,
      ),
    };
  }
}

function reportEngagement(e: AuditedEngagement): ReportEngagement {
  return {
    engagementId: e.engagementId,
    name: e.name,
    type: e.type,
    ...(e.asOf === undefined ? {} : { asOf: e.asOf }),
    ...(e.window === undefined ? {} : { window: e.window }),
    firm: { name: e.firm.name, auditors: e.auditors },
    status: e.status,
    categories: e.scope.categories,
  };
}

/** A control's description: its catalog template's, or its name for a control of the organization's own. */
function descriptionOf(control: KnownControl): string {
  return (control.catalogControlId && controlById(control.catalogControlId)?.description) || control.name;
}

/** Every criterion an in-scope control addresses, in catalog id order, with the catalog's text and its controls. */
function criteriaOf(controls: readonly KnownControl[]): AuditReportModel['criteria'] {
  const byCriterion = new Map<string, string[]>();
  for (const control of controls)
    for (const criterionId of control.criteria)
      byCriterion.set(criterionId, [...(byCriterion.get(criterionId) ?? []), control.controlId]);
  return [...byCriterion.entries()]
    .sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))
    .map(([criterionId, controlIds]) => {
      const criterion = criterionById(criterionId);
      return {
        criterionId,
        category: criterion?.category ?? 'security',
        text: criterion ? `${criterion.shortTitle}. ${criterion.description}` : criterionId,
        controlIds,
      };
    });
}
