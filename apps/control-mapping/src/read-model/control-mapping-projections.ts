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
  type PolicyAcceptedData,
  type PolicyEvent,
  type PolicyState,
  type PolicyVersionTextRecordedData,
} from '@attest/control-mapping-domain';
import { sqlIdent, type Projection, type RecordedEvent } from '@attest/event-store';

const CONTROL_EVENT_TYPES = [
  'ControlAdopted',
  'CustomControlAdded',
  'ControlCustomized',
  'ControlOwnerAssigned',
  'ControlImplementationChanged',
  'ControlMarkedNotApplicable',
  'ControlOwnerRoleChanged',
  'ControlTemplateUpgraded',
];

/**
 * The organization's control sets and controls. A control's row keeps its read model (`view`, folded by the
 * domain's `evolveControlView`) plus the columns the API filters on; `health` is the slot evidence and monitoring
 * events will fill ('unknown' until then).
 */
export function controlsProjection(catalogs: CatalogVersions): Projection {
  return {
    name: 'controls',
    eventTypes: ['ControlSetCreated', 'ControlCatalogUpgraded', ...CONTROL_EVENT_TYPES],
    async setup(tx, schema) {
      const s = sqlIdent(schema);
      await tx.query(`CREATE TABLE IF NOT EXISTS ${s}.control_sets (
        control_set_id text PRIMARY KEY,
        tenant_id text NOT NULL,
        name text NOT NULL,
        categories jsonb NOT NULL,
        criteria jsonb NOT NULL,
        catalog_version text NOT NULL,
        upgrades jsonb NOT NULL DEFAULT '[]'::jsonb,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL)`);
      await tx.query(`CREATE TABLE IF NOT EXISTS ${s}.controls (
        control_id text PRIMARY KEY,
        tenant_id text NOT NULL,
        control_set_id text NOT NULL,
        catalog_control_id text,
        code text NOT NULL,
        origin text NOT NULL,
        implementation_status text NOT NULL,
        applicability text NOT NULL,
        health text NOT NULL DEFAULT 'unknown',
        view jsonb NOT NULL,
        updated_at timestamptz NOT NULL)`);
      await tx.query(
        `CREATE INDEX IF NOT EXISTS controls_by_tenant ON ${s}.controls (tenant_id, control_set_id, code)`,
      );
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
            `INSERT INTO ${s}.control_sets (control_set_id, tenant_id, name, categories, criteria, catalog_version,
               created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) ON CONFLICT DO NOTHING`,
            [
              d.controlSetId,
              e.tenantId,
              d.name,
              JSON.stringify(d.categories),
              JSON.stringify(d.criteria),
              d.catalogVersion,
              d.createdAt,
            ],
          );
        } else if (e.type === 'ControlCatalogUpgraded') {
          const d = e.data as ControlCatalogUpgradedData;
          await tx.query(
            `UPDATE ${s}.control_sets SET catalog_version = $2, updated_at = $3,
               upgrades = upgrades || jsonb_build_array($4::jsonb) WHERE control_set_id = $1`,
            [
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
            ],
          );
          const rows = await tx.query<{ view: ControlView }>(
            `SELECT view FROM ${s}.controls WHERE control_set_id = $1`,
            [d.controlSetId],
          );
          for (const { view } of rows.rows) {
            const next = applyCatalogUpgradeToView(view, d);
            if (next !== view) await writeControl(tx, s, e.tenantId, next);
          }
        } else {
          const controlId = (e.data as { controlId: string }).controlId;
          const row = await tx.query<{ view: ControlView }>(
            `SELECT view FROM ${s}.controls WHERE control_id = $1`,
            [controlId],
          );
          const next = evolveControlView(
            row.rows[0]?.view,
            { type: e.type, data: e.data } as ControlEvent,
            catalogs,
          );
          if (next) await writeControl(tx, s, e.tenantId, next);
        }
      }
    },
  };
}

