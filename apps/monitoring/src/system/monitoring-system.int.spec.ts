import { randomUUID } from 'node:crypto';
import { CommandPipeline, systemContext } from '@attest/command-pipeline';
import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import { testResultsStreamId } from '@attest/monitoring-domain';
import { DEMO_SERVICE, expectRepeatReplayed, settableClock } from '@attest/service-kit/testing';
import { MonitoringAggregates } from '../event-flow/monitoring-aggregates';
import { knowControls } from '../testing/monitoring-fixtures';
import { ACME, GLOBEX, startMonitoring, USERS, type RunningMonitoring } from '../testing/monitoring-test-app';

jest.setTimeout(180_000);

/**
 * The routes the orchestrator calls with its own client-credentials token (the identity provider's), for the
 * tenant the path names: the monitoring sweep, retried safely under an Idempotency-Key, and a control's activity
 * per day. People are refused there, and the orchestrator everywhere else.
 */
describe('monitoring system routes with the orchestrator’s token (PostgreSQL, identity provider)', () => {
  let db: TestDatabase;
  let service: RunningMonitoring;
  const clock = settableClock('2026-07-01T09:00:00.000Z');
  const orchestrator = () => service.as(DEMO_SERVICE);
  const controlId = randomUUID();
  const SYSTEM = '/system/tenants';

  beforeAll(async () => {
    db = await createTestDatabase('attest_mon_system');
    service = await startMonitoring({ pool: db.pool, clock });
    await knowControls(service, ACME, [
      { controlId, code: 'ACME-07', name: 'Backups run daily', frequency: 'daily', criteria: ['A1.2'] },
    ]);
  });

  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  it('expires the exceptions due at the service clock’s time, once, and replays the answer to a repeated key', async () => {
    await service
      .as(USERS.manager)
      .post('/exceptions')
      .send({
        testId: 'postgresql-log-connections-enabled',
        resourceId: 'postgresql://legacy.internal:5432',
        reason: 'Decommissioned in July.',
        expiresOn: '2026-07-10',
      })
      .expect(201);
    clock.set('2026-07-11T06:00:00.000Z');
    const first = await expectRepeatReplayed(
      () => orchestrator().post(`${SYSTEM}/${ACME}/monitoring-sweeps`),
      'sweep-acme-2026-07-11',
    );
    expect(first.body).toEqual({
      tenantId: ACME,
      at: '2026-07-11T06:00:00.000Z',
      expired: 1,
      alertsRaised: 0,
    });
    // A new sweep finds nothing left to expire; another tenant's sweep touches nothing of acme's.
    expect((await orchestrator().post(`${SYSTEM}/${ACME}/monitoring-sweeps`).expect(200)).body.expired).toBe(
      0,
    );
    expect(
      (await orchestrator().post(`${SYSTEM}/${GLOBEX}/monitoring-sweeps`).expect(200)).body,
    ).toMatchObject({
      tenantId: GLOBEX,
      expired: 0,
    });
    const expired = await service.as(USERS.manager).get('/exceptions?status=expired').expect(200);
    expect(expired.body.items).toHaveLength(1);
  });

  it('answers per day the runs of the tests proving a control, the days nothing ran left out', async () => {
    const testId = 'acme-backups-recent';
    await service
      .as(USERS.manager)
      .post('/tests')
      .send({
        testId,
        title: 'Backups are recent',
        description: 'Every database has a backup of the last day.',
        factTypes: ['aws.rds.instance'],
        condition: 'resource.attributes.latestBackupAgeHours < 24',
        severity: 'high',
        controls: { catalogControlIds: [], controlIds: [controlId] },
        remediation: 'Turn automated backups on.',
      })
      .expect(201);
    const runIds = [randomUUID(), randomUUID(), randomUUID()];
    const runs: [string, string][] = [
      [runIds[0], '2026-07-02T01:00:00.000Z'],
      [runIds[1], '2026-07-02T13:00:00.000Z'],
      [runIds[2], '2026-07-04T01:00:00.000Z'],
    ];
    const pipeline = service.app.get(CommandPipeline);
    const aggregates = service.app.get(MonitoringAggregates);
    const context = systemContext(ACME, 'monitoring-cycle');
    for (const [runId, evaluatedAt] of runs)
      await pipeline.run(aggregates.results, context, {
        type: 'RecordResults',
        resultsStreamId: testResultsStreamId(ACME, testId),
        testId,
        testVersion: 1,
        severity: 'high',
        controlIds: [controlId],
        runId,
        collectorId: 'aws-rds',
        evaluatedAt,
        evaluations: [{ resourceType: 'aws.rds.instance', resourceId: 'db-1', outcome: 'pass', details: {} }],
        exceptedResourceIds: [],
        previous: {},
        actor: context.actor,
      });

    const activity = await orchestrator()
      .get(`${SYSTEM}/${ACME}/control-activity?controlId=${controlId}&from=2026-07-01&to=2026-07-05`)
      .expect(200);
    const run = (runId: string, evaluatedAt: string) => ({
      testId,
      runId,
      testVersion: 1,
      collectorId: 'aws-rds',
      evaluatedAt,
      counts: { pass: 1, fail: 0, error: 0, notApplicable: 0, excepted: 0 },
    });
    expect(activity.body).toEqual({
      controlId,
      from: '2026-07-01',
      to: '2026-07-05',
      testIds: [testId],
      days: [
        { day: '2026-07-02', runs: [run(...runs[0]), run(...runs[1])] },
        { day: '2026-07-04', runs: [run(...runs[2])] },
      ],
    });
    const unknown = await orchestrator()
      .get(`${SYSTEM}/${ACME}/control-activity?controlId=${randomUUID()}&from=2026-07-01&to=2026-07-05`)
      .expect(404);
    expect(unknown.body.code).toBe('control-not-found');
    // Another tenant has no such control: the path's tenant is the one read.
    await orchestrator()
      .get(`${SYSTEM}/${GLOBEX}/control-activity?controlId=${controlId}&from=2026-07-01&to=2026-07-05`)
      .expect(404);
    const reversed = await orchestrator()
      .get(`${SYSTEM}/${ACME}/control-activity?controlId=${controlId}&from=2026-07-05&to=2026-07-01`)
      .expect(422);
    expect(reversed.body.code).toBe('invalid-period');
  });

  it('refuses people on the system routes, and the orchestrator on every other route', async () => {
    for (const user of [USERS.admin, USERS.manager])
      await service.as(user).post(`${SYSTEM}/${ACME}/monitoring-sweeps`).expect(403);
    await orchestrator().get('/tests').expect(403);
    await orchestrator().get(`/control-health/${controlId}`).expect(403);
  });
});
