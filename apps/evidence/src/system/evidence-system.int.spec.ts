import { randomBytes, randomUUID } from 'node:crypto';
import {
  createTestDatabase,
  type DatabaseServer,
  databaseServerOf,
  type TestDatabase,
} from '@attest/event-store/testing';
import { DEMO_SERVICE, idempotentAnswer, settableClock } from '@attest/service-kit/testing';
import { CollectorSecrets } from '../collection/collector-secrets';
import {
  ACME,
  knowControls,
  sendUpload,
  startEvidence,
  USERS,
  type RunningEvidence,
} from '../testing/evidence-test-app';

jest.setTimeout(180_000);

/**
 * The evidence service's routes for the orchestrator, called with a real client-credentials token of
 * `attest-orchestrator` (realm role `service`): a stored collector configuration (secrets sealed, never answered)
 * run by a schedule, the freshness sweep, and the evidence of a control's occurrences day by day.
 */
describe('evidence system routes (PostgreSQL, identity provider)', () => {
  let db: TestDatabase;
  let service: RunningEvidence;
  const clock = settableClock('2026-06-15T08:00:00.000Z');
  const password = `secret-${randomBytes(12).toString('hex')}`;
  const control = {
    controlId: randomUUID(),
    code: 'AC-03',
    catalogControlId: 'AC-03',
    name: 'Access reviews',
    frequency: 'quarterly' as const,
    criteria: ['CC6.1'],
  };
  let server: DatabaseServer;
  const system = (path: string) => `/system/tenants/${ACME}${path}`;

  beforeAll(async () => {
    db = await createTestDatabase('attest_ev_system');
    server = databaseServerOf(db);
    service = await startEvidence({ pool: db.pool, clock });
    await knowControls(db.pool, ACME, [control]);
  });

  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  it('stores a configuration with its secret sealed, answers it redacted, and keeps the secret sent back redacted', async () => {
    const config = { ...server, password, sslmode: 'disable' };
    const first = await service
      .as(USERS.manager)
      .put('/collector-configurations/postgresql-security')
      .send(config)
      .expect(201);
    expect(first.headers.location).toBe('/v1/collector-configurations/postgresql-security');
    expect(first.headers.etag).toBe('"1"');
    expect(first.body).toMatchObject({ config: { ...config, password: '[redacted]' }, version: 1 });

    // Nowhere in the database in the clear.
    const row = await db.pool.query(
      `SELECT config::text, secrets FROM evidence_config.collector_configurations WHERE tenant_id = $1`,
      [ACME],
    );
    expect(JSON.stringify(row.rows)).not.toContain(password);
    const secrets = service.app.get(CollectorSecrets);
    const owner = { tenantId: ACME, collectorId: 'postgresql-security' };
    expect(secrets.open(owner, row.rows[0].secrets)).toEqual({ password });
    // Sealed for acme: it does not open as another tenant's.
    expect(() => secrets.open({ ...owner, tenantId: 'globex' }, row.rows[0].secrets)).toThrow();

    // The GET answer sent back (with If-Match) keeps the secret; a stale If-Match is refused.
    const { body: got } = await service
      .as(USERS.manager)
      .get('/collector-configurations/postgresql-security')
      .expect(200);
    expect(got.config.password).toBe('[redacted]');
    const replaced = await service
      .as(USERS.manager)
      .put('/collector-configurations/postgresql-security')
      .set('If-Match', '"1"')
      .send({ ...got.config, port: server.port })
      .expect(200);
    expect(replaced.body.version).toBe(2);
    const again = await db.pool.query(`SELECT secrets FROM evidence_config.collector_configurations`);
    expect(secrets.open(owner, again.rows[0].secrets)).toEqual({ password });
    await service
      .as(USERS.manager)
      .put('/collector-configurations/postgresql-security')
      .set('If-Match', '"1"')
      .send(config)
      .expect(412);

    const list = await service.as(USERS.manager).get('/collector-configurations').expect(200);
    expect(list.body.items.map((c: { collectorId: string }) => c.collectorId)).toEqual([
      'postgresql-security',
    ]);
  });

  it('refuses a config the collector cannot use, and a secret to keep that was never stored', async () => {
    const bad = await service
      .as(USERS.manager)
      .put('/collector-configurations/postgresql-security')
      .send({ host: 'db.internal' })
      .expect(422);
    expect(bad.body.code).toBe('invalid-collector-config');
    // globex has stored nothing: "[redacted]" has no secret to stand for.
    const kept = await service
      .as(USERS.globexManager)
      .put('/collector-configurations/postgresql-security')
      .send({ ...server, password: '[redacted]' })
      .expect(422);
    expect(kept.body.code).toBe('invalid-collector-config');
    // Only those who may collect store configurations.
    await service
      .as(USERS.owner)
      .put('/collector-configurations/postgresql-security')
      .send({ ...server, password })
      .expect(403);
  });

  it('runs the stored configuration for the service as a schedule, once per Idempotency-Key', async () => {
    const key = randomUUID();
    const run = () =>
      service
        .as(DEMO_SERVICE)
        .post(system('/collector-configurations/postgresql-security/runs'))
        .set('Idempotency-Key', key);
    const first = await run();
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      collectorId: 'postgresql-security',
      trigger: 'schedule',
      status: 'succeeded',
      config: { ...server, password: '[redacted]' },
      startedBy: { type: 'system', id: 'system:schedule' },
    });
    expect(first.headers.location).toBe(`/v1/collector-runs/${first.body.runId}`);
    const again = await run();
    expect(idempotentAnswer(again)).toEqual({ ...idempotentAnswer(first), replayed: 'true' });
    const runs = await service.as(USERS.manager).get('/collector-runs').expect(200);
    expect(runs.body.items.filter((r: { trigger: string }) => r.trigger === 'schedule')).toHaveLength(1);

    const missing = await service
      .as(DEMO_SERVICE)
      .post(system('/collector-configurations/linux-host-baseline/runs'))
      .expect(404);
    expect(missing.body.code).toBe('collector-configuration-not-found');
  });

  it('lists the collectors with a stored configuration for the schedules, ids and versions only', async () => {
    const listed = await service.as(DEMO_SERVICE).get(system('/collector-configurations')).expect(200);
    expect(listed.body).toEqual({
      tenantId: ACME,
      collectors: [{ collectorId: 'postgresql-security', version: 2, updatedAt: expect.any(String) }],
    });
  });

  it('admits the service only on its routes, and people not on them', async () => {
    await service.as(USERS.admin).post(system('/evidence-freshness-sweeps')).expect(403);
    await service.as(DEMO_SERVICE).get('/collector-configurations').expect(403);
    await service.as(DEMO_SERVICE).get('/evidence-items').expect(403);
  });

  it("sweeps the tenant's freshness at the service clock's time, raising nothing twice", async () => {
    const controls = [{ ...control, controlId: randomUUID(), code: 'BCK-01', frequency: 'monthly' as const }];
    await knowControls(db.pool, ACME, controls);
    await sendUpload(
      service.as(USERS.admin).post('/evidence-items'),
      {
        title: 'Backup restore test',
        evidenceType: 'report',
        controlIds: [controls[0].controlId],
        period: { from: '2026-05-01', to: '2026-05-31' },
      },
      { bytes: Buffer.from(`restore ${randomUUID()}\n`), fileName: 'restore.txt', mediaType: 'text/plain' },
    ).expect(201);
    // Valid through 30 June; 25 June is within the 7 days' window.
    clock.set('2026-06-25T06:00:00.000Z');
    const sweep = () => service.as(DEMO_SERVICE).post(system('/evidence-freshness-sweeps')).expect(200);
    expect((await sweep()).body).toEqual({
      tenantId: ACME,
      at: '2026-06-25T06:00:00.000Z',
      raised: 1,
      byKind: { 'evidence-expiry': 1 },
    });
    expect((await sweep()).body).toMatchObject({ raised: 0 });
  });

  it("answers a control's evidence per day: each day its period covers, and the day it was submitted", async () => {
    clock.set('2026-04-02T10:00:00.000Z');
    const { body: item } = await sendUpload(
      service.as(USERS.admin).post('/evidence-items'),
      {
        title: 'Q1 access review',
        evidenceType: 'report',
        controlIds: [control.controlId],
        period: { from: '2026-03-30', to: '2026-03-31' },
      },
      { bytes: Buffer.from(`review ${randomUUID()}\n`), fileName: 'review.txt', mediaType: 'text/plain' },
    ).expect(201);
    const { body } = await service
      .as(DEMO_SERVICE)
      .get(system(`/control-activity?controlId=${control.controlId}&from=2026-03-29&to=2026-04-03`))
      .expect(200);
    expect(body.days.map((d: { date: string; count: number }) => [d.date, d.count])).toEqual([
      ['2026-03-29', 0],
      ['2026-03-30', 1],
      ['2026-03-31', 1],
      ['2026-04-01', 0],
      ['2026-04-02', 1],
      ['2026-04-03', 0],
    ]);
    expect(body.days[1].evidence).toEqual([
      expect.objectContaining({ itemId: item.itemId, version: 1, reasons: ['period'] }),
    ]);
    expect(body.days[4].evidence[0].reasons).toEqual(['submitted']);

    const backwards = await service
      .as(DEMO_SERVICE)
      .get(system(`/control-activity?controlId=${control.controlId}&from=2026-04-03&to=2026-03-29`))
      .expect(422);
    expect(backwards.body.code).toBe('invalid-period');
  });
});
