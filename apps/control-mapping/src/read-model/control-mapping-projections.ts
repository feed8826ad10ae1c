import type { PoolClient } from 'pg';
import {
  applyCatalogUpgradeToView,
  evolveControlView,
  evolvePolicy,
  type CatalogVersions,
  type ControlCatalogUpgradedData,
  type ControlEvent,
  type ControlSetCreatedData,
  type ControlView,
  type GapProposalRecordedData,
  type PointOfFocusMarkedNotApplicableData,
  type PointOfFocusNotApplicableRevokedData,
  type PolicyAcceptedData,
  type PolicyEvent,
  type PolicyState,
  type PolicyVersionTextRecordedData,
} from '@attest/control-mapping-domain';
import { sqlIdent, type Projection, type RecordedEvent } from '@attest/event-store';

/**
 * The shape of the read-model tables. Bump it when a table changes: each projection's name carries it, so its
 * checkpoint starts again from the beginning of the log, and setup drops the tables an older version left (their
 * comment names the version) before creating them anew, so they are rebuilt from the events.
 */
const READ_MODEL_VERSION = 5;
const TABLE_COMMENT = `control-mapping read model v${READ_MODEL_VERSION}`;

/** The projection's name with the read-model version, e.g. `controls.v2`. */
export function versioned(name: string): string {
  return `${name}.v${READ_MODEL_VERSION}`;
}

/**
 * Drops the projection's tables of another read-model version. Setups run one at a time (a transaction-scoped
 * lock), so two instances starting together cannot drop each other's new tables.
 */
