import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { LifecycleActivities } from '@attest/workflow-contracts';
import type { TypeIIObservationInput, TypeIIObservationResult } from '../../lifecycle-contract';
import { typeIIObservation as released } from '../../observation/type-ii-observation';

const { recordLifecycleEvent } = proxyActivities<LifecycleActivities>({ startToCloseTimeout: '1 minute' });

/**
 * The released typeIIObservation with one activity call added in front of it and no `patched` guard: a change that
 * would break every observation already running. Used only by replay.int.spec.ts, which must see it fail.
 */
export async function typeIIObservation(input: TypeIIObservationInput): Promise<TypeIIObservationResult> {
  await recordLifecycleEvent({
    workflowId: workflowInfo().workflowId,
    tenantId: input.tenantId,
    step: 'observation-started',
    event: {
      type: 'AuditPhaseChanged',
      data: {
        auditId: input.auditId,
        tenantId: input.tenantId,
        period: input.window.from.slice(0, 4),
        from: 'auditor-engagement',
        to: 'observation',
        reason: 'observation window opened',
        changedAt: new Date(Date.now()).toISOString(),
      },
    },
  });
  return released(input);
}
