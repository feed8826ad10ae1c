import { Injectable } from '@nestjs/common';
import { CommandPipeline, systemContext } from '@attest/command-pipeline';
import { dayOf } from '@attest/readiness-domain';
import { ReadinessQueries } from '../read-model/readiness-queries';
import { riskAggregate } from './readiness-aggregates';

/** The system actor that records expiries: `system:risk-acceptance-expiry`. */
export const RISK_ACCEPTANCE_EXPIRY_ACTOR = 'risk-acceptance-expiry';

/**
 * Records `RiskAcceptanceExpired` for each accepted risk whose acceptance reached its expiry day, of one tenant or
 * of all: a callable unit the deadline sweep runs on its schedule. Each expiry is decided on the risk's stream
 * (nothing when already recorded, renewed or closed meanwhile), so running it twice or concurrently records each
 * expiry once.
 */
@Injectable()
export class RiskAcceptanceExpiry {
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly queries: ReadinessQueries,
  ) {}

  async run({ now, tenantId }: { now: Date; tenantId?: string }): Promise<{ expired: number }> {
    const at = now.toISOString();
    let expired = 0;
    for (const due of await this.queries.acceptancesExpiredBy(dayOf(at), tenantId)) {
      const context = systemContext(due.tenantId, RISK_ACCEPTANCE_EXPIRY_ACTOR);
      const { events } = await this.pipeline.run(riskAggregate(due.tenantId), context, {
        type: 'ExpireRiskAcceptance',
        riskId: due.riskId,
        at,
        actor: context.actor,
      });
      expired += events.length;
    }
    return { expired };
  }
}
