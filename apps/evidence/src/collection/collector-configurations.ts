import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { collectorById, REDACTED, redactSecrets, type Collector } from '@attest/collectors';
import type { CommandContext } from '@attest/command-pipeline';
import { DomainError } from '@attest/decider';
import { runMigrations, sqlIdent, withStoreTransaction } from '@attest/event-store';
import { CLOCK, PreconditionFailedError, type Clock } from '@attest/service-kit';
import { EVIDENCE_OPTIONS, type ResolvedOptions } from '../evidence-options';
import { CollectorSecrets } from './collector-secrets';
import { configOf, CollectorRuns, unknownCollector } from './collector-runs';

/**
 * Where the organizations' stored collector configurations live. Not an event stream: a configuration holds
 * secrets, and the log is published; this table keeps the secrets sealed (CollectorSecrets) and is read only to run
 * the collector. What ran with which (redacted) config is in the collector run's events.
 */
const CONFIGURATION_SCHEMA = 'evidence_config';
const TABLE = `${sqlIdent(CONFIGURATION_SCHEMA)}.collector_configurations`;

/** A stored configuration as the API shows it: secrets never, only that they are set. */
export interface CollectorConfigurationView {
  collectorId: string;
  /** The config with every secret given replaced by "[redacted]". */
  config: Record<string, unknown>;
  updatedAt: string;
  updatedBy: string;
  /** Its version (the ETag): 1 when first stored, one more with each change. */
  version: number;
}

interface Row {
  collector_id: string;
  config: Record<string, unknown>;
  secrets: string | null;
  updated_at: string;
  updated_by: string;
  version: number;
}

export function collectorConfigurationNotFound(collectorId: string): DomainError {
  return new DomainError(
    'collector-configuration-not-found',
    `the organization has stored no configuration for the collector ${collectorId}`,
    { collectorId },
  );
}

/**
 * The organization's configuration of each collector, kept so that a schedule runs the collector without a person
 * typing the config (`PUT /v1/collector-configurations/{collectorId}`, then the orchestrator's system route). The
 * config is checked like a run's; its secrets (the schema's `x-secret` properties) are sealed at rest and never
 * answered. A secret given as "[redacted]" (the GET answer sent back) keeps the stored one.
 */
@Injectable()
export class CollectorConfigurations implements OnModuleInit {
  constructor(
    @Inject(EVIDENCE_OPTIONS) private readonly options: ResolvedOptions,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly secrets: CollectorSecrets,
    private readonly runs: CollectorRuns,
  ) {}

  async onModuleInit(): Promise<void> {
    await runMigrations(this.options.pool, 'evidence-collector-configurations', [
      {
        version: 1,
        name: 'collector configurations',
        up: async (client) => {
          await client.query(`CREATE SCHEMA IF NOT EXISTS ${sqlIdent(CONFIGURATION_SCHEMA)}`);
          await client.query(`CREATE TABLE ${TABLE} (
            tenant_id text NOT NULL,
            collector_id text NOT NULL,
            config jsonb NOT NULL,
            secrets text,
            updated_at text NOT NULL,
            updated_by text NOT NULL,
            version integer NOT NULL,
            PRIMARY KEY (tenant_id, collector_id))`);
        },
      },
    ]);
  }

  /**
   * Stores (or replaces) the tenant's configuration of a collector. `expectedVersion` (If-Match) must name the
   * stored version (412 otherwise, also when none is stored). Answers the view and whether it was new.
   */
  async put(
    context: CommandContext,
    collectorId: string,
    given: unknown,
    expectedVersion?: number,
  ): Promise<{ view: CollectorConfigurationView; created: boolean }> {
    const collector = collectorById(collectorId);
    if (!collector) throw unknownCollector(collectorId);
    const owner = { tenantId: context.tenantId, collectorId };
    return withStoreTransaction(this.options.pool, async (tx) => {
      const stored = await this.row(tx, context.tenantId, collectorId, true);
      if (expectedVersion !== undefined && stored?.version !== expectedVersion)
        throw new PreconditionFailedError();
      const keptSecrets = stored?.secrets ? this.secrets.open(owner, stored.secrets) : {};
      const config = configOf(collector, withKeptSecrets(collector, given, keptSecrets));
      const secretValues = secretsOf(collector, config);
      const row: Row = {
        collector_id: collectorId,
        config: redactSecrets(collector, config),
        secrets: Object.keys(secretValues).length ? this.secrets.seal(owner, secretValues) : null,
        updated_at: this.clock.now().toISOString(),
        updated_by: context.actorId,
        version: (stored?.version ?? 0) + 1,
      };
      await tx.query(
        `INSERT INTO ${TABLE} (tenant_id, collector_id, config, secrets, updated_at, updated_by, version)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (tenant_id, collector_id) DO UPDATE SET config = EXCLUDED.config, secrets = EXCLUDED.secrets,
           updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by, version = EXCLUDED.version`,
        [context.tenantId, collectorId, row.config, row.secrets, row.updated_at, row.updated_by, row.version],
      );
      return { view: viewOf(row), created: stored === null };
    });
  }

