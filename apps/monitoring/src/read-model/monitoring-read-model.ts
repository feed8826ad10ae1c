import type { Pool } from 'pg';
import { sqlIdent } from '@attest/event-store';
import { SHIPPED_TESTS, type Actor, type Outcome, type TestDefinition } from '@attest/monitoring-domain';
import type { Clock, KnownControls } from '@attest/service-kit';
import type {
  AlertFilter,
  AlertSortKey,
  AlertView,
  ControlHealthFilter,
  ControlHealthView,
  EndpointSortKey,
  ExceptionFilter,
  ExceptionSortKey,
  ExceptionView,
  IdSortKey,
  PageRead,
  ResultView,
  TestFilter,
  TestRunView,
  TestStatusView,
  TestView,
  TimelineEntryView,
  TimelineSortKey,
  WebhookEndpointView,
} from './monitoring-views';

/** What the views derive from the moment they are read, and where the tenants' controls are. */
export interface MonitoringReadSettings {
  /** The service clock: whether a snooze has ended. */
  clock: Clock;
  /** The tenants' controls as control-mapping announced them (`monitoring_inputs`): what a catalog id resolves to. */
  knownControls: KnownControls;
}

/** A period of whole days (UTC), both ends included. */
export interface DayPeriod {
  from: string;
  to: string;
}

/** The shipped tests as views, in id order (the order of every test list). */
const SHIPPED: readonly TestView[] = SHIPPED_TESTS.map(
  ({ fixtures: _fixtures, ...definition }): TestView => ({ ...definition, origin: 'shipped', version: 1 }),
).sort((a, b) => compareIds(a.testId, b.testId));

/** Orders ids as PostgreSQL does under `COLLATE "C"` (by code point), which every id list here sorts by. */
function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `x ? '<value>'`: whether a jsonb array of strings holds the value. */
const holds = (array: string, param: string) => `jsonb_exists(${array}, ${param})`;

/**
 * Queries over the monitoring read model, always within one tenant (every table is keyed by tenant first). Over the
 * live read model (the service's pool and `monitoring_read`), or over one replayed into another schema for an as-of
 * view (through that view's connection): the same queries either way. The tenants' controls are read where the
 * consumer keeps them, as they are now, in both cases (they are not in the service's log).
 */
export class MonitoringReadModel {
  private readonly s: string;

  constructor(
    private readonly db: Pick<Pool, 'query'>,
    schema: string,
    private readonly settings: MonitoringReadSettings,
  ) {
    this.s = sqlIdent(schema);
  }

  // ---- tests ----

  /** A shipped test, or one of the tenant's own at its current version. */
  async test(tenantId: string, testId: string): Promise<TestView | null> {
    const shipped = SHIPPED.find((t) => t.testId === testId);
    if (shipped) return shipped;
    const r = await this.db.query<CustomTestRow>(
      `SELECT * FROM ${this.s}.custom_tests WHERE tenant_id = $1 AND test_id = $2`,
      [tenantId, testId],
    );
    return r.rows[0] ? customTestView(r.rows[0]) : null;
  }

  /** Shipped and custom tests together, by id, filtered; `page.limit` tests after `page.after`. */
  async tests(tenantId: string, filter: TestFilter, page: PageRead<IdSortKey>): Promise<TestView[]> {
    const proving =
      filter.controlId === undefined ? undefined : await this.provenControl(tenantId, filter.controlId);
    if (proving === null) return [];
    const after = page.after?.[0];
    const shipped =
      filter.origin === 'custom'
        ? []
        : SHIPPED.filter(
            (t) =>
              (after === undefined || compareIds(t.testId, after) > 0) &&
              (filter.factType === undefined || t.factTypes.includes(filter.factType)) &&
              (proving === undefined || proves(t, proving)),
          ).slice(0, page.limit);
    const custom = filter.origin === 'shipped' ? [] : await this.customTests(tenantId, filter, proving, page);
    return [...shipped, ...custom].sort((a, b) => compareIds(a.testId, b.testId)).slice(0, page.limit);
  }

