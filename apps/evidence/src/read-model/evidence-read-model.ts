import type { Pool } from 'pg';
import type { EvidenceType } from '@attest/catalog';
import { dueSoonHorizon } from '@attest/deadlines';
import {
  collectorRunNotFound,
  freshness,
  retentionEndsOn,
  type Actor,
  type EvidenceContent,
  type EvidencePeriod,
  type EvidenceSource,
} from '@attest/evidence-domain';
import { sqlIdent } from '@attest/event-store';
import type { Clock, KnownControl } from '@attest/service-kit';
import type {
  CollectorRunSortKey,
  CollectorRunView,
  EvidenceBundleView,
  EvidenceItemFilter,
  EvidenceItemView,
  EvidenceVersionView,
  ItemSortKey,
  PageRead,
} from './evidence-views';
import { EVIDENCE_CONTROLS } from './known-controls';

/** What the views derive from the day they are read: freshness and the end of retention. */
export interface EvidenceReadSettings {
  /** The service clock: "today" (UTC) for freshness. */
  clock: Clock;
  /** Days before its last valid day an item counts as expiring (ATTEST_DEADLINE_DUE_SOON_DAYS). */
  dueSoonDays: number;
  /** Months an item is kept (ATTEST_EVIDENCE_RETENTION_MONTHS). */
  retentionMonths: number;
}

interface ItemRow {
  item_id: string;
  title: string;
  description: string | null;
  evidence_type: EvidenceType;
  control_ids: string[];
  criteria: string[];
  tags: string[];
  source: EvidenceSource;
  current_version: number;
  content: EvidenceContent;
  period_from: string;
  period_to: string;
  collected_by: Actor;
  submitted_at: string;
  updated_at: string;
  last_period_to: string;
  last_submitted_on: string;
  valid_until: string | null;
  disposed_at: string | null;
  stream_version: number;
}

interface RunRow {
  run_id: string;
  collector_id: string;
  collector_version: string;
  config: Record<string, unknown>;
  trigger: 'api' | 'schedule';
  status: CollectorRunView['status'];
  started_at: string;
  started_by: Actor;
  finished_at: string | null;
  facts: CollectorRunView['facts'] | null;
  evidence_item_ids: string[] | null;
  error: CollectorRunView['error'] | null;
  stream_version: number;
}

/**
 * Queries over the evidence read model, always within one tenant (every table is keyed by tenant first), except
 * `contentInUse`, which asks about the content store all tenants share. The tenants' controls come from
 * control-mapping's events (`evidence_controls`), whatever schema the rest is read from.
 */
export class EvidenceReadModel {
  private readonly s: string;

  /**
   * Over the live read model (the service's pool and `evidence_read`), or over one replayed into another schema for
   * an as-of view (through that view's connection): the same queries either way.
   */
  constructor(
    private readonly db: Pick<Pool, 'query'>,
    schema: string,
    private readonly settings: EvidenceReadSettings,
  ) {
    this.s = sqlIdent(schema);
  }

  async item(tenantId: string, itemId: string): Promise<EvidenceItemView | null> {
    const r = await this.db.query<ItemRow>(
      `SELECT * FROM ${this.s}.items WHERE tenant_id = $1 AND item_id = $2`,
      [tenantId, itemId],
    );
    return r.rows[0] ? this.itemView(r.rows[0]) : null;
  }

  /** The tenant's items, newest submission first (then by id), filtered; `page.limit` rows after `page.after`. */
  async items(
    tenantId: string,
    filter: EvidenceItemFilter,
    page: PageRead<ItemSortKey>,
  ): Promise<EvidenceItemView[]> {
    const params: unknown[] = [tenantId];
    const where = ['tenant_id = $1'];
    const param = (value: unknown) => `$${params.push(value)}`;
    if (filter.controlId !== undefined) where.push(`control_ids @> ARRAY[${param(filter.controlId)}::text]`);
    if (filter.linkedToAnyOf !== undefined)
      where.push(`control_ids && ${param(filter.linkedToAnyOf)}::text[]`);
    if (filter.criterion !== undefined) {
      // An item supports the criteria it names and those its linked controls are mapped to.
      const criterion = `ARRAY[${param(filter.criterion)}::text]`;
      where.push(`(criteria @> ${criterion} OR EXISTS (SELECT 1 FROM ${EVIDENCE_CONTROLS.table} c
        WHERE c.tenant_id = $1 AND c.control_id = ANY(control_ids) AND c.criteria @> ${criterion}))`);
    }
    if (filter.tag !== undefined) where.push(`tags @> ARRAY[${param(filter.tag)}::text]`);
    if (filter.evidenceType !== undefined) where.push(`evidence_type = ${param(filter.evidenceType)}`);
    if (filter.source !== undefined) where.push(`source_kind = ${param(filter.source)}`);
    if (filter.freshness !== undefined) where.push(this.freshnessCondition(filter.freshness, param));
    if (page.after)
      where.push(`(submitted_at, item_id) < (${param(page.after[0])}, ${param(page.after[1])})`);
    const r = await this.db.query<ItemRow>(
      `SELECT * FROM ${this.s}.items WHERE ${where.join(' AND ')}
       ORDER BY submitted_at DESC, item_id DESC LIMIT ${param(page.limit)}`,
      params,
    );
    return r.rows.map((row) => this.itemView(row));
  }

