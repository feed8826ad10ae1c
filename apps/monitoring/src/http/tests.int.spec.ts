import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import { SHIPPED_TESTS, shippedTest, type ShippedTest } from '@attest/monitoring-domain';
import { knowControls } from '../testing/monitoring-fixtures';
import { eventStoreDump, idempotentAnswer, refusalOf, settableClock } from '@attest/service-kit/testing';
import {
  ACME,
  startMonitoring,
  USERS,
  type RunningMonitoring,
  type UserClient,
} from '../testing/monitoring-test-app';

jest.setTimeout(180_000);

/** The shipped test the demo breaks, and a control of the tenant's adopted from a catalog control. */
const shippedLogging = shippedTest('postgresql-log-connections-enabled') as ShippedTest;
const adoptedFrom = (catalogControlId: string) => ({
  code: catalogControlId,
  catalogControlId,
  name: catalogControlId,
  frequency: 'continuous' as const,
  criteria: ['CC7.2'],
});

/** A custom test as an author writes it. */
const customTest = (testId: string, condition = "resource.attributes.versioning == 'Enabled'") => ({
  testId,
  title: 'Buckets keep versions',
  description: 'Versioning lets a deleted object be restored.',
  factTypes: ['object-storage.bucket'],
  condition,
  details: "{'versioning': resource.attributes.versioning}",
  severity: 'medium',
  controls: { catalogControlIds: [], controlIds: [randomUUID()] },
  remediation: 'Turn on versioning.',
});