  /**
   * Every test proving the tenant's control: those naming it, and those naming the catalog control it adopts; null
   * for a control the tenant does not have.
   */
  async testsProving(tenantId: string, controlId: string): Promise<TestView[] | null> {
    if (!(await this.provenControl(tenantId, controlId))) return null;
    const tests: TestView[] = [];
    for (let after: IdSortKey | undefined; ;) {
      const page = await this.tests(tenantId, { controlId }, { after, limit: 500 });
      tests.push(...page);
      if (page.length < 500) return tests;
      after = [page[page.length - 1].testId];
    }
  }

  // ---- results and history ----

  /** The latest result of the test for each resource it evaluated, by resource id. */
  async results(
    tenantId: string,
    testId: string,
    filter: { outcome?: Outcome },
    page: PageRead<IdSortKey>,
  ): Promise<ResultView[]> {
    const params: unknown[] = [tenantId, testId];
    const param = (value: unknown) => `$${params.push(value)}`;
    const where = ['r.tenant_id = $1', 'r.test_id = $2'];
    if (filter.outcome !== undefined) where.push(`r.outcome = ${param(filter.outcome)}`);
    if (page.after) where.push(`r.resource_id COLLATE "C" > ${param(page.after[0])}`);
    const r = await this.db.query<ResultRow>(
      `SELECT r.*, ${this.inForce('r')} AS excepted FROM ${this.s}.results r WHERE ${where.join(' AND ')}
       ORDER BY r.resource_id COLLATE "C" LIMIT ${param(page.limit)}`,
      params,
    );
    return r.rows.map((row) => ({
      testId: row.test_id,
      resourceType: row.resource_type,
      resourceId: row.resource_id,
      outcome: row.outcome,
      previousOutcome: row.previous_outcome,
      details: row.details,
      excepted: row.excepted,
      since: row.since,
      evaluatedAt: row.evaluated_at,
      runId: row.run_id,
      testVersion: row.test_version,
    }));
  }

  /**
   * Every change of the resource's results under any test, oldest first (ties by test id, then log order), as the
   * domain's `resourceTimeline` orders them. Instants are compared as the service writes them (UTC, ISO 8601).
   */
  async timeline(
    tenantId: string,
    resourceId: string,
    page: PageRead<TimelineSortKey>,
  ): Promise<TimelineEntryView[]> {
    const [at, testId, position] = page.after ?? [null, null, null];
    const r = await this.db.query<ResultRow & { position: string }>(
      `SELECT * FROM ${this.s}.result_changes
       WHERE tenant_id = $1 AND resource_id = $2
         AND ($3::text IS NULL OR (evaluated_at COLLATE "C", test_id COLLATE "C", position) > ($3::text, $4::text, $5::bigint))
       ORDER BY evaluated_at COLLATE "C", test_id COLLATE "C", position LIMIT $6`,
      [tenantId, resourceId, at, testId, position, page.limit],
    );
    return r.rows.map((row) => ({
      testId: row.test_id,
      testVersion: row.test_version,
      runId: row.run_id,
      at: row.evaluated_at,
      outcome: row.outcome,
      previousOutcome: row.previous_outcome,
      details: row.details,
      excepted: row.excepted,
      resourceType: row.resource_type,
      globalPosition: Number(row.position),
    }));
  }

  /** The runs of these tests that evaluated within the period (days in UTC), oldest first. */
  async runs(tenantId: string, testIds: readonly string[], period: DayPeriod): Promise<TestRunView[]> {
    if (testIds.length === 0) return [];
    const r = await this.db.query<RunRow>(
      `SELECT * FROM ${this.s}.runs
       WHERE tenant_id = $1 AND test_id = ANY($2::text[])
         AND (evaluated_at::timestamptz AT TIME ZONE 'UTC')::date BETWEEN $3::date AND $4::date
       ORDER BY evaluated_at::timestamptz, test_id COLLATE "C", run_id`,
      [tenantId, testIds, period.from, period.to],
    );
    return r.rows.map((row) => ({
      testId: row.test_id,
      runId: row.run_id,
      testVersion: row.test_version,
      collectorId: row.collector_id,
      evaluatedAt: row.evaluated_at,
      counts: {
        pass: row.pass,
        fail: row.fail,
        error: row.error,
        notApplicable: row.not_applicable,
        excepted: row.excepted,
      },
    }));
  }

