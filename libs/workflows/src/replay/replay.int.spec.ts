import { Worker } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { WORKFLOWS_PATH, workflowBundlerOptions } from '../bundling';
import { recordedHistories } from './testing/recorded-histories';

/**
 * Every committed history (histories/*.json, recorded by testing/record-histories.ts) must replay on the current
 * workflow code: a change that would make a running audit's worker take a different path than its history fails
 * here instead of in production. An intended change is guarded with `patched` and the histories re-recorded
 * (docs/operations/temporal.md, "Changing workflow code").
 */
describe('replaying the recorded histories', () => {
  const histories = recordedHistories();

  it('has histories to replay', () => {
    expect(histories.length).toBeGreaterThanOrEqual(3);
  });

  it('replays every one on the current workflow code without a determinism error', async () => {
    const results: { workflowId: string; error?: unknown }[] = [];
    for await (const result of Worker.runReplayHistories(
      {
        workflowsPath: WORKFLOWS_PATH,
        bundlerOptions: workflowBundlerOptions(),
        replayName: 'current-workflow-code',
      },
      histories,
    )) {
      results.push({ workflowId: result.workflowId, error: result.error });
    }
    expect(results).toEqual(histories.map(({ workflowId }) => ({ workflowId, error: undefined })));
  });

  it('fails with a determinism violation when a workflow adds an activity call without `patched`', async () => {
    const observation = histories.find(({ name }) => name.startsWith('type-ii-observation'));
    if (!observation) throw new Error('no recorded typeIIObservation history');
    await expect(
      Worker.runReplayHistory(
        {
          workflowsPath: require.resolve('./testing/observation-with-unguarded-change'),
          replayName: 'unguarded',
        },
        observation.history,
        observation.workflowId,
      ),
    ).rejects.toBeInstanceOf(DeterminismViolationError);
  });
});
