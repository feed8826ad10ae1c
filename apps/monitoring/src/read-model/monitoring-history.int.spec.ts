import { randomUUID } from 'node:crypto';
import { CommandPipeline, systemContext } from '@attest/command-pipeline';
import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import { waitFor } from '@attest/messaging/testing';
import {
  monitoringTestStreamId,
  resourceResults,
  resourceTimeline,
  testResultsStreamId,
  type ControlHealthInputs,
  type Outcome,
  type ResourceResult,
  type TestDefinition,
  type TestResultsEvent,
  type TestResultsRecordedData,
} from '@attest/monitoring-domain';
import { MONITORING_CONTROLS } from '../evaluation/monitoring-inputs';
import { MonitoringAggregates } from '../event-flow/monitoring-aggregates';
import { MonitoringEventStore } from '../event-flow/monitoring-event-store';
import { ACME, startMonitoring, USERS, type RunningMonitoring } from '../testing/monitoring-test-app';

jest.setTimeout(180_000);

const SYSTEM = { type: 'system' as const, id: 'system:monitoring-cycle' };
/** A resource id as collectors write them: with `/` and `:`, so the route must take it URL-encoded. */
const DB1 = 'arn:aws:rds:eu-west-1:123456789012:db/orders-primary';
const DB2 = 'arn:aws:rds:eu-west-1:123456789012:db/orders-replica';

/**
 * The read side of monitoring against PostgreSQL, through the service's routes: a test's latest results, one
 * resource's timeline (the domain's `resourceTimeline` of the recorded events), pass rates over a period, each test's
 * status and each control's health with its roll-up — now and as of a past moment, replayed from the log after the
 * resource started failing. The results, health and exceptions are recorded through the command pipeline as the
 * monitoring cycle records them.
 */
