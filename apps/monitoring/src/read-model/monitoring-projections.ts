import type {
  AlertAcknowledgedData,
  AlertRaisedData,
  AlertResolvedData,
  AlertSnoozedData,
  ControlHealthChangedData,
  ExceptionAcceptedData,
  ExceptionExpiredData,
  MonitoringTestChangedData,
  MonitoringTestDefinedData,
  WebhookEndpointRegisteredData,
  WebhookEndpointRemovedData,
} from '@attest/monitoring-domain';
import { sqlIdent, type Projection } from '@attest/event-store';

/*
 * The read model of the monitoring service's aggregates other than results (see results-projection.ts). Every row is
 * keyed by tenant first and written within the tenant of its event; `stream_version` is the aggregate's version (its
 * ETag) and guards each update, so an event applied again changes nothing. Dates and instants are kept as the events
 * give them.
 */

/** The tenant's own tests, each at its current version (shipped tests are code: the read model lists them). */
export function customTestsProjection(): Projection {
  return {
    name: 'custom-tests',
    eventTypes: ['MonitoringTestDefined', 'MonitoringTestChanged'],
    async setup(tx, schema) {
      await tx.query(`CREATE TABLE IF NOT EXISTS ${sqlIdent(schema)}.custom_tests (
        tenant_id text NOT NULL,
        test_id text NOT NULL,
        version integer NOT NULL,
        definition jsonb NOT NULL,
        defined_at text NOT NULL,
        defined_by jsonb NOT NULL,
        changed_at text NOT NULL,
        changed_by jsonb NOT NULL,
        change_summary text,
        stream_version integer NOT NULL,
        PRIMARY KEY (tenant_id, test_id))`);
    },
    async reset(tx, schema) {
      await tx.query(`TRUNCATE ${sqlIdent(schema)}.custom_tests`);
    },
    async apply(tx, schema, events) {
      const s = sqlIdent(schema);
      for (const e of events) {
        if (e.type === 'MonitoringTestDefined') {
          const d = e.data as MonitoringTestDefinedData;
          await tx.query(
            `INSERT INTO ${s}.custom_tests (tenant_id, test_id, version, definition, defined_at, defined_by,
               changed_at, changed_by, stream_version)
             VALUES ($1, $2, $3, $4, $5, $6, $5, $6, $7) ON CONFLICT DO NOTHING`,
            [
              e.tenantId,
              d.testId,
              d.version,
              JSON.stringify(d.definition),
              d.definedAt,
              JSON.stringify(d.actor),
              e.streamVersion,
            ],
          );
        } else {
          const d = e.data as MonitoringTestChangedData;
          await tx.query(
            `UPDATE ${s}.custom_tests SET version = $3, definition = $4, changed_at = $5, changed_by = $6,
               change_summary = $7, stream_version = $8
             WHERE tenant_id = $1 AND test_id = $2 AND stream_version < $8`,
            [
              e.tenantId,
              d.testId,
              d.version,
              JSON.stringify(d.definition),
              d.changedAt,
              JSON.stringify(d.actor),
              d.changeSummary ?? null,
              e.streamVersion,
            ],
          );
        }
      }
    },
  };
}

/**
 * Alerts with what happened to them. The status is derived when read (a snooze ends by itself), so the row keeps
 * the facts: the last acknowledgement, the last snooze, the resolution.
 */
