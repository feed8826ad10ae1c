import { proxyActivities, sleep } from '@temporalio/workflow';
import type { SmokeActivities } from './smoke-activities';

const { sha256 } = proxyActivities<SmokeActivities>({ startToCloseTimeout: '30 seconds' });

export interface SmokeWorkflowResult {
  message: string;
  sha256: string;
}

/** One activity call and one durable timer: proves a real worker runs workflow code to completion. */
export async function smokeWorkflow(message: string, waitMs = 0): Promise<SmokeWorkflowResult> {
  if (waitMs > 0) await sleep(waitMs);
  return { message, sha256: await sha256(message) };
}
