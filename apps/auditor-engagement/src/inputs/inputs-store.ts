import type { Pool, PoolClient } from 'pg';
import { controlById } from '@attest/catalog';
import { sqlIdent, setUpUnderLock } from '@attest/event-store';
import { shippedTest } from '@attest/monitoring-domain';
import { KnownControls } from '@attest/service-kit';

/** A test's claims on controls, as a monitoring test definition states them. */
export interface TestControls {
  catalogControlIds: string[];
  controlIds: string[];
}

/** An evidence item's version as the evidence service announced it. */
export interface EvidenceVersionInput {
  itemId: string;
  version: number;
  period: { from: string; to: string };
  source: { kind: 'upload' } | { kind: 'collector'; collectorId: string; runId: string };
  at: string;
}

/**
 * What the other services told this one, in schema `engagement_inputs`: written by the consumers inside their
 * transactions (so a redelivered event, being a duplicate in the inbox, writes nothing), never rebuilt from the
 * service's own log. Each write answers the tenant's control ids whose inputs it changed, for the inputs-changed
 * hooks (requests fulfil themselves when their control's evidence arrives).
 */
export class InputsStore {
  readonly controls: KnownControls;
  private readonly s: string;

  constructor(readonly schema: string) {
    this.controls = new KnownControls(schema);
    this.s = sqlIdent(schema);
  }

  /** Creates the schema and the tables (once; instances starting together take turns). */
  async setUp(pool: Pool): Promise<void> {
    await this.controls.setUp(pool);
    await setUpUnderLock(pool, `${this.schema}:inputs-setup`, async (client) => {
      for (const ddl of this.tables()) await client.query(ddl);
    });
  }

  private tables(): string[] {
    const s = this.s;
    return [
      `CREATE TABLE IF NOT EXISTS ${s}.evidence_items (tenant_id text NOT NULL, item_id text NOT NULL,
         title text NOT NULL, evidence_type text NOT NULL, PRIMARY KEY (tenant_id, item_id))`,
      `CREATE TABLE IF NOT EXISTS ${s}.evidence_versions (tenant_id text NOT NULL, item_id text NOT NULL,
         version integer NOT NULL, period_from date NOT NULL, period_to date NOT NULL, source text NOT NULL,
         collector_run_id text, submitted_at text NOT NULL, PRIMARY KEY (tenant_id, item_id, version))`,
      `CREATE TABLE IF NOT EXISTS ${s}.evidence_links (tenant_id text NOT NULL, item_id text NOT NULL,
         control_id text NOT NULL, PRIMARY KEY (tenant_id, item_id, control_id))`,
      `CREATE INDEX IF NOT EXISTS evidence_links_by_control ON ${s}.evidence_links (tenant_id, control_id)`,
      `CREATE TABLE IF NOT EXISTS ${s}.collector_runs (tenant_id text NOT NULL, run_id text NOT NULL,
         collector_id text NOT NULL, finished_at text NOT NULL, evidence_item_ids text[] NOT NULL,
         PRIMARY KEY (tenant_id, run_id))`,
      `CREATE TABLE IF NOT EXISTS ${s}.test_definitions (tenant_id text NOT NULL, test_id text NOT NULL,
         catalog_control_ids text[] NOT NULL, control_ids text[] NOT NULL, PRIMARY KEY (tenant_id, test_id))`,
      `CREATE TABLE IF NOT EXISTS ${s}.test_runs (tenant_id text NOT NULL, test_id text NOT NULL,
         run_id text NOT NULL, evaluated_at text NOT NULL, counts jsonb NOT NULL,
         PRIMARY KEY (tenant_id, test_id, run_id))`,
      `CREATE TABLE IF NOT EXISTS ${s}.joiners (tenant_id text NOT NULL, person_id text NOT NULL,
         start_date date NOT NULL, PRIMARY KEY (tenant_id, person_id))`,
      `CREATE TABLE IF NOT EXISTS ${s}.policy_acceptances (tenant_id text NOT NULL, acceptance_id text NOT NULL,
         person_id text NOT NULL, policy_id text NOT NULL, version text NOT NULL, accepted_at text NOT NULL,
         PRIMARY KEY (tenant_id, acceptance_id))`,
      `CREATE TABLE IF NOT EXISTS ${s}.system_descriptions (tenant_id text PRIMARY KEY, assessment_id text NOT NULL,
         revision integer NOT NULL, description jsonb NOT NULL, revised_at text NOT NULL)`,
      `CREATE TABLE IF NOT EXISTS ${s}.criterion_conclusions (tenant_id text PRIMARY KEY,
         assessment_id text NOT NULL, criteria jsonb NOT NULL, completed_at text NOT NULL)`,
    ];
  }

