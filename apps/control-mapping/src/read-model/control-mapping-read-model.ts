import type { Pool } from 'pg';
import { DomainError } from '@attest/decider';
import {
  controlSetIdFor,
  type ControlView,
  type GapProposalRecordedData,
  type ImplementationStatus,
  type MatrixControl,
  type PointOfFocusExplanation,
  controlNotFound,
  policyNotFound,
  type ExistingPolicy,
  type PolicyVersionState,
} from '@attest/control-mapping-domain';
import { sqlIdent } from '@attest/event-store';
import type { PublishedPolicy } from '@attest/people-domain';

export interface ControlSetView {
  controlSetId: string;
  name: string;
  categories: string[];
  criteria: string[];
  catalogVersion: string;
  upgrades: { fromVersion: string; toVersion: string; upgradedAt: string }[];
  /** Points of focus of the scope the organization explained as not applicable, by ref. */
  pointsOfFocusNotApplicable: Record<string, PointOfFocusExplanation>;
  controlCount: number;
  createdAt: string;
  updatedAt: string;
}

export interface ControlFilter {
  implementation?: ImplementationStatus;
  applicability?: 'applicable' | 'not-applicable';
  origin?: 'catalog' | 'custom';
}

export interface AcceptanceRecord {
  acceptanceId: string;
  policyId: string;
  version: string;
  person: { personId: string; displayName?: string; email?: string };
  method: string;
  contentSha256: string;
  acceptedAt: string;
  actor: unknown;
  eventId: string;
  recordedAt: string;
}

/** When a published policy is next due for review (its deadline), and its last review if it had one. */
export interface PolicyReviewDue {
  policyId: string;
  title: string;
  publishedVersion: string;
  nextReviewDue: string;
  lastReviewedAt?: string;
}

/** A resource's view with the version of its stream it shows (its ETag). */
export interface Versioned<T> {
  view: T;
  version: number;
}

/** Where a page starts (the sort key of the previous page's last item) and how many rows to read (limit + 1). */
export interface PageRead<K> {
  after?: K;
  limit: number;
}

/** Adds `(columns) > (key)` and a LIMIT for a keyset page to a query's conditions and parameters. */
function keyset(
  columns: string,
  page: PageRead<readonly string[]> | undefined,
  conditions: string[],
  params: unknown[],
): string {
  if (!page) return '';
  if (page.after) {
    const placeholders = page.after.map((value) => `$${params.push(value)}`);
    conditions.push(`(${columns}) > (${placeholders.join(', ')})`);
  }
  return ` LIMIT $${params.push(page.limit)}`;
}

const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : String(v));

/** Queries over the projections, always within one tenant (every table is keyed by tenant first). */
export class ControlMappingReadModel {
  /** The quoted schema of the read model the queries run against. */
  private readonly s: string;

  /**
   * Over the live read model (the service's pool and `control_mapping_read`), or over one replayed into another
   * schema for an as-of view (through that view's connection): the same queries either way.
   */
  constructor(
    private readonly db: Pick<Pool, 'query'>,
    schema: string,
  ) {
    this.s = sqlIdent(schema);
  }

  async controlSet(tenantId: string): Promise<Versioned<ControlSetView> | undefined> {
    const r = await this.db.query(
      `SELECT cs.*, (SELECT count(*) FROM ${this.s}.controls c
         WHERE c.tenant_id = cs.tenant_id AND c.control_set_id = cs.control_set_id) AS control_count
       FROM ${this.s}.control_sets cs WHERE cs.tenant_id = $1 AND cs.control_set_id = $2`,
      [tenantId, controlSetIdFor(tenantId)],
    );
    const row = r.rows[0];
    if (!row) return undefined;
    return {
      view: {
        controlSetId: row.control_set_id,
        name: row.name,
        categories: row.categories,
        criteria: row.criteria,
        catalogVersion: row.catalog_version,
        upgrades: row.upgrades,
        pointsOfFocusNotApplicable: row.points_of_focus_not_applicable,
        controlCount: Number(row.control_count),
        createdAt: iso(row.created_at),
        updatedAt: iso(row.updated_at),
      },
      version: row.stream_version,
    };
  }