  /** Where each test of a page of the tenant's tests (by id) stands, from its resources' latest results. */
  async statuses(tenantId: string, page: PageRead<IdSortKey>): Promise<TestStatusView[]> {
    const tests = await this.tests(tenantId, {}, page);
    const testIds = tests.map((t) => t.testId);
    const counts = await this.db.query<
      Pick<RunRow, 'test_id' | 'pass' | 'fail' | 'error' | 'not_applicable' | 'excepted'>
    >(
      `SELECT test_id,
         count(*) FILTER (WHERE outcome = 'pass')::int AS pass,
         count(*) FILTER (WHERE outcome = 'fail')::int AS fail,
         count(*) FILTER (WHERE outcome = 'error')::int AS error,
         count(*) FILTER (WHERE outcome = 'not-applicable')::int AS not_applicable,
         count(*) FILTER (WHERE outcome = 'fail' AND excepted)::int AS excepted
       FROM (SELECT r.test_id, r.outcome, ${this.inForce('r')} AS excepted FROM ${this.s}.results r
             WHERE r.tenant_id = $1 AND r.test_id = ANY($2::text[])) latest
       GROUP BY test_id`,
      [tenantId, testIds],
    );
    const lastRuns = await this.db.query<Pick<RunRow, 'test_id' | 'run_id' | 'evaluated_at'>>(
      `SELECT DISTINCT ON (test_id) test_id, run_id, evaluated_at FROM ${this.s}.runs
       WHERE tenant_id = $1 AND test_id = ANY($2::text[])
       ORDER BY test_id, evaluated_at::timestamptz DESC, run_id DESC`,
      [tenantId, testIds],
    );
    const countsOf = new Map(counts.rows.map((row) => [row.test_id, row]));
    const lastRunOf = new Map(lastRuns.rows.map((row) => [row.test_id, row]));
    return tests.map((test) => {
      const c = countsOf.get(test.testId);
      const run = lastRunOf.get(test.testId);
      const resultCounts = {
        pass: c?.pass ?? 0,
        fail: c?.fail ?? 0,
        error: c?.error ?? 0,
        notApplicable: c?.not_applicable ?? 0,
        excepted: c?.excepted ?? 0,
      };
      return {
        testId: test.testId,
        title: test.title,
        severity: test.severity,
        origin: test.origin,
        status:
          resultCounts.fail > resultCounts.excepted
            ? 'failing'
            : resultCounts.error > 0
              ? 'erroring'
              : resultCounts.pass + resultCounts.excepted > 0
                ? 'passing'
                : resultCounts.notApplicable > 0
                  ? 'not-applicable'
                  : 'not-run',
        counts: resultCounts,
        lastRun: run ? { runId: run.run_id, evaluatedAt: run.evaluated_at } : null,
      };
    });
  }

  // ---- alerts ----

  async alert(tenantId: string, alertId: string): Promise<AlertView | null> {
    const r = await this.db.query<AlertRow>(
      `SELECT *, ${alertStatus('$3')} AS status FROM ${this.s}.alerts WHERE tenant_id = $1 AND alert_id = $2`,
      [tenantId, alertId, this.now()],
    );
    return r.rows[0] ? alertView(r.rows[0]) : null;
  }

  /** The tenant's alerts, newest raised first, filtered (the status as of now). */
  async alerts(tenantId: string, filter: AlertFilter, page: PageRead<AlertSortKey>): Promise<AlertView[]> {
    const params: unknown[] = [tenantId, this.now()];
    const param = (value: unknown) => `$${params.push(value)}`;
    const where = ['tenant_id = $1'];
    if (filter.status !== undefined) where.push(`${alertStatus('$2')} = ${param(filter.status)}`);
    if (filter.testId !== undefined) where.push(`test_id = ${param(filter.testId)}`);
    if (filter.resourceId !== undefined) where.push(`resource_id = ${param(filter.resourceId)}`);
    if (filter.severity !== undefined) where.push(`severity = ${param(filter.severity)}`);
    if (page.after) where.push(`(raised_at, alert_id) < (${param(page.after[0])}, ${param(page.after[1])})`);
    const r = await this.db.query<AlertRow>(
      `SELECT *, ${alertStatus('$2')} AS status FROM ${this.s}.alerts WHERE ${where.join(' AND ')}
       ORDER BY raised_at DESC, alert_id DESC LIMIT ${param(page.limit)}`,
      params,
    );
    return r.rows.map(alertView);
  }