export async function dropOutdatedTables(tx: PoolClient, schema: string, tables: string[]): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`${schema}:read-model-setup`]);
  const outdated = await tx.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = $1 AND c.relkind = 'r' AND c.relname = ANY($2)
       AND obj_description(c.oid, 'pg_class') IS DISTINCT FROM $3`,
    [schema, tables, TABLE_COMMENT],
  );
  for (const { name } of outdated.rows) await tx.query(`DROP TABLE ${sqlIdent(schema)}.${sqlIdent(name)}`);
}

/** Marks tables as this read-model version's (see dropOutdatedTables). */
export async function markTables(tx: PoolClient, schema: string, tables: string[]): Promise<void> {
  for (const table of tables)
    await tx.query(`COMMENT ON TABLE ${sqlIdent(schema)}.${sqlIdent(table)} IS '${TABLE_COMMENT}'`);
}

const CONTROL_EVENT_TYPES = [
  'ControlAdopted',
  'CustomControlAdded',
  'ControlCustomized',
  'ControlOwnerAssigned',
  'ControlImplementationChanged',
  'ControlMarkedNotApplicable',
  'ControlNotApplicableRevoked',
  'ControlOwnerRoleChanged',
  'ControlTemplateUpgraded',
];

/**
 * The organization's control sets and controls, keyed by tenant and id. A control's row keeps its read model
 * (`view`, folded by the domain's `evolveControlView`) plus the columns the API filters on (a control's health is not
 * here: it comes from monitoring, see ControlHealthStore). Every row is read and written within the tenant of the
 * event that touches it.
 */
export function controlsProjection(catalogs: CatalogVersions): Projection {
  const tables = ['control_sets', 'controls'];
  return {
    name: versioned('controls'),
    // ControlsJoinedSet only moves the set's version (its ETag); the members are the controls' own rows.
    eventTypes: [
      'ControlSetCreated',
      'ControlsJoinedSet',
      'ControlCatalogUpgraded',
      'PointOfFocusMarkedNotApplicable',
      'PointOfFocusNotApplicableRevoked',
      ...CONTROL_EVENT_TYPES,
    ],
    async setup(tx, schema) {
      const s = sqlIdent(schema);
      await dropOutdatedTables(tx, schema, tables);
      await tx.query(`CREATE TABLE IF NOT EXISTS ${s}.control_sets (
        tenant_id text NOT NULL,
        control_set_id text NOT NULL,
        name text NOT NULL,
        categories jsonb NOT NULL,
        criteria jsonb NOT NULL,
        catalog_version text NOT NULL,
        upgrades jsonb NOT NULL DEFAULT '[]'::jsonb,
        points_of_focus_not_applicable jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_at text NOT NULL,
        updated_at text NOT NULL,
        stream_version integer NOT NULL,
        PRIMARY KEY (tenant_id, control_set_id))`);
      await tx.query(`CREATE TABLE IF NOT EXISTS ${s}.controls (
        tenant_id text NOT NULL,
        control_id text NOT NULL,
        control_set_id text NOT NULL,
        catalog_control_id text,
        code text NOT NULL,
        origin text NOT NULL,
        implementation_status text NOT NULL,
        applicability text NOT NULL,
        view jsonb NOT NULL,
        updated_at text NOT NULL,
        stream_version integer NOT NULL,
        PRIMARY KEY (tenant_id, control_id))`);
      await tx.query(
        `CREATE INDEX IF NOT EXISTS controls_by_code ON ${s}.controls (tenant_id, code, control_id)`,
      );
      await markTables(tx, schema, tables);
    },
    async reset(tx, schema) {
      await tx.query(`TRUNCATE ${sqlIdent(schema)}.control_sets, ${sqlIdent(schema)}.controls`);
    },
    async apply(tx, schema, events) {
      const s = sqlIdent(schema);
      for (const e of events) {
        if (e.type === 'ControlSetCreated') {
          const d = e.data as ControlSetCreatedData;
          await tx.query(
            `INSERT INTO ${s}.control_sets (tenant_id, control_set_id, name, categories, criteria, catalog_version,
               created_at, updated_at, stream_version) VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8)
             ON CONFLICT DO NOTHING`,
            [
              e.tenantId,
              d.controlSetId,
              d.name,
              JSON.stringify(d.categories),
              JSON.stringify(d.criteria),
              d.catalogVersion,
              d.createdAt,
              e.streamVersion,
            ],
          );
        } else if (e.type === 'ControlsJoinedSet') {
          await tx.query(
            `UPDATE ${s}.control_sets SET stream_version = $3 WHERE tenant_id = $1 AND control_set_id = $2`,
            [e.tenantId, e.streamId, e.streamVersion],
          );
        } else if (e.type === 'PointOfFocusMarkedNotApplicable') {
          const d = e.data as PointOfFocusMarkedNotApplicableData;
          await tx.query(
            `UPDATE ${s}.control_sets SET points_of_focus_not_applicable = points_of_focus_not_applicable
               || jsonb_build_object($3::text, $4::jsonb), updated_at = $5, stream_version = $6
             WHERE tenant_id = $1 AND control_set_id = $2`,
            [
              e.tenantId,
              d.controlSetId,
              d.pointOfFocusRef,
              JSON.stringify({
                criterionId: d.criterionId,
                justification: d.justification,
                markedAt: d.markedAt,
              }),
              d.markedAt,
              e.streamVersion,
            ],
          );
        } else if (e.type === 'PointOfFocusNotApplicableRevoked') {
          const d = e.data as PointOfFocusNotApplicableRevokedData;
          await tx.query(
            `UPDATE ${s}.control_sets SET points_of_focus_not_applicable = points_of_focus_not_applicable - $3::text,
               updated_at = $4, stream_version = $5
             WHERE tenant_id = $1 AND control_set_id = $2`,
            [e.tenantId, d.controlSetId, d.pointOfFocusRef, d.revokedAt, e.streamVersion],
          );
        } else if (e.type === 'ControlCatalogUpgraded') {
          const d = e.data as ControlCatalogUpgradedData;
          await tx.query(
            `UPDATE ${s}.control_sets SET catalog_version = $3, updated_at = $4,
               upgrades = upgrades || jsonb_build_array($5::jsonb), stream_version = $6
             WHERE tenant_id = $1 AND control_set_id = $2`,
            [
              e.tenantId,
              d.controlSetId,
              d.toVersion,
              d.upgradedAt,
              JSON.stringify({
                fromVersion: d.fromVersion,
                toVersion: d.toVersion,
                upgradedAt: d.upgradedAt,
                newCatalogControlIds: d.newCatalogControlIds,
                retiredCatalogControlIds: d.retiredCatalogControlIds,
              }),
              e.streamVersion,
            ],
          );
          // The set's upgrade flags customized controls in their views; their own streams do not move.
          const rows = await tx.query<{ view: ControlView; stream_version: number }>(
            `SELECT view, stream_version FROM ${s}.controls WHERE tenant_id = $1 AND control_set_id = $2`,
            [e.tenantId, d.controlSetId],
          );
          for (const { view, stream_version } of rows.rows) {
            const next = applyCatalogUpgradeToView(view, d);
            if (next !== view) await writeControl(tx, s, e.tenantId, next, stream_version);
          }
        } else {
          const controlId = (e.data as { controlId: string }).controlId;
          const row = await tx.query<{ view: ControlView }>(
            `SELECT view FROM ${s}.controls WHERE tenant_id = $1 AND control_id = $2`,
            [e.tenantId, controlId],
          );
          const next = evolveControlView(
            row.rows[0]?.view,
            { type: e.type, data: e.data } as ControlEvent,
            catalogs,
          );
          if (next) await writeControl(tx, s, e.tenantId, next, e.streamVersion);
        }
      }
    },
  };
}

/** A control's row, at the version of its stream the view shows. */
async function writeControl(
  tx: PoolClient,
  s: string,
  tenantId: string,
  view: ControlView,
  streamVersion: number,
): Promise<void> {
  await tx.query(
    `INSERT INTO ${s}.controls (tenant_id, control_id, control_set_id, catalog_control_id, code, origin,
       implementation_status, applicability, view, updated_at, stream_version)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     ON CONFLICT (tenant_id, control_id) DO UPDATE SET code = EXCLUDED.code,
       implementation_status = EXCLUDED.implementation_status, applicability = EXCLUDED.applicability,
       view = EXCLUDED.view, updated_at = EXCLUDED.updated_at,
       stream_version = EXCLUDED.stream_version`,
    [
      tenantId,
      view.controlId,
      view.controlSetId,
      view.catalogControlId ?? null,
      view.code,
      view.origin,
      view.implementation.status,
      view.applicability.status,
      JSON.stringify(view),
      view.updatedAt,
      streamVersion,
    ],
  );
}

const POLICY_EVENT_TYPES = [
  'PolicyAdopted',
  'PolicyVersionDrafted',
  'PolicyVersionTextRecorded',
  'PolicyApproved',
  'PolicyPublished',
  'PolicyAcceptanceRequired',
  'PolicyAccepted',
  'PolicyAudienceSet',
  'PolicyReviewed',
];

/**
 * Policies (their state as the domain folds it), the text of each version, and the acceptance records: one row per
 * person and version, with the hash of the text accepted, queryable by person and by version (audit evidence). All
 * keyed by tenant first.
 */
export function policiesProjection(): Projection {
  const tables = ['policies', 'policy_versions', 'policy_acceptances'];
  return {
    name: versioned('policies'),
    eventTypes: POLICY_EVENT_TYPES,
    async setup(tx, schema) {
      const s = sqlIdent(schema);
      await dropOutdatedTables(tx, schema, tables);
      await tx.query(`CREATE TABLE IF NOT EXISTS ${s}.policies (
        tenant_id text NOT NULL,
        policy_id text NOT NULL,
        title text NOT NULL,
        state jsonb NOT NULL,
        adopted_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        stream_version integer NOT NULL,
        PRIMARY KEY (tenant_id, policy_id))`);
      await tx.query(
        `CREATE INDEX IF NOT EXISTS policies_by_title ON ${s}.policies (tenant_id, title, policy_id)`,
      );
      await tx.query(`CREATE TABLE IF NOT EXISTS ${s}.policy_versions (
        tenant_id text NOT NULL,
        policy_id text NOT NULL,
        version text NOT NULL,
        content_sha256 text NOT NULL,
        content text NOT NULL,
        PRIMARY KEY (tenant_id, policy_id, version))`);
      // accepted_at is the event's time (ISO 8601, UTC; the server's since issue 10, a request's before), kept as the
      // event says it: any instant the contract admits must fit, and PostgreSQL's timestamptz has no year 0.
      await tx.query(`CREATE TABLE IF NOT EXISTS ${s}.policy_acceptances (
        tenant_id text NOT NULL,
        acceptance_id text NOT NULL,
        policy_id text NOT NULL,
        version text NOT NULL,
        person_id text NOT NULL,
        person jsonb NOT NULL,
        method text NOT NULL,
        content_sha256 text NOT NULL,
        accepted_at text NOT NULL,
        actor jsonb NOT NULL,
        event_id uuid NOT NULL,
        recorded_at timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, acceptance_id))`);
      await tx.query(
        `CREATE INDEX IF NOT EXISTS policy_acceptances_by_person ON ${s}.policy_acceptances (tenant_id, policy_id, person_id, version)`,
      );
      await tx.query(
        `CREATE INDEX IF NOT EXISTS policy_acceptances_by_time ON ${s}.policy_acceptances (tenant_id, policy_id, accepted_at, acceptance_id)`,
      );
      await markTables(tx, schema, tables);
    },
    async reset(tx, schema) {
      const s = sqlIdent(schema);
      await tx.query(`TRUNCATE ${s}.policies, ${s}.policy_versions, ${s}.policy_acceptances`);
    },
    async apply(tx, schema, events) {
      const s = sqlIdent(schema);
      for (const e of events) {
        const policyId = (e.data as { policyId: string }).policyId;
        const state = await foldStateRow<PolicyState, PolicyEvent>(
          tx,
          `${s}.policies`,
          'policy_id',
          policyId,
          e,
          evolvePolicy,
        );
        if (state.kind === 'policy')
          await tx.query(
            `INSERT INTO ${s}.policies (tenant_id, policy_id, title, state, adopted_at, updated_at, stream_version)
             VALUES ($1, $2, $3, $4, $5, $5, $6)
             ON CONFLICT (tenant_id, policy_id) DO UPDATE SET title = EXCLUDED.title, state = EXCLUDED.state,
               updated_at = $5, stream_version = $6`,
            [e.tenantId, policyId, state.title, JSON.stringify(state), e.recordedAt, e.streamVersion],
          );
        if (e.type === 'PolicyVersionTextRecorded') {
          const d = e.data as PolicyVersionTextRecordedData;
          await tx.query(
            `INSERT INTO ${s}.policy_versions (tenant_id, policy_id, version, content_sha256, content)
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
            [e.tenantId, d.policyId, d.version, d.contentSha256, d.content],
          );
        }
        if (e.type === 'PolicyAccepted') await writeAcceptance(tx, s, e);
      }
    },
  };
}

