/**
 * Every refusal of the auditor-engagement domain with the HTTP status the service answers it with: 404 for what the
 * tenant (or the auditor's grant) does not reach, 409 for what the state forbids now, 422 for a request that breaks
 * a rule. A spec checks that every code the library raises is listed.
 */
export const ENGAGEMENT_REFUSALS = {
  // firms
  'firm-not-found': 404,
  'firm-exists': 409,
  'auditor-exists': 409,
  'invalid-email': 422,
  'invalid-sample-size-table': 422,
  // engagements
  'engagement-not-found': 404,
  'engagement-exists': 409,
  'invalid-as-of': 422,
  'invalid-window': 422,
  'invalid-scope': 422,
  'scope-locked': 409,
  'auditor-not-in-firm': 422,
  'auditor-not-invited': 404,
  'invitation-not-found': 404,
  'invalid-status-transition': 409,
  'report-required': 409,
  'engagement-not-in-reporting': 409,
  'invalid-report-files': 422,
  'bridge-letter-not-allowed': 409,
  'invalid-bridge-period': 422,
  'invalid-sha256': 422,
  // requests
  'request-not-found': 404,
  'invalid-request': 422,
  'invalid-due-date': 422,
  'request-not-open': 409,
  'request-not-submitted': 409,
  'evidence-required': 422,
  // populations and samples
  'population-not-found': 404,
  'population-exists': 409,
  'invalid-population': 422,
  'population-too-large': 422,
  'sample-not-found': 404,
  'sample-exists': 409,
  'invalid-seed': 422,
  // testing
  'testing-closed': 409,
  'occurrence-not-sampled': 422,
  'invalid-test-result': 422,
  'exception-not-found': 404,
  'exception-exists': 409,
  'management-response-exists': 409,
  // free texts (@attest/decider's requiredText/optionalText)
  'text-required': 422,
  'text-too-long': 422,
} as const;

export type EngagementRefusal = keyof typeof ENGAGEMENT_REFUSALS;
