/**
 * Re-records the committed histories the replay test runs against (libs/workflows/src/replay/histories). Run it only
 * after an intended change to workflow code that is guarded by `patched` (see docs/operations/temporal.md), so the
 * new histories show the new code path and the old ones — kept under another name if still in flight somewhere —
 * keep showing the old one:
 *
 *   SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register \
 *     libs/workflows/src/replay/testing/record-histories.ts [scenario ...]
 *
 * It drives each scenario on the time-skipping test server (infra/local) with stub activities and writes the
 * history as JSON. Without arguments it records every scenario.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { format } from 'prettier';
import { Worker } from '@temporalio/worker';
import { WORKFLOWS_PATH, workflowBundlerOptions } from '../../bundling';
import { createTimeSkippingEnvironment } from '../../testing/time-skipping-environment';
import { historiesDir } from './recorded-histories';
import { replayScenarios } from './replay-scenarios';

async function main(names: string[]): Promise<void> {
  const unknown = names.filter((n) => !(n in replayScenarios));
  if (unknown.length)
    throw new Error(
      `unknown scenarios ${unknown.join(', ')}; known: ${Object.keys(replayScenarios).join(', ')}`,
    );
  const env = await createTimeSkippingEnvironment();
  try {
    for (const name of names.length ? names : Object.keys(replayScenarios)) {
      const scenario = replayScenarios[name as keyof typeof replayScenarios];
      const taskQueue = `record-${name}`;
      const worker = await Worker.create({
        connection: env.nativeConnection,
        taskQueue,
        workflowsPath: WORKFLOWS_PATH,
        bundlerOptions: workflowBundlerOptions(),
        activities: scenario.activities,
      });
      const handle: WorkflowHandle = await worker.runUntil(async () => {
        const started = await scenario.drive(env, taskQueue);
        await started.result();
        return started;
      });
      const history = await handle.fetchHistory();
      // Formatted as the repository's prettier check wants it, so a re-recording is committed as is.
      const file = path.join(historiesDir, `${name}.json`);
      writeFileSync(file, await format(historyToJSON(history), { filepath: file }));
      console.log(`${name}: ${history.events?.length} events → histories/${name}.json`);
    }
  } finally {
    await env.teardown();
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
