import { Inject, Injectable } from '@nestjs/common';
import { CommandPipeline } from '@attest/command-pipeline';
import type { Deadline, DeadlineSettings, DeadlineSweepResult } from '@attest/deadlines';
import { DEADLINE_SETTINGS, runDeadlineSweep, type DeadlineSweepRun } from '@attest/service-kit';
import { EvidenceEventStore } from '../event-flow/evidence-event-store';
import { EvidenceReadModel } from '../read-model/evidence-read-model';

/**
 * The freshness sweep, a callable unit (the in-process schedule calls it; a Temporal schedule may call it as an
 * activity instead): the current version of each item not disposed of whose validity ends within the due-soon
 * window is announced as `EvidenceExpiring`, and once past its last valid day as `EvidenceExpired`, each once (the
 * deadlines lib's decider), so the controls' owners hear before an auditor does.
 */
@Injectable()
export class EvidenceFreshnessSweep {
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly events: EvidenceEventStore,
    private readonly readModel: EvidenceReadModel,
    @Inject(DEADLINE_SETTINGS) private readonly settings: DeadlineSettings,
  ) {}

  run(run: DeadlineSweepRun): Promise<DeadlineSweepResult> {
    return runDeadlineSweep(
      {
        pipeline: this.pipeline,
        store: this.events.store,
        settings: this.settings,
        deadlinesOf: async (tenantId, dueBy) =>
          (await this.readModel.expiringBy(tenantId, dueBy)).map((item): Deadline => ({
            kind: 'evidence-expiry',
            itemId: item.itemId,
            version: item.version,
            controlIds: item.controlIds,
            dueDate: item.validUntil,
          })),
      },
      run,
    );
  }
}
