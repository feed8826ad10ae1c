import type { Pool } from 'pg';
import { PROCEDURES, type Procedure } from '@attest/engagement-domain';
import { sqlIdent } from '@attest/event-store';
import type {
  BridgeLetterView,
  ExceptionView,
  FulfilmentView,
  PageRead,
  PopulationSortKey,
  PopulationSummary,
  PopulationView,
  RequestFilter,
  RequestSortKey,
  RequestView,
  SampleView,
  TestResultView,
} from './audit-work-views';

/**
 * Queries over the audit work's read model (`engagement_read`), always within one tenant and one engagement: every
 * table is keyed by tenant first, and a row of another engagement is as absent as one of another tenant.
 */
export class AuditWorkReadModel {
  private readonly s: string;

  constructor(
    private readonly db: Pick<Pool, 'query'>,
    schema: string,
  ) {
    this.s = sqlIdent(schema);
  }

  // ---- requests ----

  async request(tenantId: string, engagementId: string, requestId: string): Promise<RequestView | null> {
    const r = await this.db.query<RequestRow>(
      `SELECT * FROM ${this.s}.audit_requests WHERE tenant_id = $1 AND engagement_id = $2 AND request_id = $3`,
      [tenantId, engagementId, requestId],
    );
    return r.rows[0] ? requestView(r.rows[0]) : null;
  }

  /** The engagement's requests in creation order, filtered; `page.limit` after `page.after`. */
  async requests(
    tenantId: string,
    engagementId: string,
    filter: RequestFilter,
    page: PageRead<RequestSortKey>,
  ): Promise<RequestView[]> {
    const params: unknown[] = [tenantId, engagementId];
    const param = (value: unknown) => `$${params.push(value)}`;
    const where = ['tenant_id = $1', 'engagement_id = $2'];
    if (filter.status !== undefined) where.push(`status = ${param(filter.status)}`);
    if (filter.controlId !== undefined) where.push(`control_id = ${param(filter.controlId)}`);
    if (filter.raisedFor !== undefined) where.push(`raised_for = ${param(filter.raisedFor)}`);
    if (page.after)
      where.push(
        `(created_at COLLATE "C", request_id COLLATE "C") > (${param(page.after[0])}, ${param(page.after[1])})`,
      );
    const r = await this.db.query<RequestRow>(
      `SELECT * FROM ${this.s}.audit_requests WHERE ${where.join(' AND ')}
       ORDER BY created_at COLLATE "C", request_id COLLATE "C" LIMIT ${param(page.limit)}`,
      params,
    );
    return r.rows.map(requestView);
  }

  /**
   * The tenant's requests the system may still answer by itself for these controls: open (never answered), of an
   * engagement not yet reporting, asked for by the control list (a sample's request is answered when it is created;
   * a missed occurrence's, which carries its occurrence, by people: the period's evidence is not that occurrence's).
   */
  async openControlRequests(
    tenantId: string,
    controlIds: readonly string[],
    engagementIds: readonly string[],
  ): Promise<RequestView[]> {
    const r = await this.db.query<RequestRow>(
      `SELECT * FROM ${this.s}.audit_requests
       WHERE tenant_id = $1 AND control_id = ANY($2::text[]) AND engagement_id = ANY($3::text[])
         AND status = 'open' AND origin = 'control' AND occurrence_id IS NULL
       ORDER BY created_at COLLATE "C", request_id COLLATE "C"`,
      [tenantId, controlIds, engagementIds],
    );
    return r.rows.map(requestView);
  }

  /** Requests open or returned whose due date is before `today` and not yet marked overdue for that date. */
  async requestsPastDue(tenantId: string, today: string): Promise<RequestView[]> {
    const r = await this.db.query<RequestRow>(
      `SELECT * FROM ${this.s}.audit_requests
       WHERE tenant_id = $1 AND status IN ('open', 'returned') AND due_on < $2
         AND overdue_on IS DISTINCT FROM due_on
       ORDER BY due_on, request_id COLLATE "C"`,
      [tenantId, today],
    );
    return r.rows.map(requestView);
  }

