/**
 * Every refusal of the evidence domain with the HTTP status the service answers it with: 404 for what the tenant
 * does not have, 409 for what the item's state forbids now, 422 for a request that breaks a rule, 400 for a file
 * name no request may carry, 415 for a media type evidence may not have. `content-type-mismatch` is 422, not 415:
 * the declared type is one the service takes, it is the content that is not of it.
 */
export const EVIDENCE_REFUSALS = {
  'evidence-item-not-found': 404,
  'evidence-item-exists': 409,
  'evidence-item-disposed': 409,
  'retention-period-not-over': 409,
  'unknown-control': 422,
  'unknown-criterion': 422,
  'unknown-evidence-type': 422,
  'invalid-period': 422,
  'invalid-tag': 422,
  'text-required': 422,
  'text-too-long': 422,
  'content-type-mismatch': 422,
  'unsafe-file-name': 400,
  'unsupported-media-type': 415,
  'collector-run-not-found': 404,
  'collector-run-exists': 409,
  'collector-run-finished': 409,
  'evidence-bundle-not-found': 404,
  'evidence-bundle-exists': 409,
  'empty-bundle': 422,
} as const;

export type EvidenceRefusal = keyof typeof EVIDENCE_REFUSALS;
