import type { Pool, PoolClient } from 'pg';
import { setUpUnderLock } from '@attest/event-store';

/** Where the orchestrator keeps each tenant's audit periods, in its database `attest_orchestrator`. */
export const AUDIT_PERIODS_TABLE = 'lifecycle_bridge.audit_periods';
/** The period each engagement belongs to: the tenant's current one when the bridge first saw the engagement. */
const ENGAGEMENT_PERIODS_TABLE = 'lifecycle_bridge.engagement_periods';

type Db = Pick<PoolClient, 'query'>;

/** Creates the tables (once; instances starting together take turns). */
export async function setUpAuditPeriods(pool: Pool): Promise<void> {
  await setUpUnderLock(pool, `${AUDIT_PERIODS_TABLE}:setup`, async (client) => {
    await client.query('CREATE SCHEMA IF NOT EXISTS lifecycle_bridge');
    await client.query(`CREATE TABLE IF NOT EXISTS ${AUDIT_PERIODS_TABLE} (
      tenant_id text NOT NULL,
      period text NOT NULL,
      started_at timestamptz NOT NULL,
      PRIMARY KEY (tenant_id, period))`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${ENGAGEMENT_PERIODS_TABLE} (
      tenant_id text NOT NULL,
      engagement_id text NOT NULL,
      period text NOT NULL,
      PRIMARY KEY (tenant_id, engagement_id))`);
  });
}

/**
 * Records that the lifecycle of a tenant's period started (by the bridge's first event for it, or by
 * `startNextPeriod` when a period hands over to the next): the latest one started is the tenant's current period.
 * Recording a period again changes nothing.
 */
export async function recordAuditPeriod(
  db: Db,
  tenantId: string,
  period: string,
  startedAt: Date,
): Promise<void> {
  await db.query(
    `INSERT INTO ${AUDIT_PERIODS_TABLE} (tenant_id, period, started_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
    [tenantId, period, startedAt],
  );
}

/** The period an event belongs to, and whether this event made it the tenant's first. */
export interface CurrentAuditPeriod {
  period: string;
  /** No period of the tenant was recorded before: its first lifecycle starts with this event. */
  first: boolean;
}

/**
 * The period whose lifecycle an event of the tenant belongs to: the one started last, or, before any, the year
 * (UTC) of the event, recorded as started then, so the tenant's later events go to the same lifecycle even after
 * the new year.
 */
async function currentAuditPeriod(db: Db, tenantId: string, eventTime: string): Promise<CurrentAuditPeriod> {
  const latest = await db.query<{ period: string }>(
    `SELECT period FROM ${AUDIT_PERIODS_TABLE} WHERE tenant_id = $1 ORDER BY started_at DESC, period DESC LIMIT 1`,
    [tenantId],
  );
  if (latest.rows[0]) return { period: latest.rows[0].period, first: false };
  const at = new Date(eventTime);
  const period = String(at.getUTCFullYear());
  await recordAuditPeriod(db, tenantId, period, at);
  return { period, first: true };
}

/**
 * The period whose lifecycle an event belongs to. An engagement's events go to the period it was first seen in
 * (its `EngagementPlanned`, normally): the report hands the tenant over to the next period (`startNextPeriod`), but
 * the bridge letter issued after it still belongs to the audit it bridges. Any other event goes to the tenant's
 * current period.
 */
export async function auditPeriodOf(
  db: Db,
  tenantId: string,
  eventTime: string,
  engagementId?: string,
): Promise<CurrentAuditPeriod> {
  if (engagementId === undefined) return currentAuditPeriod(db, tenantId, eventTime);
  const known = await db.query<{ period: string }>(
    `SELECT period FROM ${ENGAGEMENT_PERIODS_TABLE} WHERE tenant_id = $1 AND engagement_id = $2`,
    [tenantId, engagementId],
  );
  if (known.rows[0]) return { period: known.rows[0].period, first: false };
  const current = await currentAuditPeriod(db, tenantId, eventTime);
  // Another group handling the same engagement at once (a replay) may have recorded it first: its period stands.
  const recorded = await db.query<{ period: string }>(
    `INSERT INTO ${ENGAGEMENT_PERIODS_TABLE} AS e (tenant_id, engagement_id, period) VALUES ($1, $2, $3)
     ON CONFLICT (tenant_id, engagement_id) DO UPDATE SET period = e.period RETURNING period`,
    [tenantId, engagementId, current.period],
  );
  return { ...current, period: recorded.rows[0]?.period ?? current.period };
}