  async fulfilment(tenantId: string, engagementId: string): Promise<FulfilmentView> {
    const r = await this.db.query<{ total: string; by_system: string }>(
      `SELECT count(*) AS total, count(*) FILTER (WHERE submitted_by = 'system') AS by_system
       FROM ${this.s}.audit_requests WHERE tenant_id = $1 AND engagement_id = $2`,
      [tenantId, engagementId],
    );
    const total = Number(r.rows[0].total);
    const fulfilledWithoutUpload = Number(r.rows[0].by_system);
    return {
      total,
      fulfilledWithoutUpload,
      share: total === 0 ? 0 : Math.round((fulfilledWithoutUpload / total) * 10_000) / 10_000,
    };
  }

  // ---- populations and samples ----

  async population(
    tenantId: string,
    engagementId: string,
    populationId: string,
  ): Promise<PopulationView | null> {
    const r = await this.db.query<PopulationRow>(
      `SELECT * FROM ${this.s}.populations WHERE tenant_id = $1 AND engagement_id = $2 AND population_id = $3`,
      [tenantId, engagementId, populationId],
    );
    return r.rows[0] ? { ...populationSummary(r.rows[0]), listing: r.rows[0].listing } : null;
  }

  async populations(
    tenantId: string,
    engagementId: string,
    filter: { controlId?: string },
    page: PageRead<PopulationSortKey>,
  ): Promise<PopulationSummary[]> {
    const [frozenAt, populationId] = page.after ?? [null, null];
    const r = await this.db.query<PopulationRow>(
      `SELECT population_id, engagement_id, control_id, window_from, window_to, frozen_at, frozen_by, size, hash
       FROM ${this.s}.populations
       WHERE tenant_id = $1 AND engagement_id = $2 AND ($3::text IS NULL OR control_id = $3)
         AND ($4::text IS NULL OR (frozen_at COLLATE "C", population_id COLLATE "C") > ($4::text, $5::text))
       ORDER BY frozen_at COLLATE "C", population_id COLLATE "C" LIMIT $6`,
      [tenantId, engagementId, filter.controlId ?? null, frozenAt, populationId, page.limit],
    );
    return r.rows.map(populationSummary);
  }

  async sample(tenantId: string, engagementId: string, sampleId: string): Promise<SampleView | null> {
    const r = await this.db.query<SampleRow>(
      `SELECT s.*, p.listing FROM ${this.s}.samples s
       JOIN ${this.s}.populations p ON p.tenant_id = s.tenant_id AND p.population_id = s.population_id
       WHERE s.tenant_id = $1 AND s.engagement_id = $2 AND s.sample_id = $3`,
      [tenantId, engagementId, sampleId],
    );
    const row = r.rows[0];
    if (!row) return null;
    const labels = new Map(row.listing.map((o) => [o.occurrenceId, o.label]));
    return {
      sampleId: row.sample_id,
      engagementId: row.engagement_id,
      populationId: row.population_id,
      controlId: row.control_id,
      populationHash: row.population_hash,
      seed: row.seed,
      algorithm: row.algorithm,
      size: row.size,
      basis: row.basis,
      selected: row.selected.map((s) => ({ ...s, label: labels.get(s.occurrenceId) ?? s.occurrenceId })),
      selectedAt: row.selected_at,
      selectedBy: row.selected_by,
    };
  }

  /** The latest sample of each control of the engagement (by selection time), with its population's summary. */
  async latestSamples(tenantId: string, engagementId: string): Promise<Map<string, SampleWithPopulation>> {
    const r = await this.db.query<SampleRow & PopulationRow>(
      `SELECT DISTINCT ON (s.control_id) s.*, p.size AS population_size, p.hash, p.frozen_at, p.listing
       FROM ${this.s}.samples s
       JOIN ${this.s}.populations p ON p.tenant_id = s.tenant_id AND p.population_id = s.population_id
       WHERE s.tenant_id = $1 AND s.engagement_id = $2
       ORDER BY s.control_id, s.selected_at DESC, s.sample_id`,
      [tenantId, engagementId],
    );
    return new Map(
      r.rows.map((row) => [
        row.control_id,
        {
          sampleId: row.sample_id,
          seed: row.seed,
          size: row.size,
          testedInFull: row.basis.testedInFull,
          population: {
            populationId: row.population_id,
            size: Number(row.population_size),
            hash: row.hash,
            frozenAt: row.frozen_at,
          },
          labels: new Map(row.listing.map((o) => [o.occurrenceId, o.label])),
        },
      ]),
    );
  }