/**
 * The aggregate state a read-model row keeps in its `state` column, after one more event: the row's state (or none)
 * folded by the domain's evolve. The caller writes it back with the columns its table adds.
 */
export async function foldStateRow<S, E extends { type: string }>(
  tx: PoolClient,
  table: string,
  idColumn: string,
  id: string,
  e: RecordedEvent,
  evolve: (state: S, event: E) => S,
): Promise<S> {
  const row = await tx.query<{ state: S }>(
    `SELECT state FROM ${table} WHERE tenant_id = $1 AND ${idColumn} = $2`,
    [e.tenantId, id],
  );
  return evolve(row.rows[0]?.state ?? ({ kind: 'none' } as S), {
    type: e.type,
    data: e.data,
  } as unknown as E);
}

async function writeAcceptance(tx: PoolClient, s: string, e: RecordedEvent): Promise<void> {
  const d = e.data as PolicyAcceptedData;
  await tx.query(
    `INSERT INTO ${s}.policy_acceptances (tenant_id, acceptance_id, policy_id, version, person_id, person, method,
       content_sha256, accepted_at, actor, event_id, recorded_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT DO NOTHING`,
    [
      e.tenantId,
      d.acceptanceId,
      d.policyId,
      d.version,
      d.person.personId,
      JSON.stringify(d.person),
      d.method,
      d.contentSha256,
      d.acceptedAt,
      JSON.stringify(d.actor),
      e.eventId,
      e.recordedAt,
    ],
  );
}