export function alertsProjection(): Projection {
  return {
    name: 'alerts',
    eventTypes: ['AlertRaised', 'AlertAcknowledged', 'AlertSnoozed', 'AlertResolved'],
    async setup(tx, schema) {
      const s = sqlIdent(schema);
      await tx.query(`CREATE TABLE IF NOT EXISTS ${s}.alerts (
        tenant_id text NOT NULL,
        alert_id text NOT NULL,
        test_id text NOT NULL,
        resource_type text NOT NULL,
        resource_id text NOT NULL,
        severity text NOT NULL,
        control_ids text[] NOT NULL,
        run_id text NOT NULL,
        details jsonb NOT NULL,
        raised_at text NOT NULL,
        raised_by jsonb NOT NULL,
        acknowledgement jsonb,
        snooze jsonb,
        snoozed_until text,
        resolution jsonb,
        stream_version integer NOT NULL,
        PRIMARY KEY (tenant_id, alert_id))`);
      await tx.query(
        `CREATE INDEX IF NOT EXISTS alerts_by_raise ON ${s}.alerts (tenant_id, raised_at DESC, alert_id DESC)`,
      );
    },
    async reset(tx, schema) {
      await tx.query(`TRUNCATE ${sqlIdent(schema)}.alerts`);
    },
    async apply(tx, schema, events) {
      const s = sqlIdent(schema);
      for (const e of events) {
        if (e.type === 'AlertRaised') {
          const d = e.data as AlertRaisedData;
          await tx.query(
            `INSERT INTO ${s}.alerts (tenant_id, alert_id, test_id, resource_type, resource_id, severity, control_ids,
               run_id, details, raised_at, raised_by, stream_version)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT DO NOTHING`,
            [
              e.tenantId,
              d.alertId,
              d.testId,
              d.resourceType,
              d.resourceId,
              d.severity,
              d.controlIds,
              d.runId,
              JSON.stringify(d.details),
              d.raisedAt,
              JSON.stringify(d.actor),
              e.streamVersion,
            ],
          );
          continue;
        }
        const d = e.data as AlertAcknowledgedData | AlertSnoozedData | AlertResolvedData;
        const { alertId, ...change } = d;
        const [column, extra] =
          e.type === 'AlertAcknowledged'
            ? ['acknowledgement', '']
            : e.type === 'AlertSnoozed'
              ? ['snooze', ", snoozed_until = $3::jsonb->>'until'"]
              : ['resolution', ''];
        await tx.query(
          `UPDATE ${s}.alerts SET ${column} = $3::jsonb${extra}, stream_version = $4
           WHERE tenant_id = $1 AND alert_id = $2 AND stream_version < $4`,
          [e.tenantId, alertId, JSON.stringify(change), e.streamVersion],
        );
      }
    },
  };
}

/** Exceptions: in force from their acceptance until their expiry is recorded. */
export function exceptionsProjection(): Projection {
  return {
    name: 'monitoring-exceptions',
    eventTypes: ['ExceptionAccepted', 'ExceptionExpired'],
    async setup(tx, schema) {
      const s = sqlIdent(schema);
      await tx.query(`CREATE TABLE IF NOT EXISTS ${s}.exceptions (
        tenant_id text NOT NULL,
        exception_id text NOT NULL,
        test_id text NOT NULL,
        resource_id text NOT NULL,
        reason text NOT NULL,
        expires_on text NOT NULL,
        accepted_at text NOT NULL,
        accepted_by jsonb NOT NULL,
        expired_at text,
        stream_version integer NOT NULL,
        PRIMARY KEY (tenant_id, exception_id))`);
      await tx.query(
        `CREATE INDEX IF NOT EXISTS exceptions_in_force ON ${s}.exceptions (tenant_id, test_id, resource_id)
         WHERE expired_at IS NULL`,
      );
    },
    async reset(tx, schema) {
      await tx.query(`TRUNCATE ${sqlIdent(schema)}.exceptions`);
    },
    async apply(tx, schema, events) {
      const s = sqlIdent(schema);
      for (const e of events) {
        if (e.type === 'ExceptionAccepted') {
          const d = e.data as ExceptionAcceptedData;
          await tx.query(
            `INSERT INTO ${s}.exceptions (tenant_id, exception_id, test_id, resource_id, reason, expires_on,
               accepted_at, accepted_by, stream_version)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING`,
            [
              e.tenantId,
              d.exceptionId,
              d.testId,
              d.resourceId,
              d.reason,
              d.expiresOn,
              d.acceptedAt,
              JSON.stringify(d.actor),
              e.streamVersion,
            ],
          );
        } else {
          const d = e.data as ExceptionExpiredData;
          await tx.query(
            `UPDATE ${s}.exceptions SET expired_at = $3, stream_version = $4
             WHERE tenant_id = $1 AND exception_id = $2 AND stream_version < $4`,
            [e.tenantId, d.exceptionId, d.expiredAt, e.streamVersion],
          );
        }
      }
    },
  };
}

