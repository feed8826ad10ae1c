import { Context } from '@temporalio/activity';

/**
 * Runs `work` while heartbeating every `everyMs`, so a worker that dies mid-call is noticed after the activity's
 * heartbeat timeout rather than its start-to-close timeout, and a cancelled activity stops waiting. Each heartbeat
 * carries `details` (the progress a retry resumes from): a heartbeat without them would erase the last ones.
 */
export async function withHeartbeats<T>(work: Promise<T>, details?: unknown, everyMs = 10_000): Promise<T> {
  const context = Context.current();
  context.heartbeat(details);
  const timer = setInterval(() => context.heartbeat(details), everyMs);
  try {
    return await Promise.race([work, context.cancelled]);
  } finally {
    clearInterval(timer);
  }
}
