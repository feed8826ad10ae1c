import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import { NativeConnection, Worker } from '@temporalio/worker';
import { AttestTenantId, TaskQueues } from '@attest/workflow-contracts';
import { smokeActivities } from './smoke-activities';
import { smokeWorkflow, SmokeWorkflowResult } from './smoke-workflow';

export interface TemporalRoundTripResult {
  workflowId: string;
  tenantId: string;
  result: SmokeWorkflowResult;
  /** Workflow ids the visibility store returned for `AttestTenantId = tenantId`. */
  foundBySearchAttribute: string[];
}

/**
 * Runs the smoke workflow on a real worker, then finds it through the list API by a custom search attribute,
 * as an operator would in Temporal UI.
 */
export async function temporalRoundTrip(
  address: string,
  namespace: string,
): Promise<TemporalRoundTripResult> {
  const runId = randomUUID();
  const tenantId = `smoke-${runId}`;
  const workflowId = `attest-smoke-${runId}`;
  const workerConnection = await NativeConnection.connect({ address });
  const connection = await Connection.connect({ address });
  try {
    const client = new Client({ connection, namespace });
    const worker = await Worker.create({
      connection: workerConnection,
      namespace,
      taskQueue: TaskQueues.smoke,
      workflowsPath: require.resolve('./smoke-workflow'),
      activities: smokeActivities,
    });
    const result = await worker.runUntil(
      client.workflow.execute(smokeWorkflow, {
        taskQueue: TaskQueues.smoke,
        workflowId,
        args: [`hello from ${tenantId}`],
        typedSearchAttributes: new TypedSearchAttributes([{ key: AttestTenantId, value: tenantId }]),
      }),
    );
    const foundBySearchAttribute = await findBySearchAttribute(client, `AttestTenantId = '${tenantId}'`);
    return { workflowId, tenantId, result, foundBySearchAttribute };
  } finally {
    await connection.close();
    await workerConnection.close();
  }
}

/** Visibility is eventually consistent: ask again until the list answers, for up to 15 seconds. */
async function findBySearchAttribute(client: Client, query: string): Promise<string[]> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const ids: string[] = [];
    for await (const execution of client.workflow.list({ query })) ids.push(execution.workflowId);
    if (ids.length > 0 || Date.now() > deadline) return ids;
    await new Promise((r) => setTimeout(r, 250));
  }
}