  // ---- exceptions ----

  async exception(tenantId: string, exceptionId: string): Promise<ExceptionView | null> {
    const r = await this.db.query<ExceptionRow>(
      `SELECT * FROM ${this.s}.exceptions WHERE tenant_id = $1 AND exception_id = $2`,
      [tenantId, exceptionId],
    );
    return r.rows[0] ? exceptionView(r.rows[0]) : null;
  }

  /** The tenant's exceptions, newest accepted first, filtered. */
  async exceptions(
    tenantId: string,
    filter: ExceptionFilter,
    page: PageRead<ExceptionSortKey>,
  ): Promise<ExceptionView[]> {
    const params: unknown[] = [tenantId];
    const param = (value: unknown) => `$${params.push(value)}`;
    const where = ['tenant_id = $1'];
    if (filter.status !== undefined)
      where.push(filter.status === 'expired' ? 'expired_at IS NOT NULL' : 'expired_at IS NULL');
    if (filter.testId !== undefined) where.push(`test_id = ${param(filter.testId)}`);
    if (filter.resourceId !== undefined) where.push(`resource_id = ${param(filter.resourceId)}`);
    if (page.after)
      where.push(`(accepted_at, exception_id) < (${param(page.after[0])}, ${param(page.after[1])})`);
    const r = await this.db.query<ExceptionRow>(
      `SELECT * FROM ${this.s}.exceptions WHERE ${where.join(' AND ')}
       ORDER BY accepted_at DESC, exception_id DESC LIMIT ${param(page.limit)}`,
      params,
    );
    return r.rows.map(exceptionView);
  }

  // ---- control health ----

  /**
   * The control's health; `unknown` with no reasons for a control of the tenant's never assessed (nothing proves it
   * yet); null for a control the tenant does not have.
   */
  async controlHealth(tenantId: string, controlId: string): Promise<ControlHealthView | null> {
    const r = await this.db.query<ControlHealthRow>(
      `SELECT * FROM ${this.s}.control_health WHERE tenant_id = $1 AND control_id = $2`,
      [tenantId, controlId],
    );
    if (r.rows[0]) return controlHealthView(r.rows[0]);
    const [control] = await this.settings.knownControls.find(this.db, tenantId, 'control_id', [controlId]);
    if (!control) return null;
    return {
      controlId,
      health: 'unknown',
      previous: null,
      criteria: control.criteria,
      reasons: {
        failingTests: [],
        erroringTests: [],
        expiredEvidence: [],
        expiringEvidence: [],
        openExceptions: 0,
        testsPassing: 0,
      },
      version: 0,
    };
  }

  /** The health of the tenant's controls that have one, by control id, filtered; all of them without a page. */
  async controlHealths(
    tenantId: string,
    filter: ControlHealthFilter,
    page?: PageRead<IdSortKey>,
  ): Promise<ControlHealthView[]> {
    const params: unknown[] = [tenantId];
    const param = (value: unknown) => `$${params.push(value)}`;
    const where = ['tenant_id = $1'];
    if (filter.health !== undefined) where.push(`health = ${param(filter.health)}`);
    if (filter.criterion !== undefined) where.push(`criteria @> ARRAY[${param(filter.criterion)}::text]`);
    if (page?.after) where.push(`control_id COLLATE "C" > ${param(page.after[0])}`);
    const r = await this.db.query<ControlHealthRow>(
      `SELECT * FROM ${this.s}.control_health WHERE ${where.join(' AND ')} ORDER BY control_id COLLATE "C"
       ${page ? `LIMIT ${param(page.limit)}` : ''}`,
      params,
    );
    return r.rows.map(controlHealthView);
  }

  // ---- webhook endpoints ----

