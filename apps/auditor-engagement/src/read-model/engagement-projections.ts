import type {
  AuditFirmRegisteredData,
  AuditorInvitationAcceptedData,
  AuditorInvitedData,
  AuditorRemovedData,
  EngagementPlannedData,
  EngagementScopeChangedData,
  EngagementStatusChangedData,
  FirmAuditorAddedData,
  ReportIssuedData,
  SampleSizeTableSetData,
} from '@attest/engagement-domain';
import { sqlIdent, type Projection } from '@attest/event-store';

/*
 * The read model of firms and engagements. Every row is keyed by tenant first and written within the tenant of its
 * event; `stream_version` is the aggregate's version (its ETag) and guards each update, so an event applied again
 * changes nothing.
 */

/** Audit firms with their auditors and sample-size table. */
export function firmsProjection(): Projection {
  return {
    name: 'audit-firms',
    eventTypes: ['AuditFirmRegistered', 'FirmAuditorAdded', 'SampleSizeTableSet'],
    async setup(tx, schema) {
      await tx.query(`CREATE TABLE IF NOT EXISTS ${sqlIdent(schema)}.firms (
        tenant_id text NOT NULL,
        firm_id text NOT NULL,
        name text NOT NULL,
        sample_size_table jsonb NOT NULL,
        auditors jsonb NOT NULL,
        registered_at text NOT NULL,
        registered_by jsonb NOT NULL,
        stream_version integer NOT NULL,
        PRIMARY KEY (tenant_id, firm_id))`);
    },
    async reset(tx, schema) {
      await tx.query(`TRUNCATE ${sqlIdent(schema)}.firms`);
    },
    async apply(tx, schema, events) {
      const s = sqlIdent(schema);
      for (const e of events) {
        if (e.type === 'AuditFirmRegistered') {
          const d = e.data as AuditFirmRegisteredData;
          await tx.query(
            `INSERT INTO ${s}.firms VALUES ($1, $2, $3, $4, '[]', $5, $6, $7) ON CONFLICT DO NOTHING`,
            [
              e.tenantId,
              d.firmId,
              d.name,
              JSON.stringify(d.sampleSizeTable),
              d.registeredAt,
              JSON.stringify(d.actor),
              e.streamVersion,
            ],
          );
        } else if (e.type === 'FirmAuditorAdded') {
          const d = e.data as FirmAuditorAddedData;
          await tx.query(
            `UPDATE ${s}.firms SET auditors = auditors || $3::jsonb, stream_version = $4
             WHERE tenant_id = $1 AND firm_id = $2 AND stream_version < $4`,
            [e.tenantId, d.firmId, JSON.stringify([d.auditor]), e.streamVersion],
          );
        } else {
          const d = e.data as SampleSizeTableSetData;
          await tx.query(
            `UPDATE ${s}.firms SET sample_size_table = $3, stream_version = $4
             WHERE tenant_id = $1 AND firm_id = $2 AND stream_version < $4`,
            [e.tenantId, d.firmId, JSON.stringify(d.sampleSizeTable), e.streamVersion],
          );
        }
      }
    },
  };
}