  /** The occurrences selected by any sample of the control in the engagement: what a Type II result may name. */
  async selectedOccurrenceIds(tenantId: string, engagementId: string, controlId: string): Promise<string[]> {
    const r = await this.db.query<{ occurrence_id: string }>(
      `SELECT DISTINCT x->>'occurrenceId' AS occurrence_id
       FROM ${this.s}.samples s, jsonb_array_elements(s.selected) x
       WHERE s.tenant_id = $1 AND s.engagement_id = $2 AND s.control_id = $3`,
      [tenantId, engagementId, controlId],
    );
    return r.rows.map((row) => row.occurrence_id);
  }

  // ---- testing ----

  /** The engagement's test results, by control, oldest first. */
  async results(tenantId: string, engagementId: string): Promise<Map<string, TestResultView[]>> {
    const r = await this.db.query<ResultRow>(
      `SELECT * FROM ${this.s}.test_results WHERE tenant_id = $1 AND engagement_id = $2
       ORDER BY tested_at COLLATE "C", result_id COLLATE "C"`,
      [tenantId, engagementId],
    );
    return groupBy(r.rows.map(resultView), (v) => v.controlId);
  }

  /** The engagement's exceptions, by control, oldest first. */
  async exceptions(tenantId: string, engagementId: string): Promise<Map<string, ExceptionView[]>> {
    const r = await this.db.query<ExceptionRow>(
      `SELECT * FROM ${this.s}.test_exceptions WHERE tenant_id = $1 AND engagement_id = $2
       ORDER BY raised_at COLLATE "C", exception_id COLLATE "C"`,
      [tenantId, engagementId],
    );
    return groupBy(r.rows.map(exceptionView), (v) => v.controlId);
  }

  async exception(
    tenantId: string,
    engagementId: string,
    exceptionId: string,
  ): Promise<ExceptionView | null> {
    const r = await this.db.query<ExceptionRow>(
      `SELECT * FROM ${this.s}.test_exceptions WHERE tenant_id = $1 AND engagement_id = $2 AND exception_id = $3`,
      [tenantId, engagementId, exceptionId],
    );
    return r.rows[0] ? exceptionView(r.rows[0]) : null;
  }

  // ---- issued documents ----

  async bridgeLetter(
    tenantId: string,
    engagementId: string,
    letterId: string,
  ): Promise<BridgeLetterView | null> {
    const r = await this.db.query<BridgeLetterRow>(
      `SELECT * FROM ${this.s}.bridge_letters WHERE tenant_id = $1 AND engagement_id = $2 AND letter_id = $3`,
      [tenantId, engagementId, letterId],
    );
    const row = r.rows[0];
    return row
      ? {
          letterId: row.letter_id,
          engagementId: row.engagement_id,
          coversFrom: row.covers_from,
          coversTo: row.covers_to,
          sha256: row.sha256,
          issuedAt: row.issued_at,
          issuedBy: row.issued_by,
        }
      : null;
  }
}

/** A control's latest sample as the report shows it, with the labels of its population's occurrences. */
export interface SampleWithPopulation {
  sampleId: string;
  seed: string;
  size: number;
  testedInFull: boolean;
  population: { populationId: string; size: number; hash: string; frozenAt: string };
  labels: Map<string, string>;
}

/** The procedures used by these results, in the order PROCEDURES lists them. */
export function proceduresOf(results: readonly TestResultView[]): Procedure[] {
  const used = new Set(results.map((r) => r.procedure));
  return PROCEDURES.filter((p) => used.has(p));
}

/** Exceptions / results, rounded to 4 decimals; null while untested. */
export function deviationRate(results: readonly TestResultView[]): number | null {
  if (results.length === 0) return null;
  const exceptions = results.filter((r) => r.result === 'exception').length;
  return Math.round((exceptions / results.length) * 10_000) / 10_000;
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(keyOf(item), [...(groups.get(keyOf(item)) ?? []), item]);
  return groups;
}

