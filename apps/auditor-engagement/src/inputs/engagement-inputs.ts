import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { ResultCounts } from '@attest/monitoring-domain';
import type { DateWindow, EvidenceRef, PopulationControl, PopulationInputs } from '@attest/engagement-domain';
import { sqlIdent } from '@attest/event-store';
import type { KnownControl } from '@attest/service-kit';
import { ENGAGEMENT_OPTIONS, type ResolvedOptions } from '../engagement-options';
import { ENGAGEMENT_INPUTS } from './inputs-tables';

/** Evidence types a monitoring test's runs answer: the test reads the configuration and the logs. */
const TEST_RUN_EVIDENCE_TYPES: readonly (string | undefined)[] = ['config-snapshot', 'log-export', undefined];
/** Evidence types a human-resources control's policy acceptances answer. */
const ACCEPTANCE_EVIDENCE_TYPES: readonly (string | undefined)[] = [
  'attestation',
  'policy-document',
  undefined,
];

/** The tenant's latest system description, as readiness last revised it. */
export interface SystemDescriptionInput {
  assessmentId: string;
  revision: number;
  /** The shape of readiness' SystemDescriptionRevised `systemDescription`. */
  systemDescription: Record<string, unknown>;
  revisedAt: string;
}

/** The criterion conclusions of the tenant's latest completed readiness assessment. */
export interface CriterionConclusionsInput {
  assessmentId: string;
  /** As readiness' AssessmentCompleted `criteria` (criterionId, category, conclusion, reason, …). */
  criteria: Record<string, unknown>[];
  completedAt: string;
}

/**
 * Queries over what the other services told this one (schema `engagement_inputs`), always within one tenant: the
 * material of populations, of requests that answer themselves, and of the report's system description. Reads
 * through `db` when given (a consumer's or a command's transaction), else the service's pool.
 */
@Injectable()
export class EngagementInputs {
  private readonly s = sqlIdent(ENGAGEMENT_INPUTS.schema);

  constructor(@Inject(ENGAGEMENT_OPTIONS) private readonly options: ResolvedOptions) {}

  /** The tenant's known controls among `ids` (unknown ids left out), by code. */
  controls(tenantId: string, ids: readonly string[], db: Db = this.options.pool): Promise<KnownControl[]> {
    return ENGAGEMENT_INPUTS.controls.find(db, tenantId, 'control_id', ids);
  }

  /** All the tenant's known controls, by code. */
  async allControls(tenantId: string, db: Db = this.options.pool): Promise<KnownControl[]> {
    const r = await db.query<{ control_id: string }>(
      `SELECT control_id FROM ${ENGAGEMENT_INPUTS.controls.table} WHERE tenant_id = $1`,
      [tenantId],
    );
    return this.controls(
      tenantId,
      r.rows.map((row) => row.control_id),
      db,
    );
  }

