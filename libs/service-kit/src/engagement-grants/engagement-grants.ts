import type { Pool, PoolClient } from 'pg';
import { sqlIdent, type Projection } from '@attest/event-store';
import type { TenantMembership } from '../identity/principal';
import type { TenantAccessResolver, TokenIdentity } from '../identity/principal-claims';

/** The auditor-engagement events a grant is folded from (store types), with what is read of each. */
export type GrantEvent =
  | { type: 'EngagementPlanned'; data: { engagementId: string; scope: { controlIds: string[] } } }
  | { type: 'EngagementScopeChanged'; data: { engagementId: string; scope: { controlIds: string[] } } }
  | {
      type: 'AuditorInvited';
      data: { engagementId: string; auditor: { auditorId: string; email: string; role: string } };
    }
  | {
      type: 'AuditorInvitationAccepted';
      data: { engagementId: string; auditorId: string; actor: { type: string; id: string } };
    }
  | { type: 'AuditorRemoved'; data: { engagementId: string; auditorId: string } };

export const GRANT_EVENT_TYPES: readonly GrantEvent['type'][] = [
  'EngagementPlanned',
  'EngagementScopeChanged',
  'AuditorInvited',
  'AuditorInvitationAccepted',
  'AuditorRemoved',
];

/** The same events as CloudEvent types on `attest.auditor-engagement.events.v1`, for a consuming service. */
export const GRANT_CLOUD_EVENT_TYPES: Readonly<Record<string, GrantEvent['type']>> = {
  'io.attest.auditor-engagement.engagement-planned.v1': 'EngagementPlanned',
  'io.attest.auditor-engagement.engagement-scope-changed.v1': 'EngagementScopeChanged',
  'io.attest.auditor-engagement.auditor-invited.v1': 'AuditorInvited',
  'io.attest.auditor-engagement.auditor-invitation-accepted.v1': 'AuditorInvitationAccepted',
  'io.attest.auditor-engagement.auditor-removed.v1': 'AuditorRemoved',
};

/**
 * How a CPA firm's auditor reaches a client organization: one grant per invitation to an engagement, folded from the
 * auditor-engagement events into `<schema>.engagement_grants` (an invited auditor by their pseudonymous `auditorId`,
 * active until removed) and `<schema>.engagement_grant_scopes` (each engagement's controls in scope).
 *
 * An invitation names the auditor by e-mail, which the events carry sealed (personal data): only the
 * auditor-engagement service's own projection (`projection()`, over revealed events) keeps it, so there an invited
 * auditor is admitted by their verified e-mail at once. A consuming service (`apply` in its consumer's transaction)
 * sees no e-mail: it admits the auditor once they have accepted the invitation, by the identity-provider subject the
 * acceptance's actor names. A removal ends both; a new invitation needs a new acceptance. As a
 * TenantAccessResolver it gives an identity holding the realm role `auditor` one membership per active invitation it
 * matches, role `auditor`, source `grant`.
 */
export class EngagementGrants implements TenantAccessResolver {
  private readonly s: string;

  constructor(
    private readonly db: Pick<Pool, 'query'>,
    readonly schema: string,
  ) {
    this.s = sqlIdent(schema);
  }

  /** Creates the tables (in the caller's transaction, or once on a pool). */
  async setUp(db: Pick<Pool, 'query'>): Promise<void> {
    await db.query(`CREATE SCHEMA IF NOT EXISTS ${this.s}`);
    await createTables(db, this.s);
  }

  /**
   * Folds one event of the tenant as a consuming service receives it (e-mails sealed: none is kept), idempotently:
   * applying it again changes nothing.
   */
  apply(tx: Pick<PoolClient, 'query'>, tenantId: string, event: GrantEvent): Promise<void> {
    return applyGrantEvent(tx, this.s, tenantId, event, false);
  }

  /** The CloudEvent's type as a grant event, or undefined for the events grants ignore. */
  static grantEventOf(cloudEventType: string, data: unknown): GrantEvent | undefined {
    const type = GRANT_CLOUD_EVENT_TYPES[cloudEventType];
    return type ? ({ type, data } as GrantEvent) : undefined;
  }

  /** The projection keeping the grants from the auditor-engagement service's own log (in the runner's schema). */
  projection(): Projection {
    return {
      name: 'engagement-grants',
      eventTypes: [...GRANT_EVENT_TYPES],
      setup: (tx, schema) => createTables(tx, sqlIdent(schema)),
      async reset(tx, schema) {
        await tx.query(
          `TRUNCATE ${sqlIdent(schema)}.engagement_grants, ${sqlIdent(schema)}.engagement_grant_scopes`,
        );
      },
      async apply(tx, schema, events) {
        for (const e of events)
          await applyGrantEvent(tx, sqlIdent(schema), e.tenantId, e as unknown as GrantEvent, true);
      },
    };
  }

