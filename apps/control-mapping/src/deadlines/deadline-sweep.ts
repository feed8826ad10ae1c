import { Inject, Injectable } from '@nestjs/common';
import { CommandPipeline } from '@attest/command-pipeline';
import type { DeadlineSettings, DeadlineSweepResult } from '@attest/deadlines';
import { DEADLINE_SETTINGS, runDeadlineSweep, type DeadlineSweepRun } from '@attest/service-kit';
import { ControlMappingEventStore } from '../event-flow/control-mapping-event-store';
import { ControlMappingDeadlines } from './control-mapping-deadlines';

/**
 * The control-mapping deadline sweep, a callable unit (the in-process schedule calls it; a workflow engine may call
 * it as an activity instead): each policy review and each person's policy acceptance that is due soon or overdue at
 * `now` is announced once.
 */
@Injectable()
export class DeadlineSweep {
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly events: ControlMappingEventStore,
    private readonly deadlines: ControlMappingDeadlines,
    @Inject(DEADLINE_SETTINGS) private readonly settings: DeadlineSettings,
  ) {}

  run(run: DeadlineSweepRun): Promise<DeadlineSweepResult> {
    return runDeadlineSweep(
      {
        pipeline: this.pipeline,
        store: this.events.store,
        settings: this.settings,
        deadlinesOf: (tenantId, dueBy, now) => this.deadlines.of(tenantId, dueBy, now),
      },
      run,
    );
  }
}