  /**
   * What a population of the control over the window is built from (`buildPopulation(control, inputs, window)`):
   * the runs of the tests proving it, the versions of evidence linked to it, and the joiners with their policy
   * acceptances; null for a control the tenant does not have.
   */
  async populationInputs(
    tenantId: string,
    controlId: string,
    window: DateWindow,
    db: Db = this.options.pool,
  ): Promise<{ control: PopulationControl; inputs: PopulationInputs } | null> {
    const [known] = await this.controls(tenantId, [controlId], db);
    if (!known) return null;
    const testIds = await this.testsProving(tenantId, known, db);
    const runs = await db.query<{
      test_id: string;
      run_id: string;
      evaluated_at: string;
      counts: ResultCounts;
    }>(
      `SELECT test_id, run_id, evaluated_at, counts FROM ${this.s}.test_runs
       WHERE tenant_id = $1 AND test_id = ANY($2::text[])
         AND (evaluated_at::timestamptz AT TIME ZONE 'UTC')::date BETWEEN $3::date AND $4::date
       ORDER BY evaluated_at, test_id, run_id`,
      [tenantId, testIds, window.from, window.to],
    );
    const items = await db.query<EvidenceVersionRow & { control_ids: string[] }>(
      `SELECT v.item_id, v.version, i.title, i.evidence_type, v.period_from::text, v.period_to::text, v.source,
              v.collector_run_id, v.submitted_at,
              (SELECT array_agg(l2.control_id ORDER BY l2.control_id) FROM ${this.s}.evidence_links l2
               WHERE l2.tenant_id = v.tenant_id AND l2.item_id = v.item_id) AS control_ids
       FROM ${this.s}.evidence_versions v
       JOIN ${this.s}.evidence_items i USING (tenant_id, item_id)
       JOIN ${this.s}.evidence_links l USING (tenant_id, item_id)
       WHERE v.tenant_id = $1 AND l.control_id = $2 AND v.period_from <= $4::date AND v.period_to >= $3::date
       ORDER BY v.item_id, v.version`,
      [tenantId, controlId, window.from, window.to],
    );
    const joiners = await db.query<{
      person_id: string;
      start_date: string;
      acceptances: JoinerAcceptance[];
    }>(
      `SELECT j.person_id, j.start_date::text,
              coalesce((SELECT json_agg(json_build_object('acceptanceId', a.acceptance_id, 'policyId', a.policy_id,
                          'version', a.version, 'acceptedAt', a.accepted_at) ORDER BY a.accepted_at, a.acceptance_id)
                        FROM ${this.s}.policy_acceptances a
                        WHERE a.tenant_id = j.tenant_id AND a.person_id = j.person_id), '[]') AS acceptances
       FROM ${this.s}.joiners j WHERE j.tenant_id = $1 AND j.start_date BETWEEN $2::date AND $3::date
       ORDER BY j.person_id`,
      [tenantId, window.from, window.to],
    );
    return {
      control: {
        controlId: known.controlId,
        ...(known.catalogControlId ? { catalogControlId: known.catalogControlId } : {}),
        frequency: known.frequency,
        testIds,
      },
      inputs: {
        testRuns: runs.rows.map((row) => ({
          testId: row.test_id,
          runId: row.run_id,
          evaluatedAt: row.evaluated_at,
          counts: row.counts,
        })),
        evidenceItems: items.rows.map((row) => ({
          itemId: row.item_id,
          version: row.version,
          title: row.title,
          evidenceType: row.evidence_type,
          controlIds: row.control_ids,
          period: { from: row.period_from, to: row.period_to },
          submittedAt: row.submitted_at,
          source: row.source,
          ...(row.collector_run_id ? { collectorRunId: row.collector_run_id } : {}),
        })),
        joiners: joiners.rows.map((row) => ({
          personId: row.person_id,
          startDate: row.start_date,
          acceptances: row.acceptances,
        })),
      },
    };
  }

  /**
   * What the services already hold that answers a request for the control's evidence of a type (any type when
   * undefined) over the period: the latest version of each linked item of that type covering part of the period;
   * for configuration and log evidence, the last run in the period of each test proving the control; for
   * attestations and policies of a human-resources control, the policy acceptances in the period. Empty: someone
   * has to upload it.
   */
  async evidenceFor(
    tenantId: string,
    controlId: string,
    evidenceType: string | undefined,
    period: DateWindow,
    db: Db = this.options.pool,
  ): Promise<EvidenceRef[]> {
    const items = await db.query<EvidenceVersionRow>(
      `SELECT DISTINCT ON (v.item_id) v.item_id, v.version, i.title, i.evidence_type, v.submitted_at
       FROM ${this.s}.evidence_versions v
       JOIN ${this.s}.evidence_items i USING (tenant_id, item_id)
       JOIN ${this.s}.evidence_links l USING (tenant_id, item_id)
       WHERE v.tenant_id = $1 AND l.control_id = $2 AND ($3::text IS NULL OR i.evidence_type = $3)
         AND v.period_from <= $5::date AND v.period_to >= $4::date
       ORDER BY v.item_id, v.version DESC`,
      [tenantId, controlId, evidenceType ?? null, period.from, period.to],
    );
    const refs: EvidenceRef[] = items.rows.map((row) => ({
      kind: 'evidence-item',
      id: row.item_id,
      version: row.version,
      label: row.title,
      at: row.submitted_at,
    }));
    const [known] = await this.controls(tenantId, [controlId], db);
    if (!known) return refs;
    if (TEST_RUN_EVIDENCE_TYPES.includes(evidenceType)) {
      const runs = await db.query<{ test_id: string; run_id: string; evaluated_at: string }>(
        `SELECT DISTINCT ON (test_id) test_id, run_id, evaluated_at FROM ${this.s}.test_runs
         WHERE tenant_id = $1 AND test_id = ANY($2::text[])
           AND (evaluated_at::timestamptz AT TIME ZONE 'UTC')::date BETWEEN $3::date AND $4::date
         ORDER BY test_id, evaluated_at::timestamptz DESC`,
        [tenantId, await this.testsProving(tenantId, known, db), period.from, period.to],
      );
      refs.push(
        ...runs.rows.map((row): EvidenceRef => ({
          kind: 'test-run',
          id: row.run_id,
          label: `Monitoring test ${row.test_id}`,
          at: row.evaluated_at,
        })),
      );
    }
    if (
      ACCEPTANCE_EVIDENCE_TYPES.includes(evidenceType) &&
      (await ENGAGEMENT_INPUTS.humanResourcesControls(db, tenantId)).includes(controlId)
    ) {
      const acceptances = await db.query<{
        acceptance_id: string;
        policy_id: string;
        version: string;
        accepted_at: string;
      }>(
        `SELECT acceptance_id, policy_id, version, accepted_at FROM ${this.s}.policy_acceptances
         WHERE tenant_id = $1 AND (accepted_at::timestamptz AT TIME ZONE 'UTC')::date BETWEEN $2::date AND $3::date
         ORDER BY accepted_at, acceptance_id`,
        [tenantId, period.from, period.to],
      );
      refs.push(
        ...acceptances.rows.map((row): EvidenceRef => ({
          kind: 'policy-acceptance',
          id: row.acceptance_id,
          label: `Acceptance of policy ${row.policy_id} ${row.version}`,
          at: row.accepted_at,
        })),
      );
    }
    return refs;
  }

