import { Inject, Injectable } from '@nestjs/common';
import { CommandPipeline } from '@attest/command-pipeline';
import type { DeadlineSettings, DeadlineSweepResult } from '@attest/deadlines';
import { PostgresEventStore } from '@attest/event-store';
import { DEADLINE_SETTINGS, runDeadlineSweep, type DeadlineSweepRun } from '@attest/service-kit';
import { RiskAcceptanceExpiry } from '../event-flow/risk-acceptance-expiry';
import { ReadinessDeadlines } from './readiness-deadlines';

/**
 * The readiness deadline sweep, a callable unit (the in-process schedule calls it; a workflow engine may call it as
 * an activity instead): first the risk acceptances whose expiry day came are recorded as expired, then each
 * remediation task, risk review and annual risk assessment that is due soon or overdue at `now` is announced once.
 */
@Injectable()
export class DeadlineSweep {
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly store: PostgresEventStore,
    private readonly deadlines: ReadinessDeadlines,
    private readonly riskAcceptanceExpiry: RiskAcceptanceExpiry,
    @Inject(DEADLINE_SETTINGS) private readonly settings: DeadlineSettings,
  ) {}

  async run(run: DeadlineSweepRun): Promise<DeadlineSweepResult> {
    await this.riskAcceptanceExpiry.run(run);
    return runDeadlineSweep(
      {
        pipeline: this.pipeline,
        store: this.store,
        settings: this.settings,
        deadlinesOf: (tenantId, dueBy) => this.deadlines.of(tenantId, dueBy),
      },
      run,
    );
  }
}
