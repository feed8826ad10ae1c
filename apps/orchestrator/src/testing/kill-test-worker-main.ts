// The orchestrator with the worker-kill test's workflow. ATTEST_TEST_HOLD_AFTER_APPEND=true: every
// recordLifecycleEvent, once it appended, says so on stdout and then keeps heartbeating until the process is killed.
import { Context } from '@temporalio/activity';
import type { ActivityInboundCallsInterceptor } from '@temporalio/worker';
import { runOrchestrator } from '../main';
import { HELD_AFTER_APPEND } from './held-after-append';

const holdAfterAppend: ActivityInboundCallsInterceptor = {
  async execute(input, next) {
    const result = await next(input);
    if (Context.current().info.activityType !== 'recordLifecycleEvent') return result;
    process.stdout.write(`${JSON.stringify({ message: HELD_AFTER_APPEND, result })}\n`);
    for (;;) {
      Context.current().heartbeat();
      await Context.current().sleep(500);
    }
  },
};

void runOrchestrator({
  workflowsPath: require.resolve('./record-one-event.workflow'),
  ...(process.env['ATTEST_TEST_HOLD_AFTER_APPEND'] === 'true'
    ? { interceptors: { activity: [() => ({ inbound: holdAfterAppend })] } }
    : {}),
});
