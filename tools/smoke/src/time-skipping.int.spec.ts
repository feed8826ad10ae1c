import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { smokeActivities } from './smoke-activities';
import { smokeWorkflow } from './smoke-workflow';

// The SDK would download its test server; here it runs the Java one from Maven Central (infra/local).
const testServer = path.resolve(__dirname, '../../../infra/local/temporal/test-server.sh');
const NINETY_DAYS_MS = 90 * 24 * 60 * 60 * 1000;

describe('Temporal time-skipping environment (Java test server via existing-path)', () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    env = await TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: { type: 'existing-path', path: testServer } },
    });
  });

  afterAll(async () => {
    await env?.teardown();
  });

  it('completes a workflow that sleeps for 90 days, with the clock skipped past the timer', async () => {
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: 'time-skipping-test',
      workflowsPath: require.resolve('./smoke-workflow'),
      activities: smokeActivities,
    });
    const before = await env.currentTimeMs();

    const result = await worker.runUntil(
      env.client.workflow.execute(smokeWorkflow, {
        taskQueue: 'time-skipping-test',
        workflowId: `time-skipping-${Date.now()}`,
        args: ['observation window closed', NINETY_DAYS_MS],
      }),
    );

    expect(result.message).toBe('observation window closed');
    expect((await env.currentTimeMs()) - before).toBeGreaterThanOrEqual(NINETY_DAYS_MS);
  });
});