  /** The tenant's evidence items among `itemIds` at their latest version (unknown ids left out), by id. */
  async evidenceItems(
    tenantId: string,
    itemIds: readonly string[],
    db: Db = this.options.pool,
  ): Promise<EvidenceRef[]> {
    const r = await db.query<EvidenceVersionRow>(
      `SELECT DISTINCT ON (v.item_id) v.item_id, v.version, i.title, v.submitted_at
       FROM ${this.s}.evidence_versions v JOIN ${this.s}.evidence_items i USING (tenant_id, item_id)
       WHERE v.tenant_id = $1 AND v.item_id = ANY($2::text[]) ORDER BY v.item_id, v.version DESC`,
      [tenantId, itemIds],
    );
    return r.rows.map((row) => ({
      kind: 'evidence-item',
      id: row.item_id,
      version: row.version,
      label: row.title,
      at: row.submitted_at,
    }));
  }

  /** The tenant's latest system description, or null before readiness has one. */
  async systemDescription(
    tenantId: string,
    db: Db = this.options.pool,
  ): Promise<SystemDescriptionInput | null> {
    const r = await db.query<{
      assessment_id: string;
      revision: number;
      description: Record<string, unknown>;
      revised_at: string;
    }>(
      `SELECT assessment_id, revision, description, revised_at FROM ${this.s}.system_descriptions WHERE tenant_id = $1`,
      [tenantId],
    );
    const row = r.rows[0];
    return row
      ? {
          assessmentId: row.assessment_id,
          revision: row.revision,
          systemDescription: row.description,
          revisedAt: row.revised_at,
        }
      : null;
  }

  /** The criterion conclusions of the tenant's latest completed assessment, or null. */
  async criterionConclusions(
    tenantId: string,
    db: Db = this.options.pool,
  ): Promise<CriterionConclusionsInput | null> {
    const r = await db.query<{
      assessment_id: string;
      criteria: Record<string, unknown>[];
      completed_at: string;
    }>(
      `SELECT assessment_id, criteria, completed_at FROM ${this.s}.criterion_conclusions WHERE tenant_id = $1`,
      [tenantId],
    );
    const row = r.rows[0];
    return row
      ? { assessmentId: row.assessment_id, criteria: row.criteria, completedAt: row.completed_at }
      : null;
  }

  /** The monitoring tests (shipped and the tenant's own) that prove the control, by id. */
  private async testsProving(tenantId: string, control: KnownControl, db: Db): Promise<string[]> {
    const r = await db.query<{ test_id: string }>(
      `SELECT DISTINCT test_id FROM ${this.s}.test_runs WHERE tenant_id = $1
       UNION SELECT test_id FROM ${this.s}.test_definitions WHERE tenant_id = $1`,
      [tenantId],
    );
    const proving: string[] = [];
    for (const { test_id } of r.rows) {
      const claims = await ENGAGEMENT_INPUTS.testControls(db, tenantId, test_id);
      if (
        claims &&
        (claims.controlIds.includes(control.controlId) ||
          (control.catalogControlId !== undefined &&
            claims.catalogControlIds.includes(control.catalogControlId)))
      )
        proving.push(test_id);
    }
    return proving.sort();
  }
}

type Db = Pick<Pool, 'query'>;

interface EvidenceVersionRow {
  item_id: string;
  version: number;
  title: string;
  evidence_type: string;
  period_from: string;
  period_to: string;
  source: 'upload' | 'collector';
  collector_run_id: string | null;
  submitted_at: string;
}

interface JoinerAcceptance {
  acceptanceId: string;
  policyId: string;
  version: string;
  acceptedAt: string;
}
