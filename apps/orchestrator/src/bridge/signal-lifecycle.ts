import { type Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import { TransientError } from '@attest/messaging';
import { AttestTenantId } from '@attest/workflow-contracts';
import {
  AUDIT_LIFECYCLE_WORKFLOW,
  auditWorkflowId,
  domainEventSignal,
  type AuditLifecycleInput,
  type DomainEventSignal,
} from '@attest/workflows';

/** What became of a signal: delivered to the period's lifecycle (started by it if needed), or that lifecycle is over. */
interface SignalOutcome {
  workflowId: string;
  delivered: boolean;
}

/**
 * Signal-with-start on `audit-<tenant>-<period>`: the running lifecycle gets the signal, or one is started with it,
 * in one call, so the first event of a period can never race its lifecycle's start. A lifecycle that already
 * closed is not started again (REJECT_DUPLICATE): a finished period must not reopen because a late event came;
 * that event belongs to no running audit. Any other failure (Temporal unreachable) is transient: the consumer
 * retries the event, and the workflow counts an event id once if an earlier try did get through.
 */
export async function signalLifecycle(
  client: Client,
  taskQueue: string,
  signal: DomainEventSignal,
  period: string,
): Promise<SignalOutcome> {
  const workflowId = auditWorkflowId(signal.tenantId, period);
  const input: AuditLifecycleInput = { tenantId: signal.tenantId, period };
  try {
    await client.workflow.signalWithStart(AUDIT_LIFECYCLE_WORKFLOW, {
      workflowId,
      taskQueue,
      args: [input],
      signal: domainEventSignal,
      signalArgs: [signal],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      // Findable by tenant from the first moment, before the workflow's first task sets its own attributes.
      typedSearchAttributes: new TypedSearchAttributes([{ key: AttestTenantId, value: signal.tenantId }]),
    });
    return { workflowId, delivered: true };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return { workflowId, delivered: false };
    throw new TransientError(`signal-with-start of ${workflowId} failed`, { cause: err });
  }
}
