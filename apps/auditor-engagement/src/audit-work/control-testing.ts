import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { CommandPipeline, type CommandContext } from '@attest/command-pipeline';
import {
  exceptionNotFound,
  type ExceptionRaisedData,
  type Procedure,
  type TestResult,
} from '@attest/engagement-domain';
import { CLOCK, type Clock } from '@attest/service-kit';
import { EngagementAggregates } from '../event-flow/engagement-aggregates';
import { EngagementInputs } from '../inputs/engagement-inputs';
import { assertInScope } from './audit-work-engagement';
import { AuditWorkEngagements } from './audit-work-engagements';
import { AuditWorkReadModel, deviationRate, proceduresOf } from './audit-work-read-model';
import type { ControlTestingView, ExceptionView } from './audit-work-views';

/** What the auditor records about one test of a control. */
export interface TestResultRequest {
  procedure: Procedure;
  occurrenceId?: string;
  result: TestResult;
  description?: string;
}

/**
 * Testing: the auditor's result per procedure (Type II: per sampled occurrence), an exception raised with each
 * result that found one, management's response to it, and each in-scope control's testing with its deviation rate.
 */
@Injectable()
export class ControlTesting {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly pipeline: CommandPipeline,
    private readonly aggregates: EngagementAggregates,
    private readonly engagements: AuditWorkEngagements,
    private readonly inputs: EngagementInputs,
    private readonly readModel: AuditWorkReadModel,
  ) {}

  async record(
    context: CommandContext,
    engagementId: string,
    controlId: string,
    request: TestResultRequest,
  ): Promise<{ resultId: string; exceptionId?: string }> {
    const { tenantId } = context;
    const engagement = await this.engagements.of(tenantId, engagementId);
    assertInScope(engagement, controlId);
    const resultId = randomUUID();
    const { events } = await this.pipeline.run(this.aggregates.controlTest, context, {
      type: 'RecordTestResult',
      engagementId,
      controlId,
      resultId,
      ...request,
      engagement: { type: engagement.type, status: engagement.status },
      selectedOccurrenceIds: await this.readModel.selectedOccurrenceIds(tenantId, engagementId, controlId),
      at: this.clock.now().toISOString(),
      actor: context.actor,
    });
    // A result with an exception raises it in the same decision.
    const raised = events.find((e) => e.type === 'ExceptionRaised')?.data as ExceptionRaisedData | undefined;
    return { resultId, ...(raised ? { exceptionId: raised.exceptionId } : {}) };
  }

  async respond(context: CommandContext, engagementId: string, exceptionId: string, response: string) {
    const exception = await this.exceptionOf(context.tenantId, engagementId, exceptionId);
    await this.pipeline.run(this.aggregates.controlTest, context, {
      type: 'RecordManagementResponse',
      engagementId,
      controlId: exception.controlId,
      exceptionId,
      response,
      at: this.clock.now().toISOString(),
      actor: context.actor,
    });
    return this.exceptionOf(context.tenantId, engagementId, exceptionId);
  }

  async exceptionOf(tenantId: string, engagementId: string, exceptionId: string): Promise<ExceptionView> {
    await this.engagements.of(tenantId, engagementId);
    const exception = await this.readModel.exception(tenantId, engagementId, exceptionId);
    if (!exception) throw exceptionNotFound(exceptionId);
    return exception;
  }

  /** Every in-scope control (by code) with its results, procedures, deviation rate and exceptions. */
  async controls(tenantId: string, engagementId: string): Promise<ControlTestingView[]> {
    const engagement = await this.engagements.of(tenantId, engagementId);
    const known = await this.inputs.controls(tenantId, engagement.scope.controlIds);
    const results = await this.readModel.results(tenantId, engagementId);
    const exceptions = await this.readModel.exceptions(tenantId, engagementId);
    return known.map((control) => {
      const tested = results.get(control.controlId) ?? [];
      return {
        controlId: control.controlId,
        code: control.code,
        name: control.name,
        procedures: proceduresOf(tested),
        results: tested,
        deviationRate: deviationRate(tested),
        exceptions: exceptions.get(control.controlId) ?? [],
      };
    });
  }
}
