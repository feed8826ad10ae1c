import { Inject, Injectable, Logger } from '@nestjs/common';
import { CommandPipeline, type CommandContext } from '@attest/command-pipeline';
import type { EvidenceRetentionDecidedData } from '@attest/evidence-domain';
import type { ContentStore } from '@attest/evidence-storage';
import { CLOCK, type Clock } from '@attest/service-kit';
import { CONTENT_STORE, EVIDENCE_OPTIONS, type ResolvedOptions } from '../evidence-options';
import { EvidenceAggregates } from '../event-flow/evidence-aggregates';
import { EvidenceReadModel } from '../read-model/evidence-read-model';

/**
 * Disposal of an item after its retention period: the decision is recorded first (with the hashes of every
 * version, which stay in the chain), then the bytes are deleted from the content store unless another item still
 * holds the same content (the store keeps one copy per hash for every tenant). Recording first means a failure
 * between the two leaves bytes nobody serves any more (downloads answer 410 from the event), never an item whose
 * content vanished without a recorded decision.
 */
@Injectable()
export class EvidenceRetention {
  private readonly logger = new Logger(EvidenceRetention.name);

  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly aggregates: EvidenceAggregates,
    private readonly readModel: EvidenceReadModel,
    @Inject(CONTENT_STORE) private readonly contents: ContentStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(EVIDENCE_OPTIONS) private readonly options: ResolvedOptions,
  ) {}

  /** Decides to dispose of the item (at `expectedVersion` when If-Match named one); answers the stream's version. */
  async dispose(
    context: CommandContext,
    itemId: string,
    reason: string,
    expectedVersion: number | undefined,
  ): Promise<number> {
    const { events, version } = await this.pipeline.run(
      this.aggregates.item,
      context,
      {
        type: 'DecideEvidenceRetention',
        itemId,
        reason,
        retentionMonths: this.options.retentionMonths,
        at: this.clock.now().toISOString(),
        actor: context.actor,
      },
      { expectedVersion },
    );
    // The read model includes the decision (the pipeline waited for it): this item no longer holds its content.
    const decided = events.find((e) => e.type === 'EvidenceRetentionDecided')?.data as
      EvidenceRetentionDecidedData | undefined;
    for (const sha256 of new Set(decided?.contentSha256 ?? [])) {
      if (await this.readModel.contentInUse(sha256)) continue;
      await this.contents.delete(sha256);
      this.logger.log({ message: 'evidence content disposed', tenant: context.tenantId, itemId, sha256 });
    }
    return version;
  }
}
