/**
 * The library's public names and, as the worker's `workflowsPath`, its workflows: auditLifecycle, its
 * typeIIObservation child and the scheduled jobs. Node-side helpers for bundling live in `@attest/workflows/bundling`.
 */
export * from './lifecycle-contract';
export * from './lifecycle/audit-lifecycle';
export * from './observation';
export * from './schedules';
