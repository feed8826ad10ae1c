import type { Pool } from 'pg';
import { AuditorAccessLog, EngagementGrants } from '@attest/service-kit';

/** PostgreSQL schema of what other services tell this one and it cannot rebuild from its own log: the grants. */
export const GRANTS_SCHEMA = 'evidence_inputs';
/** PostgreSQL schema of the log of auditors' requests. */
export const ACCESS_LOG_SCHEMA = 'evidence_access';

/**
 * The engagements the auditor-engagement service announced (scope, invited auditors), in `evidence_inputs`: who
 * reaches which tenant through a grant (the authentication's TenantAccessResolver) and which controls' evidence the
 * grant shows. Written by AuditorEngagementEventsListener in the consumer's transaction.
 */
export function evidenceGrants(pool: Pool): EngagementGrants {
  return new EngagementGrants(pool, GRANTS_SCHEMA);
}

/** Every request an auditor makes through a grant, in `evidence_access`: what the company reviews. */
export function evidenceAccessLog(pool: Pool): AuditorAccessLog {
  return new AuditorAccessLog(pool, ACCESS_LOG_SCHEMA);
}
