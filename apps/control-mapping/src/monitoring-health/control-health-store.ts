import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import type { PoolClient } from 'pg';
import type { ControlHealth } from '@attest/control-mapping-domain';
import { runMigrations, sqlIdent } from '@attest/event-store';
import { CLOCK, parseAsOf, type Clock } from '@attest/service-kit';
import { CONTROL_MAPPING_OPTIONS, type ResolvedOptions } from '../control-mapping-options';

/**
 * The schema of the controls' health as monitoring's events report it. Not `control_mapping_read`: that read model
 * is rebuilt from this service's own log (all of it on a new layout, a tenant's rows after an erasure), and these
 * rows could not be rebuilt from it; they come from another service's topic, once, through the consumer group.
 */
export const CONTROL_HEALTH_SCHEMA = 'control_mapping_health';
const TABLE = `${sqlIdent(CONTROL_HEALTH_SCHEMA)}.health_changes`;

/**
 * Every health change of every control, keyed by the position of its event in the control's health stream: a
 * redelivered event adds nothing, one arriving late does not overwrite a newer one, and the health at a past moment
 * (the coverage matrix `asOf`) is the last change until then.
 */
@Injectable()
export class ControlHealthStore implements OnModuleInit {
  constructor(
    @Inject(CONTROL_MAPPING_OPTIONS) private readonly options: ResolvedOptions,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async onModuleInit(): Promise<void> {
    await runMigrations(this.options.pool, 'control-mapping-health', [
      {
        version: 1,
        name: 'health changes',
        up: async (client) => {
          await client.query(`CREATE SCHEMA IF NOT EXISTS ${sqlIdent(CONTROL_HEALTH_SCHEMA)}`);
          await client.query(`CREATE TABLE ${TABLE} (
            tenant_id text NOT NULL,
            control_id text NOT NULL,
            stream_version integer NOT NULL,
            health text NOT NULL,
            changed_at timestamptz NOT NULL,
            PRIMARY KEY (tenant_id, control_id, stream_version))`);
        },
      },
    ]);
  }

  /** Records a change in the consumer's transaction; answers whether it is new here. */
  async record(
    tx: PoolClient,
    tenantId: string,
    change: { controlId: string; health: ControlHealth; changedAt: string },
    streamVersion: number,
  ): Promise<boolean> {
    const r = await tx.query(
      `INSERT INTO ${TABLE} (tenant_id, control_id, stream_version, health, changed_at)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
      [tenantId, change.controlId, streamVersion, change.health, change.changedAt],
    );
    return r.rowCount === 1;
  }

  /**
   * Each control's latest health; controls never assessed are absent. With `asOf` (as the coverage routes take it,
   * already checked by their read of the log) the health as monitoring had assessed it by then: by that time, or by
   * the time this service recorded the event at that position.
   */
  async healthOf(tenantId: string, asOf?: string): Promise<Map<string, ControlHealth>> {
    const at = asOf === undefined ? undefined : parseAsOf(asOf, this.clock.now());
    const params: unknown[] = [tenantId];
    let until = '';
    if (at && 'recordedAt' in at) until = `AND changed_at <= $${params.push(at.recordedAt)}`;
    if (at && 'globalPosition' in at)
      until = `AND changed_at <= (SELECT recorded_at FROM event_store.events
        WHERE tenant_id = $1 AND global_position = $${params.push(at.globalPosition)})`;
    const r = await this.options.pool.query<{ control_id: string; health: ControlHealth }>(
      `SELECT DISTINCT ON (control_id) control_id, health FROM ${TABLE} WHERE tenant_id = $1 ${until}
       ORDER BY control_id, stream_version DESC`,
      params,
    );
    return new Map(r.rows.map((row) => [row.control_id, row.health]));
  }

  /**
   * One control's latest health with its position in the control's health stream (which a control's ETag carries:
   * it moves with every change monitoring reports); undefined when monitoring never assessed the control.
   */
  async latestOf(
    tenantId: string,
    controlId: string,
  ): Promise<{ health: ControlHealth; position: number } | undefined> {
    const r = await this.options.pool.query<{ health: ControlHealth; stream_version: number }>(
      `SELECT health, stream_version FROM ${TABLE} WHERE tenant_id = $1 AND control_id = $2
       ORDER BY stream_version DESC LIMIT 1`,
      [tenantId, controlId],
    );
    const row = r.rows[0];
    return row && { health: row.health, position: row.stream_version };
  }
}
