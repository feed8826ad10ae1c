import { Injectable, Logger } from '@nestjs/common';
import { CommandPipeline, systemContext } from '@attest/command-pipeline';
import { EngagementAggregates } from '../event-flow/engagement-aggregates';
import { EngagementEventStore } from '../event-flow/engagement-event-store';
import { AuditWorkReadModel } from './audit-work-read-model';

/** The system actor raising overdue requests. */
export const REQUEST_SWEEP_ACTOR = 'request-deadline-sweep';

/** What one sweep covers: `now`, for one tenant or (absent) every tenant with events. */
export interface RequestDeadlineSweepRun {
  now: Date;
  tenantId?: string;
}

export interface RequestDeadlineSweepResult {
  overdue: number;
  failures: { tenantId: string; error: unknown }[];
}

/**
 * The request deadline sweep, a callable unit (the in-process schedule calls it; a Temporal schedule may call it
 * instead): every request still open or returned after its due day is marked overdue (`RequestOverdue`, once per due
 * date: the decider refuses nothing twice, a request answered meanwhile raises nothing). A tenant that fails is
 * reported and the others go on.
 */
@Injectable()
export class RequestDeadlineSweep {
  private readonly logger = new Logger(RequestDeadlineSweep.name);

  constructor(
    private readonly events: EngagementEventStore,
    private readonly pipeline: CommandPipeline,
    private readonly aggregates: EngagementAggregates,
    private readonly readModel: AuditWorkReadModel,
  ) {}

  async run({ now, tenantId }: RequestDeadlineSweepRun): Promise<RequestDeadlineSweepResult> {
    const result: RequestDeadlineSweepResult = { overdue: 0, failures: [] };
    const at = now.toISOString();
    for (const tenant of tenantId === undefined ? await this.events.store.tenants() : [tenantId]) {
      try {
        const context = systemContext(tenant, REQUEST_SWEEP_ACTOR);
        for (const request of await this.readModel.requestsPastDue(tenant, at.slice(0, 10))) {
          const { events } = await this.pipeline.run(this.aggregates.request, context, {
            type: 'MarkRequestOverdue',
            requestId: request.requestId,
            at,
            actor: context.actor,
          });
          result.overdue += events.length;
        }
      } catch (error) {
        this.logger.error({ message: 'request deadline sweep failed for a tenant', tenantId: tenant, error });
        result.failures.push({ tenantId: tenant, error });
      }
    }
    if (result.overdue > 0) this.logger.log({ message: 'requests overdue', at, overdue: result.overdue });
    return result;
  }
}
