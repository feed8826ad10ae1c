/** Task queues are part of the public contract: workers of other deployments poll them by name. */
export const TaskQueues = {
  /** The infrastructure smoke job run by `npm run demo` and the smoke tests. */
  smoke: 'attest-smoke',
  /**
   * The audit lifecycle: auditLifecycle, its typeIIObservation children, the scheduled jobs and their activities
   * (apps/orchestrator).
   */
  auditLifecycle: 'attest-audit-lifecycle',
} as const;