  async requireControlSet(tenantId: string): Promise<Versioned<ControlSetView>> {
    const set = await this.controlSet(tenantId);
    if (!set)
      throw new DomainError(
        'control-set-not-found',
        'the organization has no control set yet; POST /v1/control-sets',
      );
    return set;
  }

  /** The tenant's controls by code (then id), filtered; a page of them with `page`. */
  async controls(
    tenantId: string,
    filter: ControlFilter = {},
    page?: PageRead<readonly [string, string]>,
  ): Promise<ControlView[]> {
    const conditions = ['tenant_id = $1'];
    const params: unknown[] = [tenantId];
    const add = (column: string, value: string | undefined) => {
      if (value === undefined) return;
      params.push(value);
      conditions.push(`${column} = $${params.length}`);
    };
    add('implementation_status', filter.implementation);
    add('applicability', filter.applicability);
    add('origin', filter.origin);
    const limit = keyset('code, control_id', page, conditions, params);
    const r = await this.db.query<{ view: ControlView }>(
      `SELECT view FROM ${this.s}.controls WHERE ${conditions.join(' AND ')} ORDER BY code, control_id${limit}`,
      params,
    );
    return r.rows.map((row) => row.view);
  }

  async control(tenantId: string, controlId: string): Promise<Versioned<ControlView>> {
    const r = await this.db.query<{ view: ControlView; stream_version: number }>(
      `SELECT view, stream_version FROM ${this.s}.controls WHERE tenant_id = $1 AND control_id = $2`,
      [tenantId, controlId],
    );
    if (!r.rows[0]) throw controlNotFound(controlId);
    return { view: r.rows[0].view, version: r.rows[0].stream_version };
  }

  /** The tenant's controls as the coverage matrix sees them. */
  async matrixControls(tenantId: string): Promise<MatrixControl[]> {
    return (await this.controls(tenantId)).map((c) => ({
      controlId: c.controlId,
      code: c.code,
      name: c.name,
      ...(c.catalogControlId ? { catalogControlId: c.catalogControlId } : {}),
      criteria: c.criteria,
      pointsOfFocus: c.pointsOfFocus,
      implementation: c.implementation.status,
      notApplicable: c.applicability.status === 'not-applicable',
    }));
  }

  async gapProposals(tenantId: string): Promise<GapProposalRecordedData[]> {
    const r = await this.db.query<{ data: GapProposalRecordedData }>(
      `SELECT data FROM ${this.s}.gap_proposals WHERE tenant_id = $1 ORDER BY identified_at, gap_id`,
      [tenantId],
    );
    return r.rows.map((row) => row.data);
  }

  /** A page of the tenant's policies by title, then id. */
  async policies(tenantId: string, page: PageRead<readonly [string, string]>): Promise<ExistingPolicy[]> {
    const conditions = ['tenant_id = $1'];
    const params: unknown[] = [tenantId];
    const limit = keyset('title, policy_id', page, conditions, params);
    const r = await this.db.query<{ state: ExistingPolicy }>(
      `SELECT state FROM ${this.s}.policies WHERE ${conditions.join(' AND ')} ORDER BY title, policy_id${limit}`,
      params,
    );
    return r.rows.map((row) => row.state);
  }

  async policy(tenantId: string, policyId: string): Promise<Versioned<ExistingPolicy>> {
    const r = await this.db.query<{ state: ExistingPolicy; stream_version: number }>(
      `SELECT state, stream_version FROM ${this.s}.policies WHERE tenant_id = $1 AND policy_id = $2`,
      [tenantId, policyId],
    );
    if (!r.rows[0]) throw policyNotFound(policyId);
    return { view: r.rows[0].state, version: r.rows[0].stream_version };
  }