  /** Every version of the item, oldest first (empty for an item the tenant does not have). */
  async versions(tenantId: string, itemId: string): Promise<EvidenceVersionView[]> {
    const r = await this.db.query(
      `SELECT v.*, i.disposed_at IS NOT NULL AS disposed FROM ${this.s}.item_versions v
       JOIN ${this.s}.items i ON i.tenant_id = v.tenant_id AND i.item_id = v.item_id
       WHERE v.tenant_id = $1 AND v.item_id = $2 ORDER BY v.version`,
      [tenantId, itemId],
    );
    return r.rows.map((row) => ({
      itemId: row.item_id,
      version: row.version,
      period: row.period,
      source: row.source,
      content: row.content,
      ...(row.change_summary === null ? {} : { changeSummary: row.change_summary }),
      recordedAt: row.recorded_at,
      collectedBy: row.collected_by,
      chain: {
        eventId: row.event_id,
        tenantSequence: Number(row.tenant_sequence),
        globalPosition: Number(row.global_position),
        hash: row.hash,
      },
      disposed: row.disposed,
    }));
  }

  /** Those of `controlIds` the tenant has (control-mapping told this service about them), by code. */
  controls(tenantId: string, controlIds: readonly string[]): Promise<KnownControl[]> {
    return EVIDENCE_CONTROLS.find(this.db, tenantId, 'control_id', controlIds);
  }

  /** The tenant's controls adopted from these catalog controls, by code. */
  controlsByCatalogId(tenantId: string, catalogControlIds: readonly string[]): Promise<KnownControl[]> {
    return EVIDENCE_CONTROLS.find(this.db, tenantId, 'catalog_control_id', catalogControlIds);
  }

  /**
   * Whether a version of an item not disposed of (of any tenant: content is stored once per hash) still points at
   * the content, so disposing of one item's content never deletes bytes another item holds.
   */
  async contentInUse(sha256: string): Promise<boolean> {
    const r = await this.db.query(
      `SELECT 1 FROM ${this.s}.item_versions v JOIN ${this.s}.items i
         ON i.tenant_id = v.tenant_id AND i.item_id = v.item_id
       WHERE v.content_sha256 = $1 AND i.disposed_at IS NULL LIMIT 1`,
      [sha256],
    );
    return r.rows.length > 0;
  }

  async collectorRun(tenantId: string, runId: string): Promise<CollectorRunView | null> {
    const r = await this.db.query<RunRow>(
      `SELECT * FROM ${this.s}.collector_runs WHERE tenant_id = $1 AND run_id = $2`,
      [tenantId, runId],
    );
    return r.rows[0] ? runView(r.rows[0]) : null;
  }

  /** The tenant's collector run, or `collector-run-not-found` (404) when it has none of that id. */
  async requireCollectorRun(tenantId: string, runId: string): Promise<CollectorRunView> {
    const run = await this.collectorRun(tenantId, runId);
    if (!run) throw collectorRunNotFound(runId);
    return run;
  }

  /** The tenant's collector runs, newest start first (then by id). */
  async collectorRuns(tenantId: string, page: PageRead<CollectorRunSortKey>): Promise<CollectorRunView[]> {
    const [startedAt, runId] = page.after ?? [null, null];
    const r = await this.db.query<RunRow>(
      `SELECT * FROM ${this.s}.collector_runs
       WHERE tenant_id = $1 AND ($2::text IS NULL OR (started_at, run_id) < ($2::text, $3::text))
       ORDER BY started_at DESC, run_id DESC LIMIT $4`,
      [tenantId, startedAt, runId, page.limit],
    );
    return r.rows.map(runView);
  }