  async webhookEndpoint(tenantId: string, endpointId: string): Promise<WebhookEndpointView | null> {
    const r = await this.db.query<EndpointRow>(
      `SELECT * FROM ${this.s}.webhook_endpoints WHERE tenant_id = $1 AND endpoint_id = $2`,
      [tenantId, endpointId],
    );
    return r.rows[0] ? endpointView(r.rows[0]) : null;
  }

  /** The tenant's endpoints not removed, oldest first. */
  async webhookEndpoints(tenantId: string, page: PageRead<EndpointSortKey>): Promise<WebhookEndpointView[]> {
    const [registeredAt, endpointId] = page.after ?? [null, null];
    const r = await this.db.query<EndpointRow>(
      `SELECT * FROM ${this.s}.webhook_endpoints
       WHERE tenant_id = $1 AND removed_at IS NULL
         AND ($2::text IS NULL OR (registered_at, endpoint_id) > ($2::text, $3::text))
       ORDER BY registered_at, endpoint_id LIMIT $4`,
      [tenantId, registeredAt, endpointId, page.limit],
    );
    return r.rows.map(endpointView);
  }

  // ---- helpers ----

  private now(): string {
    return this.settings.clock.now().toISOString();
  }

  /** Whether an exception in force covers the row's (test, resource); `alias` names the row's table. */
  private inForce(alias: string): string {
    return `EXISTS (SELECT 1 FROM ${this.s}.exceptions x WHERE x.tenant_id = ${alias}.tenant_id
      AND x.test_id = ${alias}.test_id AND x.resource_id = ${alias}.resource_id AND x.expired_at IS NULL)`;
  }

  /**
   * The control a test must prove to be listed under `controlId`: its id and the catalog control it adopts; null for
   * a control the tenant does not have (no test proves it).
   */
  private async provenControl(
    tenantId: string,
    controlId: string,
  ): Promise<{ controlId: string; catalogControlId?: string } | null> {
    const [control] = await this.settings.knownControls.find(this.db, tenantId, 'control_id', [controlId]);
    return control ? { controlId, catalogControlId: control.catalogControlId } : null;
  }

  private async customTests(
    tenantId: string,
    filter: TestFilter,
    proving: { controlId: string; catalogControlId?: string } | undefined,
    page: PageRead<IdSortKey>,
  ): Promise<TestView[]> {
    const params: unknown[] = [tenantId];
    const param = (value: unknown) => `$${params.push(value)}`;
    const where = ['tenant_id = $1'];
    if (filter.factType !== undefined) where.push(holds(`definition->'factTypes'`, param(filter.factType)));
    if (proving) {
      const named = holds(`definition->'controls'->'controlIds'`, param(proving.controlId));
      where.push(
        proving.catalogControlId === undefined
          ? named
          : `(${named} OR ${holds(`definition->'controls'->'catalogControlIds'`, param(proving.catalogControlId))})`,
      );
    }
    if (page.after) where.push(`test_id COLLATE "C" > ${param(page.after[0])}`);
    const r = await this.db.query<CustomTestRow>(
      `SELECT * FROM ${this.s}.custom_tests WHERE ${where.join(' AND ')}
       ORDER BY test_id COLLATE "C" LIMIT ${param(page.limit)}`,
      params,
    );
    return r.rows.map(customTestView);
  }
}

/** Whether a test proves the control (by its id, or by the catalog control it adopts). */
function proves(test: TestDefinition, control: { controlId: string; catalogControlId?: string }): boolean {
  return (
    test.controls.controlIds.includes(control.controlId) ||
    (control.catalogControlId !== undefined &&
      test.controls.catalogControlIds.includes(control.catalogControlId))
  );
}

/**
 * An alert's status as of `now` (a parameter): resolved, else snoozed while the last snooze lasts, else
 * acknowledged, else open. Instants compare as times, whatever offset an event wrote.
 */
const alertStatus = (now: string) => `(CASE WHEN resolution IS NOT NULL THEN 'resolved'
  WHEN snoozed_until IS NOT NULL AND snoozed_until::timestamptz > ${now}::timestamptz THEN 'snoozed'
  WHEN acknowledgement IS NOT NULL THEN 'acknowledged' ELSE 'open' END)`;