/** The gaps readiness identified, with the catalog controls proposed for them (the proposals' source). */
export function readinessGapsProjection(): Projection {
  const tables = ['gap_proposals'];
  return {
    name: versioned('readiness-gaps'),
    eventTypes: ['GapProposalRecorded'],
    async setup(tx, schema) {
      const s = sqlIdent(schema);
      await dropOutdatedTables(tx, schema, tables);
      // identified_at is readiness's time as its event gave it (ISO 8601), ordered as text.
      await tx.query(`CREATE TABLE IF NOT EXISTS ${s}.gap_proposals (
        tenant_id text NOT NULL,
        gap_id text NOT NULL,
        assessment_id text NOT NULL,
        data jsonb NOT NULL,
        identified_at text NOT NULL,
        PRIMARY KEY (tenant_id, gap_id))`);
      await markTables(tx, schema, tables);
    },
    async reset(tx, schema) {
      await tx.query(`TRUNCATE ${sqlIdent(schema)}.gap_proposals`);
    },
    async apply(tx, schema, events) {
      const s = sqlIdent(schema);
      for (const e of events) {
        const d = e.data as GapProposalRecordedData;
        await tx.query(
          `INSERT INTO ${s}.gap_proposals (tenant_id, gap_id, assessment_id, data, identified_at)
           VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
          [e.tenantId, d.gapId, d.assessmentId, JSON.stringify(d), d.identifiedAt],
        );
      }
    },
  };
}
