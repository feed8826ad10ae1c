import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Response } from 'supertest';
import { controlById } from '@attest/catalog';
import { systemContext } from '@attest/command-pipeline';
import { postgresqlSecurityCollector } from '@attest/collectors';
import {
  createTestDatabase,
  type DatabaseServer,
  databaseServerOf,
  type TestDatabase,
} from '@attest/event-store/testing';
import { settableClock } from '@attest/service-kit/testing';
import {
  ACME,
  grantEngagement,
  knowControls,
  startEvidence,
  storeDump,
  USERS,
  type RunningEvidence,
  type TestUser,
} from '../testing/evidence-test-app';
import { CollectorRuns } from './collector-runs';

jest.setTimeout(180_000);

const problem = (res: Response) => ({ status: res.status, code: res.body.code });

/**
 * Collector runs through the evidence service against the local PostgreSQL (the test database is the system read)
 * and the machine's own Linux host: a run keeps its facts, turns its snapshot into an evidence item linked to the
 * organization's adopted controls, never records a secret; a system that cannot be reached is a failed run in the
 * chain; a request the collector cannot use is refused and records nothing.
 */
describe('collector runs (PostgreSQL + filesystem content store)', () => {
  let db: TestDatabase;
  let service: RunningEvidence;
  const clock = settableClock('2026-06-15T08:00:00.000Z');
  // The local cluster trusts loopback, so the password is not needed to connect: it is there to be redacted.
  const password = `secret-${randomBytes(12).toString('hex')}`;
  const adopted = {
    controlId: randomUUID(),
    code: 'NET-03',
    catalogControlId: 'NET-03',
    name: 'Encryption in transit',
    frequency: 'annual' as const,
    criteria: ['CC6.7'],
  };
  let server: DatabaseServer;
  // A host configuration tree the operator allowed (ATTEST_COLLECTOR_ALLOWED_PATHS), with a hardened sshd.
  let allowed = '';

  const run = (body: object, user: TestUser = USERS.manager) =>
    service.as(user).post('/collector-runs').send(body);
  const postgresRun = (config: Record<string, unknown> = {}) =>
    run({
      collectorId: 'postgresql-security',
      config: { ...server, password, sslmode: 'disable', ...config },
    });

  beforeAll(async () => {
    db = await createTestDatabase('attest_ev_collect');
    server = databaseServerOf(db);
    allowed = await mkdtemp(path.join(tmpdir(), 'attest-collect-'));
    await mkdir(path.join(allowed, 'host', 'etc', 'ssh'), { recursive: true });
    await writeFile(
      path.join(allowed, 'host', 'etc', 'ssh', 'sshd_config'),
      'PermitRootLogin no\nPasswordAuthentication no\n',
    );
    service = await startEvidence({ pool: db.pool, clock, collectorAllowedPaths: [allowed] });
    await knowControls(db.pool, ACME, [adopted]);
    // The auditor reaches acme through an engagement whose scope holds the control the collected items support.
    await grantEngagement(db.pool, ACME, { engagementId: randomUUID(), controlIds: [adopted.controlId] });
  });

  afterAll(async () => {
    await service?.close();
    await db?.drop();
    if (allowed) await rm(allowed, { recursive: true, force: true });
  });

  it('lists the collectors with their config schema (secrets marked), the controls they serve and their facts', async () => {
    const { body } = await service.as(USERS.auditor).get('/collectors').expect(200);
    const postgres = body.items.find((c: { id: string }) => c.id === 'postgresql-security');
    expect(body.items.map((c: { id: string }) => c.id)).toEqual(
      expect.arrayContaining(['linux-host-baseline', 'postgresql-security']),
    );
    expect(postgres.configSchema.properties.password).toMatchObject({ 'x-secret': true, writeOnly: true });
    expect(postgres.serves.catalogControlIds).toContain('NET-03');
    expect(postgres.factModel.map((f: { resourceType: string }) => f.resourceType)).toContain(
      'postgresql.role',
    );
    const page = await service.as(USERS.auditor).get('/collectors?limit=1').expect(200);
    expect(page.body.items).toHaveLength(1);
    const rest = await service.as(USERS.auditor).get(page.body.next.replace(/^\/v1/, '')).expect(200);
    expect(rest.body.items[0].id > page.body.items[0].id).toBe(true);
  });

  it('records a run with its facts and its snapshot as an item for the adopted control, the password nowhere', async () => {
    const res = await postgresRun().expect(201);
    const runView = res.body;
    expect(res.headers.location).toBe(`/v1/collector-runs/${runView.runId}`);
    expect(runView).toMatchObject({
      collectorId: 'postgresql-security',
      collectorVersion: postgresqlSecurityCollector.version,
      trigger: 'api',
      status: 'succeeded',
      config: { ...server, password: '[redacted]', sslmode: 'disable' },
      startedAt: '2026-06-15T08:00:00.000Z',
    });
    expect(runView.startedBy).toMatchObject({ type: 'user' });
    const role = runView.facts.find(
      (f: { resourceType: string; resourceId: string }) =>
        f.resourceType === 'postgresql.role' &&
        f.resourceId === `${server.host}:${server.port}/role/${server.user}`,
    );
    expect(role.attributes).toMatchObject({ name: server.user, canLogin: true, superuser: false });
    expect(runView.evidenceItemIds).toHaveLength(1);

    const { body: item } = await service
      .as(USERS.auditor)
      .get(`/evidence-items/${runView.evidenceItemIds[0]}`)
      .expect(200);
    const notAdopted = postgresqlSecurityCollector.serves.catalogControlIds.filter((id) => id !== 'NET-03');
    expect(item).toMatchObject({
      evidenceType: 'config-snapshot',
      source: { kind: 'collector', collectorId: 'postgresql-security', runId: runView.runId },
      controlIds: [adopted.controlId],
      period: { from: '2026-06-15', to: '2026-06-15' },
      tags: ['collector:postgresql-security'],
      content: { mediaType: 'application/json' },
    });
    // The catalog controls the organization has not adopted still count, through their criteria.
    expect(item.criteria.sort()).toEqual(
      [...new Set(notAdopted.flatMap((id) => controlById(id)?.criteria ?? []))].sort(),
    );
    // Valid for a year: the adopted control is annual.
    expect(item.freshness).toEqual({ status: 'fresh', validUntil: '2027-06-15' });

    const download = await service
      .as(USERS.auditor)
      .get(`/evidence-items/${item.itemId}/versions/1/content`)
      .buffer(true)
      .parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    const bytes = download.body as Buffer;
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(item.content.sha256);
    expect(JSON.parse(bytes.toString('utf8')).facts).toEqual(runView.facts);

    // Neither an event (what the outbox publishes) nor the stored snapshot nor an answer holds the secret.
    const leaks = await db.pool.query(
      `SELECT count(*)::int AS n FROM event_store.events WHERE data::text LIKE $1 OR metadata::text LIKE $1`,
      [`%${password}%`],
    );
    expect(leaks.rows[0].n).toBe(0);
    expect(bytes.toString('utf8')).not.toContain(password);
    expect(JSON.stringify(runView)).not.toContain(password);

    const again = await service.as(USERS.auditor).get(`/collector-runs/${runView.runId}`).expect(200);
    expect(again.body).toEqual(runView);
    expect(again.headers.etag).toBe(res.headers.etag);
  });

  it('records a run against a system it cannot reach as failed, with nothing stored', async () => {
    const before = await storeDump(db.pool, service.contentStore, ACME);
    // Port 1 on loopback: nothing listens there, the connection is refused at once.
    const { body } = await postgresRun({ host: '127.0.0.1', port: 1 }).expect(201);
    expect(body).toMatchObject({
      status: 'failed',
      error: { code: 'connection-refused' },
      config: { port: 1, password: '[redacted]' },
    });
    expect(body.evidenceItemIds).toBeUndefined();
    const after = await storeDump(db.pool, service.contentStore, ACME);
    // Two events (started, failed) and no content.
    expect(after.events).toBe((before.events as number) + 2);
    expect(after.content).toEqual(before.content);
    const types = await db.pool.query(
      `SELECT event_type FROM event_store.events WHERE stream_id = $1 ORDER BY stream_version`,
      [body.runId],
    );
    expect(types.rows.map((r) => r.event_type)).toEqual(['CollectorRunStarted', 'CollectorRunFailed']);
  });

  it.each([
    ['an unknown collector', { collectorId: 'mainframe-racf', config: {} }, 'unknown-collector'],
    [
      'a config missing what the schema requires',
      { collectorId: 'postgresql-security', config: { host: 'db' } },
      'invalid-collector-config',
    ],
    [
      'a config with a property the schema lacks',
      { collectorId: 'linux-host-baseline', config: { rot: '/' } },
      'invalid-collector-config',
    ],
    // Only the test's directory is allowed; besides it, no directory but the host's own root may be read.
    [
      'a path outside the allowed ones',
      { collectorId: 'linux-host-baseline', config: { root: '/etc' } },
      'invalid-collector-config',
    ],
  ])('refuses %s with 422 and records nothing', async (_name, body, code) => {
    const before = await storeDump(db.pool, service.contentStore);
    const res = await run(body);
    expect(problem(res)).toEqual({ status: 422, code });
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(await storeDump(db.pool, service.contentStore)).toEqual(before);
  });

  it('reads a directory under the allowed paths', async () => {
    const { body } = await run({
      collectorId: 'linux-host-baseline',
      config: { root: path.join(allowed, 'host') },
    }).expect(201);
    expect(body.status).toBe('succeeded');
    const sshd = body.facts.find((f: { resourceType: string }) => f.resourceType === 'linux.sshd');
    expect(sshd.attributes).toMatchObject({
      configPresent: true,
      permitRootLogin: 'no',
      passwordAuthentication: 'no',
    });
  });

  it('names every problem of a config', async () => {
    const res = await run({
      collectorId: 'postgresql-security',
      config: { port: 'five', extra: true },
    }).expect(422);
    expect(res.body.details.problems).toEqual(
      expect.arrayContaining([
        "/ must have required property 'host'",
        "/ must not have property 'extra'",
        '/port must be integer',
      ]),
    );
  });

  it('lets only those who may collect start a run', async () => {
    const before = await storeDump(db.pool, service.contentStore);
    for (const user of [USERS.auditor, USERS.owner]) {
      const res = await run({ collectorId: 'linux-host-baseline', config: {} }, user);
      expect({ user, status: res.status }).toEqual({ user, status: 403 });
    }
    expect(await storeDump(db.pool, service.contentStore)).toEqual(before);
  });

  it('runs once for one Idempotency-Key', async () => {
    const key = randomUUID();
    const before = await storeDump(db.pool, service.contentStore, ACME);
    const first = await postgresRun().set('Idempotency-Key', key).expect(201);
    const afterFirst = await storeDump(db.pool, service.contentStore, ACME);
    const again = await postgresRun().set('Idempotency-Key', key).expect(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(await storeDump(db.pool, service.contentStore, ACME)).toEqual(afterFirst);
    expect(afterFirst.events).toBeGreaterThan(before.events as number);
  });

  it('runs on a schedule as the system, and lists runs newest first, page by page', async () => {
    clock.set('2026-06-16T02:00:00.000Z');
    const runs = service.app.get(CollectorRuns);
    const { runId } = await runs.run(systemContext(ACME, 'collector-schedule'), {
      collectorId: 'linux-host-baseline',
      config: {},
      trigger: 'schedule',
    });
    const { body: scheduled } = await service.as(USERS.auditor).get(`/collector-runs/${runId}`).expect(200);
    expect(scheduled).toMatchObject({
      trigger: 'schedule',
      status: 'succeeded',
      startedBy: { type: 'system', id: 'system:collector-schedule' },
    });
    expect(scheduled.facts.map((f: { resourceType: string }) => f.resourceType)).toContain('linux.sshd');

    const first = await service.as(USERS.auditor).get('/collector-runs?limit=2').expect(200);
    expect(first.body.items[0].runId).toBe(runId);
    const seen = [...first.body.items];
    for (let next = first.body.next; next;) {
      const page = await service.as(USERS.auditor).get(next.replace(/^\/v1/, '')).expect(200);
      seen.push(...page.body.items);
      next = page.body.next;
    }
    const starts = seen.map((r) => r.startedAt);
    expect(starts).toEqual([...starts].sort().reverse());
    expect(new Set(seen.map((r) => r.runId)).size).toBe(seen.length);
    // Another organization sees none of them.
    expect((await service.as(USERS.globexManager).get('/collector-runs').expect(200)).body.items).toEqual([]);
    await service.as(USERS.globexManager).get(`/collector-runs/${runId}`).expect(404);
  });
});