/** Each control's latest health, the criteria it is mapped to and why. */
export function controlHealthProjection(): Projection {
  return {
    name: 'control-health',
    eventTypes: ['ControlHealthChanged'],
    async setup(tx, schema) {
      await tx.query(`CREATE TABLE IF NOT EXISTS ${sqlIdent(schema)}.control_health (
        tenant_id text NOT NULL,
        control_id text NOT NULL,
        health text NOT NULL,
        previous text,
        criteria text[] NOT NULL,
        reasons jsonb NOT NULL,
        changed_at text NOT NULL,
        stream_version integer NOT NULL,
        PRIMARY KEY (tenant_id, control_id))`);
    },
    async reset(tx, schema) {
      await tx.query(`TRUNCATE ${sqlIdent(schema)}.control_health`);
    },
    async apply(tx, schema, events) {
      for (const e of events) {
        const d = e.data as ControlHealthChangedData;
        await tx.query(
          `INSERT INTO ${sqlIdent(schema)}.control_health AS cur (tenant_id, control_id, health, previous, criteria,
             reasons, changed_at, stream_version)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
           ON CONFLICT (tenant_id, control_id) DO UPDATE SET health = EXCLUDED.health, previous = EXCLUDED.previous,
             criteria = EXCLUDED.criteria, reasons = EXCLUDED.reasons, changed_at = EXCLUDED.changed_at,
             stream_version = EXCLUDED.stream_version
           WHERE cur.stream_version < EXCLUDED.stream_version`,
          [
            e.tenantId,
            d.controlId,
            d.health,
            d.previous,
            d.criteria,
            JSON.stringify(d.reasons),
            d.changedAt,
            e.streamVersion,
          ],
        );
      }
    },
  };
}

/** Webhook endpoints as registered (their signing secrets are never in events, nor here), and their removal. */
export function webhookEndpointsProjection(): Projection {
  return {
    name: 'webhook-endpoints',
    eventTypes: ['WebhookEndpointRegistered', 'WebhookEndpointRemoved'],
    async setup(tx, schema) {
      await tx.query(`CREATE TABLE IF NOT EXISTS ${sqlIdent(schema)}.webhook_endpoints (
        tenant_id text NOT NULL,
        endpoint_id text NOT NULL,
        url text NOT NULL,
        event_types text[] NOT NULL,
        description text,
        registered_at text NOT NULL,
        registered_by jsonb NOT NULL,
        removed_at text,
        stream_version integer NOT NULL,
        PRIMARY KEY (tenant_id, endpoint_id))`);
    },
    async reset(tx, schema) {
      await tx.query(`TRUNCATE ${sqlIdent(schema)}.webhook_endpoints`);
    },
    async apply(tx, schema, events) {
      const s = sqlIdent(schema);
      for (const e of events) {
        if (e.type === 'WebhookEndpointRegistered') {
          const d = e.data as WebhookEndpointRegisteredData;
          await tx.query(
            `INSERT INTO ${s}.webhook_endpoints (tenant_id, endpoint_id, url, event_types, description,
               registered_at, registered_by, stream_version)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
            [
              e.tenantId,
              d.endpointId,
              d.url,
              d.eventTypes,
              d.description ?? null,
              d.registeredAt,
              JSON.stringify(d.actor),
              e.streamVersion,
            ],
          );
        } else {
          const d = e.data as WebhookEndpointRemovedData;
          await tx.query(
            `UPDATE ${s}.webhook_endpoints SET removed_at = $3, stream_version = $4
             WHERE tenant_id = $1 AND endpoint_id = $2 AND stream_version < $4`,
            [e.tenantId, d.endpointId, d.removedAt, e.streamVersion],
          );
        }
      }
    },
  };
}