async function writeControl(tx: PoolClient, s: string, tenantId: string, view: ControlView): Promise<void> {
  await tx.query(
    `INSERT INTO ${s}.controls (control_id, tenant_id, control_set_id, catalog_control_id, code, origin,
       implementation_status, applicability, health, view, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     ON CONFLICT (control_id) DO UPDATE SET code = EXCLUDED.code, implementation_status = EXCLUDED.implementation_status,
       applicability = EXCLUDED.applicability, health = EXCLUDED.health, view = EXCLUDED.view, updated_at = EXCLUDED.updated_at`,
    [
      view.controlId,
      tenantId,
      view.controlSetId,
      view.catalogControlId ?? null,
      view.code,
      view.origin,
      view.implementation.status,
      view.applicability.status,
      view.health,
      JSON.stringify(view),
      view.updatedAt,
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
];

/**
 * Policies (their state as the domain folds it), the text of each version, and the acceptance records: one row per
 * person and version, with the hash of the text accepted, queryable by person and by version (audit evidence).
 */
export function policiesProjection(): Projection {
  return {
    name: 'policies',
    eventTypes: POLICY_EVENT_TYPES,
    async setup(tx, schema) {
      const s = sqlIdent(schema);
      await tx.query(`CREATE TABLE IF NOT EXISTS ${s}.policies (
        policy_id text PRIMARY KEY,
        tenant_id text NOT NULL,
        title text NOT NULL,
        state jsonb NOT NULL,
        adopted_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL)`);
      await tx.query(`CREATE INDEX IF NOT EXISTS policies_by_tenant ON ${s}.policies (tenant_id, title)`);
      await tx.query(`CREATE TABLE IF NOT EXISTS ${s}.policy_versions (
        policy_id text NOT NULL,
        version text NOT NULL,
        tenant_id text NOT NULL,
        content_sha256 text NOT NULL,
        content text NOT NULL,
        PRIMARY KEY (policy_id, version))`);
      await tx.query(`CREATE TABLE IF NOT EXISTS ${s}.policy_acceptances (
        acceptance_id text PRIMARY KEY,
        tenant_id text NOT NULL,
        policy_id text NOT NULL,
        version text NOT NULL,
        person_id text NOT NULL,
        person jsonb NOT NULL,
        method text NOT NULL,
        content_sha256 text NOT NULL,
        accepted_at timestamptz NOT NULL,
        actor jsonb NOT NULL,
        event_id uuid NOT NULL,
        recorded_at timestamptz NOT NULL)`);
      await tx.query(
        `CREATE INDEX IF NOT EXISTS policy_acceptances_by_person ON ${s}.policy_acceptances (tenant_id, policy_id, person_id, version)`,
      );
      await tx.query(
        `CREATE INDEX IF NOT EXISTS policy_acceptances_by_version ON ${s}.policy_acceptances (tenant_id, policy_id, version)`,
      );
    },
    async reset(tx, schema) {
      const s = sqlIdent(schema);
      await tx.query(`TRUNCATE ${s}.policies, ${s}.policy_versions, ${s}.policy_acceptances`);
    },
    async apply(tx, schema, events) {
      const s = sqlIdent(schema);
      for (const e of events) {
        const policyId = (e.data as { policyId: string }).policyId;
        const row = await tx.query<{ state: PolicyState }>(
          `SELECT state FROM ${s}.policies WHERE policy_id = $1`,
          [policyId],
        );
        const state = evolvePolicy(row.rows[0]?.state ?? { kind: 'none' }, {
          type: e.type,
          data: e.data,
        } as PolicyEvent);
        if (state.kind === 'policy')
          await tx.query(
            `INSERT INTO ${s}.policies (policy_id, tenant_id, title, state, adopted_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $5)
             ON CONFLICT (policy_id) DO UPDATE SET title = EXCLUDED.title, state = EXCLUDED.state, updated_at = $5`,
            [policyId, e.tenantId, state.title, JSON.stringify(state), e.recordedAt],
          );
        if (e.type === 'PolicyVersionTextRecorded') {
          const d = e.data as PolicyVersionTextRecordedData;
          await tx.query(
            `INSERT INTO ${s}.policy_versions (policy_id, version, tenant_id, content_sha256, content)
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
            [d.policyId, d.version, e.tenantId, d.contentSha256, d.content],
          );
        }
        if (e.type === 'PolicyAccepted') await writeAcceptance(tx, s, e);
      }
    },
  };
}

async function writeAcceptance(tx: PoolClient, s: string, e: RecordedEvent): Promise<void> {
  const d = e.data as PolicyAcceptedData;
  await tx.query(
    `INSERT INTO ${s}.policy_acceptances (acceptance_id, tenant_id, policy_id, version, person_id, person, method,
       content_sha256, accepted_at, actor, event_id, recorded_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT DO NOTHING`,
    [
      d.acceptanceId,
      e.tenantId,
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
  return {
    name: 'readiness-gaps',
    eventTypes: ['GapProposalRecorded'],
    async setup(tx, schema) {
      const s = sqlIdent(schema);
      await tx.query(`CREATE TABLE IF NOT EXISTS ${s}.gap_proposals (
        gap_id text PRIMARY KEY,
        tenant_id text NOT NULL,
        assessment_id text NOT NULL,
        data jsonb NOT NULL,
        identified_at timestamptz NOT NULL)`);
      await tx.query(`CREATE INDEX IF NOT EXISTS gap_proposals_by_tenant ON ${s}.gap_proposals (tenant_id)`);
    },
    async reset(tx, schema) {
      await tx.query(`TRUNCATE ${sqlIdent(schema)}.gap_proposals`);
    },
    async apply(tx, schema, events) {
      const s = sqlIdent(schema);
      for (const e of events) {
        const d = e.data as GapProposalRecordedData;
        await tx.query(
          `INSERT INTO ${s}.gap_proposals (gap_id, tenant_id, assessment_id, data, identified_at)
           VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
          [d.gapId, e.tenantId, d.assessmentId, JSON.stringify(d), d.identifiedAt],
        );
      }
    },
  };
}