/** Tests as data: the shipped library, the tenant's own CEL tests, compiled before anything is recorded. */
describe('monitoring tests API', () => {
  let db: TestDatabase;
  let service: RunningMonitoring;
  let manager: UserClient;
  const clock = settableClock('2026-07-01T09:00:00.000Z');
  const dump = () => eventStoreDump(db.pool, ACME);

  beforeAll(async () => {
    db = await createTestDatabase('attest_mon_tests');
    service = await startMonitoring({ pool: db.pool, clock });
    manager = service.as(USERS.manager);
  });

  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  it('lists every shipped test to every reader, read-only, and each one by id', async () => {
    const page = await service.as(USERS.auditor).get('/tests?origin=shipped&limit=100').expect(200);
    expect(page.body.items.map((t: { testId: string }) => t.testId).sort()).toEqual(
      SHIPPED_TESTS.map((t) => t.testId).sort(),
    );
    const read = await service
      .as(USERS.integrator)
      .get('/tests/postgresql-log-connections-enabled')
      .expect(200);
    expect(read.body).toMatchObject({ origin: 'shipped', factTypes: ['postgresql.server'], version: 1 });
    const { testId: _id, ...body } = customTest('postgresql-log-connections-enabled');
    const change = await manager.put('/tests/postgresql-log-connections-enabled').send(body);
    expect(refusalOf(change)).toMatchObject({ status: 409, code: 'shipped-test-read-only' });
  });

  it('defines a custom test (201, Location, ETag) that is listed with the tenant’s tests and by fact type', async () => {
    const created = await manager.post('/tests').send(customTest('bucket-versioning')).expect(201);
    expect(created.headers).toMatchObject({ location: '/v1/tests/bucket-versioning', etag: '"1"' });
    expect(created.body).toMatchObject({
      testId: 'bucket-versioning',
      origin: 'custom',
      version: 1,
      definedAt: '2026-07-01T09:00:00.000Z',
      definedBy: { type: 'user' },
    });
    const custom = await manager.get('/tests?origin=custom').expect(200);
    expect(custom.body.items.map((t: { testId: string }) => t.testId)).toEqual(['bucket-versioning']);
    const byType = await manager.get('/tests?factType=object-storage.bucket').expect(200);
    expect(byType.body.items.map((t: { testId: string }) => t.testId)).toContain('bucket-versioning');
    const none = await manager.get('/tests?factType=no.such-type').expect(200);
    expect(none.body.items).toEqual([]);
  });

  it('lists the tests proving one of the tenant’s controls', async () => {
    const proving = customTest('proves-a-control');
    const [own, adopted] = [proving.controls.controlIds[0], randomUUID()];
    await knowControls(service, ACME, [
      { controlId: own, code: 'ACME-01', name: 'Own control', frequency: 'continuous', criteria: ['CC7.2'] },
      // Adopted from the catalog control the shipped PostgreSQL logging test proves.
      { ...adoptedFrom(shippedLogging.controls.catalogControlIds[0]), controlId: adopted },
    ]);
    await manager.post('/tests').send(proving).expect(201);
    const ids = async (controlId: string) =>
      (await manager.get(`/tests?controlId=${controlId}&limit=100`).expect(200)).body.items.map(
        (t: { testId: string }) => t.testId,
      );
    expect(await ids(own)).toEqual(['proves-a-control']);
    expect(await ids(adopted)).toContain(shippedLogging.testId);
    expect(await ids(adopted)).not.toContain('proves-a-control');
    expect(await ids(randomUUID())).toEqual([]);
  });

  it('refuses a test id that is taken, by a shipped test or by one of the tenant’s own (409)', async () => {
    await manager.post('/tests').send(customTest('taken-id')).expect(201);
    for (const testId of ['taken-id', 'postgresql-log-connections-enabled']) {
      const before = await dump();
      const again = await manager.post('/tests').send(customTest(testId));
      expect({ testId, ...refusalOf(again) }).toMatchObject({ testId, status: 409, code: 'test-id-taken' });
      expect(await dump()).toEqual(before);
    }
  });

  it.each([
    ['a syntax error', 'resource.attributes.versioning ==', 'condition', /parse/],
    [
      'an I/O attempt',
      "http.get('https://example.com') == 'ok'",
      'condition',
      /unknown function 'http\.get'/,
    ],
    [
      'an identifier other than resource',
      "process.env.HOME == '/root'",
      'condition',
      /unknown identifier 'process'/,
    ],
    [
      'comprehensions nested three deep',
      'resource.attributes.a.all(x, x.all(y, y.all(z, z > 0)))',
      'condition',
      /nested 3 deep/,
    ],
    [
      'too many nodes',
      Array.from({ length: 120 }, (_, i) => `resource.attributes.n == ${i}`).join(' || '),
      'condition',
      /too complex/,
    ],
    [
      'a source over 4096 characters',
      `'${'x'.repeat(4100)}' == resource.resourceId`,
      'condition',
      /too long/,
    ],
  ])(
    'refuses %s with 422 invalid-test naming the fault, recording nothing',
    async (_name, condition, field, message) => {
      const before = await dump();
      const res = await manager
        .post('/tests')
        .send(customTest(`refused-${randomUUID().slice(0, 8)}`, condition));
      expect(refusalOf(res)).toMatchObject({ status: 422, code: 'invalid-test' });
      expect(res.body.details.problems).toEqual(
        expect.arrayContaining([{ field, message: expect.stringMatching(message) }]),
      );
      expect(await dump()).toEqual(before);
    },
  );

  it('names every faulty expression of a test at once', async () => {
    const res = await manager.post('/tests').send({
      ...customTest('two-faults', 'resource.x =='),
      applies: 'env.production',
      details: 'fetch(resource)',
    });
    expect(res.status).toBe(422);
    expect(res.body.details.problems.map((p: { field: string }) => p.field).sort()).toEqual([
      'applies',
      'condition',
      'details',
    ]);
  });

  it('creates once with one Idempotency-Key and answers the same', async () => {
    const key = randomUUID();
    const body = customTest('idempotent-test');
    const first = await manager.post('/tests').set('Idempotency-Key', key).send(body);
    expect(first.status).toBe(201);
    const after = await dump();
    const again = await manager.post('/tests').set('Idempotency-Key', key).send(body);
    expect(idempotentAnswer(again)).toEqual({ ...idempotentAnswer(first), replayed: 'true' });
    expect(await dump()).toEqual(after);
  });

  it('changes a custom test under If-Match to a new version; a stale one is 412, an unknown test 404', async () => {
    await manager.post('/tests').send(customTest('changing-test')).expect(201);
    const { testId: _id, ...body } = customTest(
      'changing-test',
      "resource.attributes.versioning in ['Enabled', 'Suspended']",
    );
    const changed = await manager
      .put('/tests/changing-test')
      .set('If-Match', '"1"')
      .send({ ...body, changeSummary: 'Suspended versioning keeps old versions too' })
      .expect(200);
    expect(changed.headers.etag).toBe('"2"');
    expect(changed.body).toMatchObject({
      version: 2,
      condition: "resource.attributes.versioning in ['Enabled', 'Suspended']",
      changeSummary: 'Suspended versioning keeps old versions too',
    });
    const before = await dump();
    const stale = await manager.put('/tests/changing-test').set('If-Match', '"1"').send(body);
    expect(refusalOf(stale)).toMatchObject({ status: 412, type: 'urn:attest:problem:precondition-failed' });
    const invalid = await manager
      .put('/tests/changing-test')
      .send({ ...body, condition: 'exec("rm -rf /")' });
    expect(refusalOf(invalid)).toMatchObject({ status: 422, code: 'invalid-test' });
    expect(await dump()).toEqual(before);
    const unknown = await manager.put('/tests/no-such-test').send(body);
    expect(refusalOf(unknown)).toMatchObject({ status: 404, code: 'test-not-found' });
    expect(refusalOf(await manager.get('/tests/no-such-test'))).toMatchObject({
      status: 404,
      code: 'test-not-found',
    });
  });

  it('lets only monitoring:write define tests: a control owner and an auditor get 403', async () => {
    for (const user of [USERS.owner, USERS.auditor]) {
      const res = await service.as(user).post('/tests').send(customTest('not-allowed'));
      expect({ user, status: res.status }).toEqual({ user, status: 403 });
    }
  });

  it('refuses a body with an unknown field or a bad test id (400) before compiling it', async () => {
    for (const body of [
      { ...customTest('extra-field'), script: 'curl evil' },
      customTest('Not_Kebab'),
      { ...customTest('no-controls'), controls: undefined },
    ]) {
      const res = await manager.post('/tests').send(body);
      expect([res.status, res.body.type]).toEqual([400, 'urn:attest:problem:validation']);
    }
  });
});