  async get(tenantId: string, collectorId: string): Promise<CollectorConfigurationView> {
    const row = await this.row(this.options.pool, tenantId, collectorId);
    if (!row) throw collectorConfigurationNotFound(collectorId);
    return viewOf(row);
  }

  /** The tenant's configurations by collector id, after `after`. */
  async list(
    tenantId: string,
    page: { after?: string; limit: number },
  ): Promise<CollectorConfigurationView[]> {
    const r = await this.options.pool.query<Row>(
      `SELECT collector_id, config, secrets, updated_at, updated_by, version FROM ${TABLE}
       WHERE tenant_id = $1 AND ($2::text IS NULL OR collector_id > $2) ORDER BY collector_id LIMIT $3`,
      [tenantId, page.after ?? null, page.limit],
    );
    return r.rows.map(viewOf);
  }

  /**
   * Runs the collector with the stored configuration (secrets opened for the run only) in `context`, as a
   * schedule does: trigger `schedule`.
   */
  async run(context: CommandContext, collectorId: string): Promise<{ runId: string; version: number }> {
    const row = await this.row(this.options.pool, context.tenantId, collectorId);
    if (!row) throw collectorConfigurationNotFound(collectorId);
    const secrets = row.secrets
      ? this.secrets.open({ tenantId: context.tenantId, collectorId }, row.secrets)
      : {};
    return this.runs.run(context, {
      collectorId,
      config: { ...row.config, ...secrets },
      trigger: 'schedule',
    });
  }

  private async row(
    db: Pick<PoolClient, 'query'>,
    tenantId: string,
    collectorId: string,
    forUpdate = false,
  ): Promise<Row | null> {
    const r = await db.query<Row>(
      `SELECT collector_id, config, secrets, updated_at, updated_by, version FROM ${TABLE}
       WHERE tenant_id = $1 AND collector_id = $2 ${forUpdate ? 'FOR UPDATE' : ''}`,
      [tenantId, collectorId],
    );
    return r.rows[0] ?? null;
  }
}

function viewOf(row: Row): CollectorConfigurationView {
  return {
    collectorId: row.collector_id,
    config: row.config,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
    version: row.version,
  };
}

function secretNames(collector: Collector): string[] {
  return Object.entries(collector.configSchema.properties)
    .filter(([, property]) => property['x-secret'])
    .map(([name]) => name);
}

/** The config's secret values (present ones only). */
function secretsOf(collector: Collector, config: unknown): Record<string, unknown> {
  const values = config as Record<string, unknown>;
  return Object.fromEntries(
    secretNames(collector)
      .filter((name) => values[name] !== undefined)
      .map((name) => [name, values[name]]),
  );
}

/** The given config with each secret given as "[redacted]" replaced by the stored one (refused if none). */
function withKeptSecrets(collector: Collector, given: unknown, kept: Record<string, unknown>): unknown {
  if (typeof given !== 'object' || given === null || Array.isArray(given)) return given;
  const config = { ...(given as Record<string, unknown>) };
  for (const name of secretNames(collector)) {
    if (config[name] !== REDACTED) continue;
    if (kept[name] === undefined)
      throw new DomainError('invalid-collector-config', `no stored ${name} to keep for ${collector.id}`, {
        collectorId: collector.id,
        problems: [`/${name} is "${REDACTED}" but no value is stored: give the secret`],
      });
    config[name] = kept[name];
  }
  return config;
}