/** A row of `results` (the latest) or `result_changes` (one change), with whether an exception covers it. */
interface ResultRow {
  test_id: string;
  resource_type: string;
  resource_id: string;
  outcome: Outcome;
  previous_outcome: Outcome | null;
  details: Record<string, unknown>;
  excepted: boolean;
  since: string;
  evaluated_at: string;
  run_id: string;
  test_version: number;
}

interface RunRow {
  test_id: string;
  run_id: string;
  test_version: number;
  collector_id: string;
  evaluated_at: string;
  pass: number;
  fail: number;
  error: number;
  not_applicable: number;
  excepted: number;
}

interface CustomTestRow {
  definition: TestDefinition;
  version: number;
  defined_at: string;
  defined_by: Actor;
  changed_at: string;
  changed_by: Actor;
  change_summary: string | null;
}

function customTestView(row: CustomTestRow): TestView {
  return {
    ...row.definition,
    origin: 'custom',
    version: row.version,
    definedAt: row.defined_at,
    definedBy: row.defined_by,
    changedAt: row.changed_at,
    changedBy: row.changed_by,
    ...(row.change_summary === null ? {} : { changeSummary: row.change_summary }),
  };
}

interface AlertRow {
  alert_id: string;
  test_id: string;
  resource_type: string;
  resource_id: string;
  severity: AlertView['severity'];
  control_ids: string[];
  run_id: string;
  details: Record<string, unknown>;
  raised_at: string;
  raised_by: Actor;
  status: AlertView['status'];
  acknowledgement: AlertView['acknowledgement'] | null;
  snooze: AlertView['snooze'] | null;
  resolution: AlertView['resolution'] | null;
  stream_version: number;
}

function alertView(row: AlertRow): AlertView {
  return {
    alertId: row.alert_id,
    testId: row.test_id,
    resourceType: row.resource_type,
    resourceId: row.resource_id,
    severity: row.severity,
    controlIds: row.control_ids,
    runId: row.run_id,
    details: row.details,
    raisedAt: row.raised_at,
    raisedBy: row.raised_by,
    status: row.status,
    ...(row.acknowledgement === null ? {} : { acknowledgement: row.acknowledgement }),
    ...(row.snooze === null ? {} : { snooze: row.snooze }),
    ...(row.resolution === null ? {} : { resolution: row.resolution }),
    version: row.stream_version,
  };
}

interface ExceptionRow {
  exception_id: string;
  test_id: string;
  resource_id: string;
  reason: string;
  expires_on: string;
  accepted_at: string;
  accepted_by: Actor;
  expired_at: string | null;
  stream_version: number;
}

function exceptionView(row: ExceptionRow): ExceptionView {
  return {
    exceptionId: row.exception_id,
    testId: row.test_id,
    resourceId: row.resource_id,
    reason: row.reason,
    expiresOn: row.expires_on,
    acceptedAt: row.accepted_at,
    approvedBy: row.accepted_by,
    status: row.expired_at === null ? 'in-force' : 'expired',
    ...(row.expired_at === null ? {} : { expiredAt: row.expired_at }),
    version: row.stream_version,
  };
}

interface ControlHealthRow {
  control_id: string;
  health: ControlHealthView['health'];
  previous: ControlHealthView['previous'];
  criteria: string[];
  reasons: ControlHealthView['reasons'];
  changed_at: string;
  stream_version: number;
}

function controlHealthView(row: ControlHealthRow): ControlHealthView {
  return {
    controlId: row.control_id,
    health: row.health,
    previous: row.previous,
    criteria: row.criteria,
    reasons: row.reasons,
    changedAt: row.changed_at,
    version: row.stream_version,
  };
}

interface EndpointRow {
  endpoint_id: string;
  url: string;
  event_types: string[];
  description: string | null;
  registered_at: string;
  registered_by: Actor;
  removed_at: string | null;
  stream_version: number;
}

function endpointView(row: EndpointRow): WebhookEndpointView {
  return {
    endpointId: row.endpoint_id,
    url: row.url,
    eventTypes: row.event_types,
    ...(row.description === null ? {} : { description: row.description }),
    registeredAt: row.registered_at,
    registeredBy: row.registered_by,
    ...(row.removed_at === null ? {} : { removedAt: row.removed_at }),
    version: row.stream_version,
  };
}