  async bundle(tenantId: string, bundleId: string): Promise<EvidenceBundleView | null> {
    const r = await this.db.query(
      `SELECT data, stream_version FROM ${this.s}.bundles WHERE tenant_id = $1 AND bundle_id = $2`,
      [tenantId, bundleId],
    );
    const row = r.rows[0];
    if (!row) return null;
    const { actor, ...issued } = row.data;
    return { ...issued, issuedBy: actor, version: row.stream_version };
  }

  /**
   * The tenant's items not disposed of whose current version stops being valid on or before `dueBy` (YYYY-MM-DD):
   * the evidence-expiry deadlines the freshness sweep raises, soonest first.
   */
  async expiringBy(
    tenantId: string,
    dueBy: string,
  ): Promise<{ itemId: string; version: number; controlIds: string[]; validUntil: string }[]> {
    const r = await this.db.query<{
      item_id: string;
      current_version: number;
      control_ids: string[];
      valid_until: string;
    }>(
      `SELECT item_id, current_version, control_ids, valid_until FROM ${this.s}.items
       WHERE tenant_id = $1 AND disposed_at IS NULL AND valid_until <= $2 ORDER BY valid_until, item_id`,
      [tenantId, dueBy],
    );
    return r.rows.map((row) => ({
      itemId: row.item_id,
      version: row.current_version,
      controlIds: row.control_ids,
      validUntil: row.valid_until,
    }));
  }

  /** Today (UTC) by the service clock. */
  private today(): string {
    return this.settings.clock.now().toISOString().slice(0, 10);
  }

  /**
   * The SQL condition of a freshness status: the same boundaries as the domain's `freshness` (expired the day after
   * the last valid day, expiring within the due-soon window through that day), so a filtered list shows exactly the
   * items whose view says that status.
   */
  private freshnessCondition(status: EvidenceItemFilter['freshness'], param: (v: unknown) => string): string {
    const now = this.settings.clock.now();
    switch (status) {
      case 'no-expiry':
        return 'valid_until IS NULL';
      case 'expired':
        return `valid_until < ${param(this.today())}`;
      case 'expiring':
        return `valid_until >= ${param(this.today())} AND valid_until <= ${param(dueSoonHorizon(now, this.settings.dueSoonDays))}`;
      default:
        return `valid_until > ${param(dueSoonHorizon(now, this.settings.dueSoonDays))}`;
    }
  }

  private itemView(row: ItemRow): EvidenceItemView {
    return {
      itemId: row.item_id,
      title: row.title,
      ...(row.description === null ? {} : { description: row.description }),
      evidenceType: row.evidence_type,
      controlIds: row.control_ids,
      criteria: row.criteria,
      tags: row.tags,
      source: row.source,
      currentVersion: row.current_version,
      content: row.content,
      period: { from: row.period_from, to: row.period_to } satisfies EvidencePeriod,
      collectedBy: row.collected_by,
      submittedAt: row.submitted_at,
      updatedAt: row.updated_at,
      freshness: {
        status: freshness(row.valid_until, this.today(), this.settings.dueSoonDays),
        validUntil: row.valid_until,
      },
      retention: {
        endsOn: retentionEndsOn(row.last_period_to, row.last_submitted_on, this.settings.retentionMonths),
        disposed: row.disposed_at !== null,
        ...(row.disposed_at === null ? {} : { disposedAt: row.disposed_at }),
      },
      version: row.stream_version,
    };
  }
}

function runView(row: RunRow): CollectorRunView {
  return {
    runId: row.run_id,
    collectorId: row.collector_id,
    collectorVersion: row.collector_version,
    config: row.config,
    trigger: row.trigger,
    status: row.status,
    startedAt: row.started_at,
    startedBy: row.started_by,
    ...(row.finished_at === null ? {} : { finishedAt: row.finished_at }),
    ...(row.facts === null ? {} : { facts: row.facts }),
    ...(row.evidence_item_ids === null ? {} : { evidenceItemIds: row.evidence_item_ids }),
    ...(row.error === null ? {} : { error: row.error }),
    version: row.stream_version,
  };
}