  async grantsFor(identity: TokenIdentity): Promise<TenantMembership[]> {
    if (identity.kind !== 'user' || !identity.roles.includes('auditor')) return [];
    const r = await this.db.query<{ tenant_id: string; engagement_id: string }>(
      `SELECT DISTINCT tenant_id, engagement_id FROM ${this.s}.engagement_grants
       WHERE active AND (subject = $1 OR ($2::text IS NOT NULL AND email = $2))
       ORDER BY tenant_id, engagement_id`,
      [identity.subject, identity.email?.toLowerCase() ?? null],
    );
    return r.rows.map((row) => ({
      tenant: row.tenant_id,
      roles: ['auditor'],
      source: 'grant',
      engagementId: row.engagement_id,
    }));
  }

  /** The engagement's controls in scope, or null when the tenant has no such engagement. */
  async scopeOf(tenantId: string, engagementId: string): Promise<string[] | null> {
    const r = await this.db.query<{ control_ids: string[] }>(
      `SELECT control_ids FROM ${this.s}.engagement_grant_scopes WHERE tenant_id = $1 AND engagement_id = $2`,
      [tenantId, engagementId],
    );
    return r.rows[0]?.control_ids ?? null;
  }

  /** The controls in scope of the engagements `memberships` grant in `tenantId` (union, sorted). */
  async controlsInScope(tenantId: string, memberships: readonly TenantMembership[]): Promise<string[]> {
    const engagementIds = memberships
      .filter((m) => m.source === 'grant' && m.tenant === tenantId && m.engagementId !== undefined)
      .map((m) => m.engagementId as string);
    if (engagementIds.length === 0) return [];
    const r = await this.db.query<{ control_id: string }>(
      `SELECT DISTINCT unnest(control_ids) AS control_id FROM ${this.s}.engagement_grant_scopes
       WHERE tenant_id = $1 AND engagement_id = ANY($2::text[]) ORDER BY 1`,
      [tenantId, engagementIds],
    );
    return r.rows.map((row) => row.control_id);
  }
}

async function createTables(db: Pick<Pool, 'query'>, s: string): Promise<void> {
  await db.query(`CREATE TABLE IF NOT EXISTS ${s}.engagement_grants (
    tenant_id text NOT NULL,
    engagement_id text NOT NULL,
    auditor_id text NOT NULL,
    email text,
    subject text,
    role text NOT NULL,
    active boolean NOT NULL,
    PRIMARY KEY (tenant_id, engagement_id, auditor_id))`);
  await db.query(`CREATE INDEX IF NOT EXISTS engagement_grants_by_email ON ${s}.engagement_grants (email)`);
  await db.query(
    `CREATE INDEX IF NOT EXISTS engagement_grants_by_subject ON ${s}.engagement_grants (subject)`,
  );
  await db.query(`CREATE TABLE IF NOT EXISTS ${s}.engagement_grant_scopes (
    tenant_id text NOT NULL,
    engagement_id text NOT NULL,
    control_ids text[] NOT NULL,
    PRIMARY KEY (tenant_id, engagement_id))`);
}

async function applyGrantEvent(
  tx: Pick<PoolClient, 'query'>,
  s: string,
  tenantId: string,
  event: GrantEvent,
  revealed: boolean,
): Promise<void> {
  switch (event.type) {
    case 'EngagementPlanned':
    case 'EngagementScopeChanged':
      await tx.query(
        `INSERT INTO ${s}.engagement_grant_scopes VALUES ($1, $2, $3)
         ON CONFLICT (tenant_id, engagement_id) DO UPDATE SET control_ids = excluded.control_ids`,
        [tenantId, event.data.engagementId, event.data.scope.controlIds],
      );
      return;
    case 'AuditorInvited': {
      const { auditorId, email, role } = event.data.auditor;
      // After a removal (which unbound the subject) a new invitation waits for its own acceptance.
      await tx.query(
        `INSERT INTO ${s}.engagement_grants VALUES ($1, $2, $3, $4, NULL, $5, true)
         ON CONFLICT (tenant_id, engagement_id, auditor_id)
         DO UPDATE SET email = excluded.email, role = excluded.role, active = true`,
        [tenantId, event.data.engagementId, auditorId, revealed ? email.toLowerCase() : null, role],
      );
      return;
    }
    case 'AuditorInvitationAccepted': {
      // A user actor's id in a payload is the identity-provider subject (`user:<sub>` is only the metadata's form).
      if (event.data.actor.type !== 'user') return;
      await tx.query(
        `UPDATE ${s}.engagement_grants SET subject = $4
         WHERE tenant_id = $1 AND engagement_id = $2 AND auditor_id = $3 AND active`,
        [tenantId, event.data.engagementId, event.data.auditorId, event.data.actor.id],
      );
      return;
    }
    case 'AuditorRemoved':
      await tx.query(
        `UPDATE ${s}.engagement_grants SET active = false, subject = NULL
         WHERE tenant_id = $1 AND engagement_id = $2 AND auditor_id = $3`,
        [tenantId, event.data.engagementId, event.data.auditorId],
      );
      return;
  }
}