  // ---- evidence ----

  async evidenceSubmitted(
    tx: PoolClient,
    tenantId: string,
    item: {
      itemId: string;
      title: string;
      evidenceType: string;
      controlIds: string[];
    } & EvidenceVersionInput,
  ): Promise<string[]> {
    await tx.query(
      `INSERT INTO ${this.s}.evidence_items (tenant_id, item_id, title, evidence_type) VALUES ($1, $2, $3, $4)
       ON CONFLICT DO NOTHING`,
      [tenantId, item.itemId, item.title, item.evidenceType],
    );
    for (const controlId of item.controlIds)
      await tx.query(`INSERT INTO ${this.s}.evidence_links VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [
        tenantId,
        item.itemId,
        controlId,
      ]);
    return this.evidenceVersioned(tx, tenantId, item);
  }

  async evidenceVersioned(tx: PoolClient, tenantId: string, v: EvidenceVersionInput): Promise<string[]> {
    await tx.query(
      `INSERT INTO ${this.s}.evidence_versions VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
      [
        tenantId,
        v.itemId,
        v.version,
        v.period.from,
        v.period.to,
        v.source.kind,
        v.source.kind === 'collector' ? v.source.runId : null,
        v.at,
      ],
    );
    return this.controlsOfItems(tx, tenantId, [v.itemId]);
  }

  async evidenceLinked(
    tx: PoolClient,
    tenantId: string,
    itemId: string,
    controlId: string,
  ): Promise<string[]> {
    const r = await tx.query(
      `INSERT INTO ${this.s}.evidence_links VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
      [tenantId, itemId, controlId],
    );
    return r.rowCount === 1 ? [controlId] : [];
  }

  async collectorRun(
    tx: PoolClient,
    tenantId: string,
    run: { runId: string; collectorId: string; finishedAt: string; evidenceItemIds: string[] },
  ): Promise<string[]> {
    await tx.query(
      `INSERT INTO ${this.s}.collector_runs VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
      [tenantId, run.runId, run.collectorId, run.finishedAt, run.evidenceItemIds],
    );
    return this.controlsOfItems(tx, tenantId, run.evidenceItemIds);
  }

  private async controlsOfItems(
    db: Pick<Pool, 'query'>,
    tenantId: string,
    itemIds: string[],
  ): Promise<string[]> {
    const r = await db.query<{ control_id: string }>(
      `SELECT DISTINCT control_id FROM ${this.s}.evidence_links WHERE tenant_id = $1 AND item_id = ANY($2::text[])
       ORDER BY control_id`,
      [tenantId, itemIds],
    );
    return r.rows.map((row) => row.control_id);
  }

  // ---- monitoring ----

  /** A custom test defined or changed: the controls it proves now (shipped tests are known from the code). */
  async testDefined(
    tx: PoolClient,
    tenantId: string,
    testId: string,
    controls: TestControls,
  ): Promise<string[]> {
    await tx.query(
      `INSERT INTO ${this.s}.test_definitions VALUES ($1, $2, $3, $4) ON CONFLICT (tenant_id, test_id)
       DO UPDATE SET catalog_control_ids = excluded.catalog_control_ids, control_ids = excluded.control_ids`,
      [tenantId, testId, controls.catalogControlIds, controls.controlIds],
    );
    return this.controlsProvenBy(tx, tenantId, testId);
  }