/** Engagements: plan, scope, invited auditors, status and issued reports. */
export function engagementsProjection(): Projection {
  return {
    name: 'engagements',
    eventTypes: [
      'EngagementPlanned',
      'EngagementScopeChanged',
      'AuditorInvited',
      'AuditorInvitationAccepted',
      'AuditorRemoved',
      'EngagementStatusChanged',
      'ReportIssued',
    ],
    async setup(tx, schema) {
      const s = sqlIdent(schema);
      await tx.query(`CREATE TABLE IF NOT EXISTS ${s}.engagements (
        tenant_id text NOT NULL,
        engagement_id text NOT NULL,
        firm_id text NOT NULL,
        name text NOT NULL,
        type text NOT NULL,
        as_of text,
        observation_window jsonb,
        warnings jsonb NOT NULL,
        scope jsonb NOT NULL,
        status text NOT NULL,
        auditors jsonb NOT NULL,
        reports jsonb NOT NULL,
        planned_at text NOT NULL,
        planned_by jsonb NOT NULL,
        stream_version integer NOT NULL,
        PRIMARY KEY (tenant_id, engagement_id))`);
      await tx.query(
        `CREATE INDEX IF NOT EXISTS engagements_by_plan ON ${s}.engagements (tenant_id, planned_at, engagement_id)`,
      );
    },
    async reset(tx, schema) {
      await tx.query(`TRUNCATE ${sqlIdent(schema)}.engagements`);
    },
    async apply(tx, schema, events) {
      const s = sqlIdent(schema);
      const update = (set: string, engagementId: string, tenantId: string, version: number, value: unknown) =>
        tx.query(
          `UPDATE ${s}.engagements SET ${set}, stream_version = $4
           WHERE tenant_id = $1 AND engagement_id = $2 AND stream_version < $4`,
          [tenantId, engagementId, value, version],
        );
      for (const e of events) {
        switch (e.type) {
          case 'EngagementPlanned': {
            const d = e.data as EngagementPlannedData;
            await tx.query(
              `INSERT INTO ${s}.engagements VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'planned', '[]', '[]', $10, $11, $12)
               ON CONFLICT DO NOTHING`,
              [
                e.tenantId,
                d.engagementId,
                d.firmId,
                d.name,
                d.type,
                d.asOf ?? null,
                d.window ? JSON.stringify(d.window) : null,
                JSON.stringify(d.warnings),
                JSON.stringify(d.scope),
                d.plannedAt,
                JSON.stringify(d.actor),
                e.streamVersion,
              ],
            );
            break;
          }
          case 'EngagementScopeChanged': {
            const d = e.data as EngagementScopeChangedData;
            await update('scope = $3', d.engagementId, e.tenantId, e.streamVersion, JSON.stringify(d.scope));
            break;
          }
          case 'AuditorInvited': {
            const d = e.data as AuditorInvitedData;
            await update(
              `auditors = (SELECT coalesce(jsonb_agg(a ORDER BY n), '[]')
                           FROM jsonb_array_elements(auditors) WITH ORDINALITY AS t(a, n)
                           WHERE a->>'auditorId' <> ($3::jsonb)->>'auditorId') || jsonb_build_array($3::jsonb)`,
              d.engagementId,
              e.tenantId,
              e.streamVersion,
              JSON.stringify({ ...d.auditor, invitedAt: d.invitedAt }),
            );
            break;
          }
          case 'AuditorInvitationAccepted': {
            const d = e.data as AuditorInvitationAcceptedData;
            await update(
              `auditors = (SELECT coalesce(jsonb_agg(CASE WHEN a->>'auditorId' = ($3::jsonb)->>'auditorId'
                             THEN a || jsonb_build_object('acceptedAt', ($3::jsonb)->>'acceptedAt') ELSE a END
                             ORDER BY n), '[]')
                           FROM jsonb_array_elements(auditors) WITH ORDINALITY AS t(a, n))`,
              d.engagementId,
              e.tenantId,
              e.streamVersion,
              JSON.stringify({ auditorId: d.auditorId, acceptedAt: d.acceptedAt }),
            );
            break;
          }
          case 'AuditorRemoved': {
            const d = e.data as AuditorRemovedData;
            await update(
              `auditors = (SELECT coalesce(jsonb_agg(a ORDER BY n), '[]')
                           FROM jsonb_array_elements(auditors) WITH ORDINALITY AS t(a, n)
                           WHERE a->>'auditorId' <> $3)`,
              d.engagementId,
              e.tenantId,
              e.streamVersion,
              d.auditorId,
            );
            break;
          }
          case 'EngagementStatusChanged': {
            const d = e.data as EngagementStatusChangedData;
            await update('status = $3', d.engagementId, e.tenantId, e.streamVersion, d.to);
            break;
          }
          case 'ReportIssued': {
            const d = e.data as ReportIssuedData;
            await update(
              `reports = reports || $3::jsonb, status = 'issued'`,
              d.engagementId,
              e.tenantId,
              e.streamVersion,
              JSON.stringify([{ reportId: d.reportId, files: d.files, issuedAt: d.issuedAt }]),
            );
            break;
          }
        }
      }
    },
  };
}