describe('monitoring read model: results, timeline, pass rate, status and health as of (PostgreSQL)', () => {
  let db: TestDatabase;
  let service: RunningMonitoring;
  let pipeline: CommandPipeline;
  let aggregates: MonitoringAggregates;
  const controlId = randomUUID();
  const otherControlId = randomUUID();
  const asOf = (value: string) => `asOf=${encodeURIComponent(value)}`;
  const auditor = () => service.as(USERS.auditor);
  /** What the routes answered at T1 (set by the first case), and where T1 is in the log. */
  const captured = { time: '', position: 0, status: [] as unknown[], health: {}, rollup: {} };

  const definition: TestDefinition = {
    testId: 'rds-tls-enforced',
    title: 'Databases enforce TLS',
    description: 'Every RDS instance refuses connections without TLS.',
    factTypes: ['aws.rds.instance'],
    condition: 'resource.attributes.requireSecureTransport == true',
    severity: 'high',
    controls: { catalogControlIds: [], controlIds: [controlId] },
    remediation: 'Set rds.force_ssl = 1 in the parameter group.',
  };

  /** The latest result of each resource, as the evaluation keeps them for the next run. */
  const latest: Record<string, ResourceResult> = {};

  async function record(
    runId: string,
    evaluatedAt: string,
    outcomes: Record<string, Outcome>,
    excepted: string[] = [],
  ) {
    const { events } = await pipeline.run(aggregates.results, systemContext(ACME, 'monitoring-cycle'), {
      type: 'RecordResults',
      resultsStreamId: testResultsStreamId(ACME, definition.testId),
      testId: definition.testId,
      testVersion: 1,
      severity: definition.severity,
      controlIds: [controlId],
      runId,
      collectorId: 'aws-rds',
      evaluatedAt,
      evaluations: Object.entries(outcomes).map(([resourceId, outcome]) => ({
        resourceType: 'aws.rds.instance',
        resourceId,
        outcome,
        details: outcome === 'fail' ? { requireSecureTransport: false } : {},
      })),
      exceptedResourceIds: excepted,
      previous: { ...latest },
      actor: SYSTEM,
    });
    for (const [resourceId, { result }] of resourceResults(latest, events as readonly TestResultsEvent[]))
      latest[resourceId] = result;
  }

  async function assess(at: string, tests: ControlHealthInputs['tests'], openExceptions = 0) {
    await pipeline.run(aggregates.controlHealth, systemContext(ACME, 'monitoring-cycle'), {
      type: 'AssessControlHealth',
      controlId,
      criteria: ['CC6.1', 'CC6.7'],
      inputs: { tests, evidence: [], openExceptions },
      at,
      actor: SYSTEM,
    });
  }

  /** The tenant's last event: where "now" is in the log. */
  async function lastEvent(): Promise<{ position: number; time: string }> {
    const r = await db.pool.query<{ position: string; recorded_at: Date }>(
      `SELECT global_position AS position, recorded_at FROM event_store.events
       WHERE tenant_id = $1 ORDER BY global_position DESC LIMIT 1`,
      [ACME],
    );
    return { position: Number(r.rows[0].position), time: r.rows[0].recorded_at.toISOString() };
  }

  /** The custom test's status in a page of statuses (all the tests fit one page of 100). */
  const statusOf = (page: { items: { testId: string }[] }) =>
    page.items.find((s) => s.testId === definition.testId);

  beforeAll(async () => {
    db = await createTestDatabase('attest_monitoring_history');
    // The system clock: as-of times are the database's recording times, and "the future" is after now.
    service = await startMonitoring({ pool: db.pool });
    pipeline = service.app.get(CommandPipeline);
    aggregates = service.app.get(MonitoringAggregates);
    const client = await db.pool.connect();
    try {
      for (const [id, code] of [
        [controlId, 'LM-01'],
        [otherControlId, 'LM-02'],
      ])
        await MONITORING_CONTROLS.add(
          client,
          ACME,
          { controlId: id, code, name: code, frequency: 'continuous', criteria: ['CC6.1', 'CC6.7'] },
          1,
        );
    } finally {
      client.release();
    }
    await pipeline.run(aggregates.test, systemContext(ACME, 'test-setup'), {
      type: 'DefineTest',
      testStreamId: monitoringTestStreamId(ACME, definition.testId),
      definition,
      at: '2026-01-02T09:00:00.000Z',
      actor: SYSTEM,
    });
  });

  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  it('captures at T1 both databases passing and the control healthy', async () => {
    await record(randomUUID(), '2026-01-10T10:00:00.000Z', { [DB1]: 'pass', [DB2]: 'pass' });
    await assess('2026-01-10T10:00:01.000Z', [
      { testId: definition.testId, passing: 2, failing: 0, erroring: 0 },
    ]);
    captured.status = (await auditor().get('/status?limit=100').expect(200)).body.items;
    expect(statusOf({ items: captured.status as { testId: string }[] })).toEqual(
      expect.objectContaining({
        status: 'passing',
        counts: { pass: 2, fail: 0, error: 0, notApplicable: 0, excepted: 0 },
        lastRun: expect.objectContaining({ evaluatedAt: '2026-01-10T10:00:00.000Z' }),
      }),
    );
    captured.health = (await auditor().get(`/control-health/${controlId}`).expect(200)).body;
    expect(captured.health).toEqual(expect.objectContaining({ health: 'healthy', previous: null }));
    captured.rollup = (await auditor().get('/control-health/rollup').expect(200)).body;
    Object.assign(captured, await lastEvent());
    await waitFor('the database clock to pass T1', async () => {
      const r = await db.pool.query<{ ok: boolean }>(
        "SELECT date_trunc('milliseconds', clock_timestamp()) > $1::timestamptz AS ok",
        [captured.time],
      );
      return r.rows[0].ok || null;
    });
  });

  it('after T1 the primary fails (twice: the second run changes nothing) and the control turns failing', async () => {
    await record(randomUUID(), '2026-02-10T10:00:00.000Z', { [DB1]: 'fail', [DB2]: 'pass' });
    await record(randomUUID(), '2026-03-10T10:00:00.000Z', { [DB1]: 'fail', [DB2]: 'pass' });
    await assess('2026-02-10T10:00:01.000Z', [
      { testId: definition.testId, passing: 1, failing: 1, erroring: 0 },
    ]);

    const { body: results } = await auditor().get(`/tests/${definition.testId}/results`).expect(200);
    expect(results.items).toEqual([
      expect.objectContaining({
        resourceId: DB1,
        outcome: 'fail',
        previousOutcome: 'pass',
        details: { requireSecureTransport: false },
        excepted: false,
        since: '2026-02-10T10:00:00.000Z',
      }),
      expect.objectContaining({ resourceId: DB2, outcome: 'pass', since: '2026-01-10T10:00:00.000Z' }),
    ]);
    const failing = await auditor().get(`/tests/${definition.testId}/results?outcome=fail`).expect(200);
    expect(failing.body.items.map((r: { resourceId: string }) => r.resourceId)).toEqual([DB1]);

    const status = statusOf((await auditor().get('/status?limit=100').expect(200)).body);
    expect(status).toEqual(
      expect.objectContaining({
        status: 'failing',
        counts: { pass: 1, fail: 1, error: 0, notApplicable: 0, excepted: 0 },
        lastRun: expect.objectContaining({ evaluatedAt: '2026-03-10T10:00:00.000Z' }),
      }),
    );
    const health = (await auditor().get(`/control-health/${controlId}`).expect(200)).body;
    expect(health).toEqual(
      expect.objectContaining({
        health: 'failing',
        previous: 'healthy',
        criteria: ['CC6.1', 'CC6.7'],
        reasons: expect.objectContaining({ failingTests: [{ testId: definition.testId, failing: 1 }] }),
      }),
    );
    const { body: rollup } = await auditor().get('/control-health/rollup').expect(200);
    expect(rollup.criteria).toEqual([
      expect.objectContaining({ criterionId: 'CC6.1', health: 'failing' }),
      expect.objectContaining({ criterionId: 'CC6.7', health: 'failing' }),
    ]);
    expect(rollup.categories).toEqual([
      {
        category: 'security',
        health: 'failing',
        controls: { healthy: 0, 'at-risk': 0, failing: 1, unknown: 0 },
      },
    ]);
  });

  it('answers status, health and roll-up as they were at T1, by time or by log position', async () => {
    for (const at of [captured.time, `position:${captured.position}`]) {
      expect(
        (
          await auditor()
            .get(`/status?limit=100&${asOf(at)}`)
            .expect(200)
        ).body,
      ).toEqual({ items: captured.status, next: null });
      expect(
        (
          await auditor()
            .get(`/control-health/${controlId}?${asOf(at)}`)
            .expect(200)
        ).body,
      ).toEqual(captured.health);
      expect(
        (
          await auditor()
            .get(`/control-health/rollup?${asOf(at)}`)
            .expect(200)
        ).body,
      ).toEqual(captured.rollup);
      const { body: list } = await auditor()
        .get(`/control-health?${asOf(at)}`)
        .expect(200);
      expect(list.items.map((h: { health: string }) => h.health)).toEqual(['healthy']);
    }
    // The throwaway schemas are gone once answered.
    const left = await db.pool.query("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'asof\\_%'");
    expect(left.rows).toEqual([]);
    // A moment that is not one of the log's is refused.
    const future = await auditor()
      .get(`/status?${asOf('2999-01-01T00:00:00Z')}`)
      .expect(422);
    expect(future.body.code).toBe('as-of-in-future');
  });

  it("tells a resource's timeline, the domain's resourceTimeline of the recorded events", async () => {
    const path = `/resources/${encodeURIComponent(DB1)}/timeline`;
    const { body } = await auditor().get(path).expect(200);
    expect(body.items).toEqual([
      expect.objectContaining({
        testId: definition.testId,
        resourceType: 'aws.rds.instance',
        at: '2026-01-10T10:00:00.000Z',
        outcome: 'pass',
        previousOutcome: null,
      }),
      expect.objectContaining({ at: '2026-02-10T10:00:00.000Z', outcome: 'fail', previousOutcome: 'pass' }),
    ]);
    const { events } = await service.app
      .get(MonitoringEventStore)
      .store.readStream(testResultsStreamId(ACME, definition.testId));
    const recorded = events
      .filter((e) => e.type === 'TestResultsRecorded')
      .map((e) => e.data as TestResultsRecordedData);
    expect(
      body.items.map(({ resourceType: _t, globalPosition: _p, ...entry }: Record<string, unknown>) => entry),
    ).toEqual(resourceTimeline(DB1, recorded));

    // One entry a page: the next link leads through the same entries.
    const first = await auditor().get(`${path}?limit=1`).expect(200);
    expect(first.body.items).toEqual([body.items[0]]);
    const second = await auditor().get(first.body.next.replace(/^\/v1/, '')).expect(200);
    expect(second.body).toEqual({ items: [body.items[1]], next: null });

    const none = await auditor()
      .get(`/resources/${encodeURIComponent('db/unknown-é')}/timeline`)
      .expect(200);
    expect(none.body).toEqual({ items: [], next: null });
    // As the document says: no control characters (C0, DEL, C1) and at most 512 characters.
    for (const bad of ['db\u0000x', 'db\u007fx', 'db\u0087x', 'x'.repeat(513)])
      await auditor()
        .get(`/resources/${encodeURIComponent(bad)}/timeline`)
        .expect(400);
    await auditor()
      .get(`/resources/${'x'.repeat(512)}/timeline`)
      .expect(200);
  });

  it('gives the pass rate of the test and of the control it proves over a period', async () => {
    const period = 'from=2026-01-01&to=2026-03-31';
    const { body: ofTest } = await auditor()
      .get(`/tests/${definition.testId}/pass-rate?${period}`)
      .expect(200);
    // Runs: 2 pass; 1 pass 1 fail; 1 pass 1 fail.
    expect(ofTest).toEqual(
      expect.objectContaining({ testId: definition.testId, runs: 3, pass: 4, fail: 2, rate: 4 / 6 }),
    );
    const january = await auditor()
      .get(`/tests/${definition.testId}/pass-rate?from=2026-01-01&to=2026-01-31`)
      .expect(200);
    expect(january.body).toEqual(expect.objectContaining({ runs: 1, pass: 2, fail: 0, rate: 1 }));
    const unknownTest = await auditor().get(`/tests/no-such-test/pass-rate?${period}`).expect(404);
    expect(unknownTest.body.code).toBe('test-not-found');

    const { body: ofControl } = await auditor()
      .get(`/control-health/${controlId}/pass-rate?${period}`)
      .expect(200);
    expect(ofControl).toEqual(
      expect.objectContaining({
        controlId,
        rate: 4 / 6,
        tests: [{ testId: definition.testId, runs: 3, pass: 4, fail: 2, rate: 4 / 6 }],
      }),
    );
    // A control no test proves has no rate; one the tenant does not have is not found.
    const unproven = await auditor().get(`/control-health/${otherControlId}/pass-rate?${period}`).expect(200);
    expect(unproven.body).toEqual(expect.objectContaining({ runs: 0, rate: null, tests: [] }));
    const unknown = await auditor().get(`/control-health/${randomUUID()}/pass-rate?${period}`).expect(404);
    expect(unknown.body.code).toBe('control-not-found');

    // The period is required, and cannot end before it starts (a rule across both dates: 422).
    await auditor().get(`/tests/${definition.testId}/pass-rate`).expect(400);
    await auditor().get(`/control-health/${controlId}/pass-rate?from=2026-01-01`).expect(400);
    for (const path of [`/tests/${definition.testId}`, `/control-health/${controlId}`]) {
      const reversed = await auditor().get(`${path}/pass-rate?from=2026-03-01&to=2026-01-01`).expect(422);
      expect(reversed.body.code).toBe('invalid-period');
    }
  });

  it('shows a failing resource as excepted once an exception is accepted, and the test no longer failing', async () => {
    await pipeline.run(aggregates.exception, systemContext(ACME, 'test-setup'), {
      type: 'AcceptException',
      exceptionId: randomUUID(),
      testId: definition.testId,
      resourceId: DB1,
      reason: 'Legacy clients until the March cut-over.',
      // A month from today: an exception expires within a year of its acceptance.
      expiresOn: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10),
      at: new Date().toISOString(),
      actor: { type: 'user', id: 'user:compliance' },
    });
    const { body } = await auditor().get(`/tests/${definition.testId}/results?outcome=fail`).expect(200);
    expect(body.items).toEqual([expect.objectContaining({ resourceId: DB1, excepted: true })]);
    expect(statusOf((await auditor().get('/status?limit=100').expect(200)).body)).toEqual(
      expect.objectContaining({
        status: 'passing',
        counts: { pass: 1, fail: 1, error: 0, notApplicable: 0, excepted: 1 },
      }),
    );
  });

  it('keeps tenants apart: another tenant sees none of it, and a control never assessed is unknown', async () => {
    const globex = service.as(USERS.globexAdmin);
    await globex.get(`/tests/${definition.testId}/results`).expect(404);
    expect(
      (await globex.get(`/resources/${encodeURIComponent(DB1)}/timeline`).expect(200)).body.items,
    ).toEqual([]);
    expect(statusOf((await globex.get('/status?limit=100').expect(200)).body)).toBeUndefined();
    expect((await globex.get('/control-health').expect(200)).body.items).toEqual([]);
    await globex.get(`/control-health/${controlId}`).expect(404);
    await globex.get(`/control-health/${controlId}/pass-rate?from=2026-01-01&to=2026-03-31`).expect(404);

    const { body } = await auditor().get(`/control-health/${otherControlId}`).expect(200);
    expect(body).toEqual(expect.objectContaining({ health: 'unknown', previous: null, version: 0 }));
    expect(body).not.toHaveProperty('changedAt');
  });
});