  async testRun(
    tx: PoolClient,
    tenantId: string,
    run: { testId: string; runId: string; evaluatedAt: string; counts: object },
  ): Promise<string[]> {
    const r = await tx.query(
      `INSERT INTO ${this.s}.test_runs VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
      [tenantId, run.testId, run.runId, run.evaluatedAt, JSON.stringify(run.counts)],
    );
    return r.rowCount === 1 ? this.controlsProvenBy(tx, tenantId, run.testId) : [];
  }

  /** The tenant's controls a test proves: those it names, and those adopting a catalog control it names. */
  async controlsProvenBy(db: Pick<Pool, 'query'>, tenantId: string, testId: string): Promise<string[]> {
    const claims = await this.testControls(db, tenantId, testId);
    if (!claims) return [];
    const r = await db.query<{ control_id: string }>(
      `SELECT control_id FROM ${this.controls.table}
       WHERE tenant_id = $1 AND (control_id = ANY($2::text[]) OR catalog_control_id = ANY($3::text[]))
       ORDER BY control_id`,
      [tenantId, claims.controlIds, claims.catalogControlIds],
    );
    return r.rows.map((row) => row.control_id);
  }

  /** A test's claims: a shipped test's from the code, a custom one's as last defined. */
  async testControls(
    db: Pick<Pool, 'query'>,
    tenantId: string,
    testId: string,
  ): Promise<TestControls | null> {
    const shipped = shippedTest(testId);
    if (shipped) return shipped.controls;
    const r = await db.query<{ catalog_control_ids: string[]; control_ids: string[] }>(
      `SELECT catalog_control_ids, control_ids FROM ${this.s}.test_definitions WHERE tenant_id = $1 AND test_id = $2`,
      [tenantId, testId],
    );
    const row = r.rows[0];
    return row ? { catalogControlIds: row.catalog_control_ids, controlIds: row.control_ids } : null;
  }

  // ---- people (control-mapping) ----

  async personJoined(
    tx: PoolClient,
    tenantId: string,
    personId: string,
    startDate: string,
  ): Promise<string[]> {
    const r = await tx.query(`INSERT INTO ${this.s}.joiners VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [
      tenantId,
      personId,
      startDate,
    ]);
    return r.rowCount === 1 ? this.humanResourcesControls(tx, tenantId) : [];
  }

  async policyAccepted(
    tx: PoolClient,
    tenantId: string,
    a: { acceptanceId: string; personId: string; policyId: string; version: string; acceptedAt: string },
  ): Promise<string[]> {
    const r = await tx.query(
      `INSERT INTO ${this.s}.policy_acceptances VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
      [tenantId, a.acceptanceId, a.personId, a.policyId, a.version, a.acceptedAt],
    );
    return r.rowCount === 1 ? this.humanResourcesControls(tx, tenantId) : [];
  }

  /** The tenant's controls adopting a human-resources catalog control: those whose occurrences are joiners. */
  async humanResourcesControls(db: Pick<Pool, 'query'>, tenantId: string): Promise<string[]> {
    const r = await db.query<{ control_id: string; catalog_control_id: string }>(
      `SELECT control_id, catalog_control_id FROM ${this.controls.table}
       WHERE tenant_id = $1 AND catalog_control_id IS NOT NULL ORDER BY control_id`,
      [tenantId],
    );
    return r.rows
      .filter((row) => controlById(row.catalog_control_id)?.domain === 'human-resources')
      .map((row) => row.control_id);
  }

  // ---- readiness ----

  /** Keeps the tenant's latest revision of the system description (a later revision or assessment wins). */
  async systemDescriptionRevised(
    tx: PoolClient,
    tenantId: string,
    d: { assessmentId: string; revision: number; systemDescription: object; revisedAt: string },
  ): Promise<void> {
    await tx.query(
      `INSERT INTO ${this.s}.system_descriptions VALUES ($1, $2, $3, $4, $5) ON CONFLICT (tenant_id) DO UPDATE
       SET assessment_id = excluded.assessment_id, revision = excluded.revision,
           description = excluded.description, revised_at = excluded.revised_at
       WHERE (${this.s}.system_descriptions.revised_at, ${this.s}.system_descriptions.revision)
             <= (excluded.revised_at, excluded.revision)`,
      [tenantId, d.assessmentId, d.revision, JSON.stringify(d.systemDescription), d.revisedAt],
    );
  }

  /** Keeps the criterion conclusions of the tenant's latest completed assessment. */
  async assessmentCompleted(
    tx: PoolClient,
    tenantId: string,
    d: { assessmentId: string; criteria: object[]; completedAt: string },
  ): Promise<void> {
    await tx.query(
      `INSERT INTO ${this.s}.criterion_conclusions VALUES ($1, $2, $3, $4) ON CONFLICT (tenant_id) DO UPDATE
       SET assessment_id = excluded.assessment_id, criteria = excluded.criteria, completed_at = excluded.completed_at
       WHERE ${this.s}.criterion_conclusions.completed_at <= excluded.completed_at`,
      [tenantId, d.assessmentId, JSON.stringify(d.criteria), d.completedAt],
    );
  }
}