  /** The tenant's policies that have a version in force, with it, by title (then id). */
  private async publishedPolicies(
    tenantId: string,
  ): Promise<{ policy: ExistingPolicy; inForce: PolicyVersionState; publishedAt: string }[]> {
    const r = await this.db.query<{ state: ExistingPolicy }>(
      `SELECT state FROM ${this.s}.policies WHERE tenant_id = $1 AND state ? 'publishedVersion'
       ORDER BY title, policy_id`,
      [tenantId],
    );
    return r.rows.flatMap(({ state: policy }) => {
      const inForce = policy.versions[policy.publishedVersion ?? ''];
      return inForce?.publication ? [{ policy, inForce, publishedAt: inForce.publication.publishedAt }] : [];
    });
  }

  /** Each published policy's version in force, its hash, publication time and audience (for people's obligations). */
  async publishedPoliciesWithAudience(tenantId: string): Promise<PublishedPolicy[]> {
    return (await this.publishedPolicies(tenantId)).map(({ policy, inForce, publishedAt }) => ({
      policyId: policy.policyId,
      title: policy.title,
      audience: policy.audience,
      publishedVersion: inForce.version,
      contentSha256: inForce.contentSha256,
      publishedAt,
    }));
  }

  /** Each published policy's next review date, soonest first (then by title): the policy review deadlines. */
  async policiesWithReviewDue(tenantId: string): Promise<PolicyReviewDue[]> {
    return (await this.publishedPolicies(tenantId))
      .flatMap(({ policy, inForce }) =>
        policy.nextReviewDue
          ? [
              {
                policyId: policy.policyId,
                title: policy.title,
                publishedVersion: inForce.version,
                nextReviewDue: policy.nextReviewDue,
                ...(policy.lastReview ? { lastReviewedAt: policy.lastReview.reviewedAt } : {}),
              },
            ]
          : [],
      )
      .sort((a, b) => (a.nextReviewDue < b.nextReviewDue ? -1 : a.nextReviewDue > b.nextReviewDue ? 1 : 0));
  }

  async policyVersionText(
    tenantId: string,
    policyId: string,
    version: string,
  ): Promise<{ version: string; contentSha256: string; content: string }> {
    const r = await this.db.query(
      `SELECT version, content_sha256, content FROM ${this.s}.policy_versions
       WHERE tenant_id = $1 AND policy_id = $2 AND version = $3`,
      [tenantId, policyId, version],
    );
    if (!r.rows[0])
      throw new DomainError('policy-version-not-found', `policy version ${version} does not exist`, {
        version,
      });
    return {
      version: r.rows[0].version,
      contentSha256: r.rows[0].content_sha256,
      content: r.rows[0].content,
    };
  }

  /**
   * Acceptance records of a policy, optionally of one person and/or one version, oldest first (by the time
   * accepted, then id); a page of them with `page`.
   */
  async acceptances(
    tenantId: string,
    policyId: string,
    filter: { personId?: string; version?: string } = {},
    page?: PageRead<readonly [string, string]>,
  ): Promise<AcceptanceRecord[]> {
    const conditions = ['tenant_id = $1', 'policy_id = $2'];
    const params: unknown[] = [tenantId, policyId];
    if (filter.personId) {
      params.push(filter.personId);
      conditions.push(`person_id = $${params.length}`);
    }
    if (filter.version) {
      params.push(filter.version);
      conditions.push(`version = $${params.length}`);
    }
    const limit = keyset('accepted_at, acceptance_id', page, conditions, params);
    const r = await this.db.query(
      `SELECT * FROM ${this.s}.policy_acceptances WHERE ${conditions.join(' AND ')}
       ORDER BY accepted_at, acceptance_id${limit}`,
      params,
    );
    return r.rows.map((row) => ({
      acceptanceId: row.acceptance_id,
      policyId: row.policy_id,
      version: row.version,
      person: row.person,
      method: row.method,
      contentSha256: row.content_sha256,
      acceptedAt: iso(row.accepted_at),
      actor: row.actor,
      eventId: row.event_id,
      recordedAt: iso(row.recorded_at),
    }));
  }
}