type RequestRow = {
  request_id: string;
  engagement_id: string;
  origin: RequestView['origin'];
  control_id: string | null;
  evidence_type: string | null;
  sample_id: string | null;
  occurrence_id: string | null;
  raised_for: RequestView['raisedFor'] | null;
  missed_occurrence: RequestView['missedOccurrence'] | null;
  title: string;
  description: string;
  owner: RequestView['owner'];
  due_on: string;
  status: RequestView['status'];
  evidence: RequestView['evidence'];
  submitted_by: RequestView['submittedBy'] | null;
  overdue_on: string | null;
  created_at: string;
  created_by: RequestView['createdBy'];
  history: RequestView['history'];
  stream_version: number;
};

function requestView(row: RequestRow): RequestView {
  return {
    requestId: row.request_id,
    engagementId: row.engagement_id,
    origin: row.origin,
    ...(row.control_id === null ? {} : { controlId: row.control_id }),
    ...(row.evidence_type === null ? {} : { evidenceType: row.evidence_type }),
    ...(row.sample_id === null ? {} : { sampleId: row.sample_id }),
    ...(row.occurrence_id === null ? {} : { occurrenceId: row.occurrence_id }),
    ...(row.raised_for === null ? {} : { raisedFor: row.raised_for }),
    ...(row.missed_occurrence === null ? {} : { missedOccurrence: row.missed_occurrence }),
    title: row.title,
    description: row.description,
    owner: row.owner,
    dueOn: row.due_on,
    status: row.status,
    overdue: (row.status === 'open' || row.status === 'returned') && row.overdue_on === row.due_on,
    evidence: row.evidence,
    ...(row.submitted_by === null ? {} : { submittedBy: row.submitted_by }),
    createdAt: row.created_at,
    createdBy: row.created_by,
    history: row.history,
    version: row.stream_version,
  };
}

type PopulationRow = {
  population_id: string;
  engagement_id: string;
  control_id: string;
  window_from: string;
  window_to: string;
  frozen_at: string;
  frozen_by: PopulationView['frozenBy'];
  size: number;
  hash: string;
  listing: PopulationView['listing'];
};

function populationSummary(row: PopulationRow): PopulationSummary {
  return {
    populationId: row.population_id,
    engagementId: row.engagement_id,
    controlId: row.control_id,
    window: { from: row.window_from, to: row.window_to },
    frozenAt: row.frozen_at,
    frozenBy: row.frozen_by,
    size: row.size,
    hash: row.hash,
  };
}

type SampleRow = {
  sample_id: string;
  engagement_id: string;
  population_id: string;
  control_id: string;
  population_hash: string;
  seed: string;
  algorithm: string;
  size: number;
  basis: SampleView['basis'];
  selected: { draw: number; index: number; occurrenceId: string }[];
  selected_at: string;
  selected_by: SampleView['selectedBy'];
  listing: PopulationView['listing'];
  population_size?: number;
};

type ResultRow = {
  result_id: string;
  control_id: string;
  procedure: TestResultView['procedure'];
  occurrence_id: string | null;
  result: TestResultView['result'];
  description: string | null;
  tested_at: string;
  tested_by: TestResultView['testedBy'];
};

function resultView(row: ResultRow): TestResultView {
  return {
    resultId: row.result_id,
    controlId: row.control_id,
    procedure: row.procedure,
    ...(row.occurrence_id === null ? {} : { occurrenceId: row.occurrence_id }),
    result: row.result,
    ...(row.description === null ? {} : { description: row.description }),
    testedAt: row.tested_at,
    testedBy: row.tested_by,
  };
}

type ExceptionRow = {
  exception_id: string;
  control_id: string;
  result_id: string | null;
  occurrence_id: string | null;
  description: string;
  raised_at: string;
  raised_by: ExceptionView['raisedBy'];
  management_response: ExceptionView['managementResponse'] | null;
};

function exceptionView(row: ExceptionRow): ExceptionView {
  return {
    exceptionId: row.exception_id,
    controlId: row.control_id,
    ...(row.result_id === null ? {} : { resultId: row.result_id }),
    ...(row.occurrence_id === null ? {} : { occurrenceId: row.occurrence_id }),
    description: row.description,
    raisedAt: row.raised_at,
    raisedBy: row.raised_by,
    ...(row.management_response === null ? {} : { managementResponse: row.management_response }),
  };
}

type BridgeLetterRow = {
  letter_id: string;
  engagement_id: string;
  covers_from: string;
  covers_to: string;
  sha256: string;
  issued_at: string;
  issued_by: BridgeLetterView['issuedBy'];
};
