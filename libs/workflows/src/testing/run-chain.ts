import type { WorkflowClient } from '@temporalio/client';

/** Temporal warns past this many events in one run's history and terminates the run at 50,000. */
export const TEMPORAL_HISTORY_LIMIT = 10_000;

export interface RunHistory {
  workflowId: string;
  runId: string;
  historyLength: number;
}

/**
 * Every run of a continue-as-new chain, from its first: each run's last event (WorkflowExecutionContinuedAsNew)
 * names the next run, so no visibility store is needed (the time-skipping test server has none to list by).
 */
export async function runChain(
  client: WorkflowClient,
  workflowId: string,
  firstRunId: string,
): Promise<RunHistory[]> {
  const runs: RunHistory[] = [];
  for (let runId: string | null | undefined = firstRunId; runId;) {
    const { events } = await client.getHandle(workflowId, runId).fetchHistory();
    runs.push({ workflowId, runId, historyLength: events?.length ?? 0 });
    runId = events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId;
  }
  return runs;
}
