/**
 * Every refusal of the monitoring domain with the HTTP status the service answers it with: 404 for what the
 * tenant does not have, 409 for what the state forbids now, 422 for a request that breaks a rule.
 * `invalid-test` is the policy engine's (compileTest), raised before a test reaches its decider;
 * `shipped-test-read-only` the service's, for a change to a shipped test (code, not a stream).
 */
export const MONITORING_REFUSALS = {
  'invalid-test': 422,
  'test-not-found': 404,
  'test-id-taken': 409,
  'test-id-mismatch': 422,
  'shipped-test-read-only': 409,
  'control-not-found': 404,
  'alert-not-found': 404,
  'alert-resolved': 409,
  'invalid-snooze': 422,
  'exception-not-found': 404,
  'exception-exists': 409,
  'invalid-exception-expiry': 422,
  'webhook-endpoint-not-found': 404,
  'webhook-endpoint-exists': 409,
  'invalid-webhook-url': 422,
  'unknown-webhook-event-type': 422,
  'text-required': 422,
  'text-too-long': 422,
} as const;

export type MonitoringRefusal = keyof typeof MONITORING_REFUSALS;
