import { randomUUID } from 'node:crypto';
import { CatalogVersions, controlSetIdFor, exampleCatalogV1 } from '@attest/control-mapping-domain';
import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import { waitFor } from '@attest/messaging/testing';
import {
  ACME,
  GLOBEX,
  startControlMapping,
  USERS,
  type RunningControlMapping,
  type UserClient,
} from './testing/control-mapping-test-app';

jest.setTimeout(120_000);

/**
 * The coverage posture as of a past moment: the matrix, its CSV and the framework coverage are captured at T1,
 * later changes move them on (another tenant changing its own set meanwhile), and `?asOf=` with T1 as a time or as
 * the position of the tenant's last event answers exactly what was captured — replayed from the log through the
 * service's own projections, not read from the live read model.
 */
describe('coverage as of a past moment (PostgreSQL)', () => {
  let db: TestDatabase;
  let service: RunningControlMapping;
  let acme: UserClient;
  let globex: UserClient;
  const setId = controlSetIdFor(ACME);
  const ids: Record<string, string> = {};
  let globexIds: Record<string, string>;
  const captured: { matrix?: unknown; csv?: string; iso?: unknown; time?: string; position?: number } = {};

  const ok = (res: { status: number; body: unknown }, status = 200) => {
    if (res.status !== status)
      throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body as Record<string, any>;
  };
  const asOf = (value: string) => `asOf=${encodeURIComponent(value)}`;

  /** A tenant's control set (security + availability on the example catalog) with GOV-01, GOV-02 and AVL-01. */
  const controlSetOf = async (api: UserClient, tenant: string) => {
    ok(await api.post('/control-sets').send({ categories: ['availability'] }), 201);
    const adopted = ok(
      await api
        .post(`/control-sets/${controlSetIdFor(tenant)}/adopt`)
        .send({ mode: 'picked', catalogControlIds: ['GOV-01', 'GOV-02', 'AVL-01'] }),
      201,
    );
    return Object.fromEntries(adopted.adopted.map((a: any) => [a.code, a.controlId])) as Record<
      string,
      string
    >;
  };

  beforeAll(async () => {
    db = await createTestDatabase('attest_cm_as_of');
    // The system clock: as-of times are the database's recording times, and "the future" is after now.
    service = await startControlMapping({
      pool: db.pool,
      catalogs: new CatalogVersions([exampleCatalogV1()]),
    });
    acme = service.as(USERS.manager);
    globex = service.as(USERS.globexManager);
  });

  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  it('captures the posture at T1: GOV-01 implemented with an owner, CC1.1.3 explained, AVL-01 not applicable', async () => {
    Object.assign(ids, await controlSetOf(acme, ACME));
    globexIds = await controlSetOf(globex, GLOBEX);
    ok(
      await acme
        .put(`/controls/${ids['GOV-01']}/owner`)
        .send({ personId: randomUUID(), displayName: 'Marcus' }),
    );
    ok(await acme.put(`/controls/${ids['GOV-01']}/implementation`).send({ status: 'in-progress' }));
    ok(
      await acme
        .put(`/controls/${ids['GOV-01']}/implementation`)
        .send({ status: 'implemented', implementedOn: '2026-01-20' }),
    );
    ok(await globex.put(`/controls/${globexIds['GOV-02']}/implementation`).send({ status: 'in-progress' }));
    ok(
      await acme
        .post(`/controls/${ids['AVL-01']}/not-applicable`)
        .send({ justification: 'Availability is the hosting provider’s (carved out).' }),
    );
    ok(
      await acme
        .put(`/control-sets/${setId}/points-of-focus/CC1.1.3/not-applicable`)
        .send({ justification: 'No board: the founders run the company.' }),
    );

    captured.matrix = ok(await acme.get('/coverage'));
    captured.csv = (await acme.get('/coverage.csv').expect(200)).text;
    captured.iso = ok(await acme.get('/coverage/frameworks/iso27001-2022'));
    const last = await db.pool.query<{ position: string; recorded_at: Date }>(
      `SELECT global_position AS position, recorded_at FROM event_store.events
       WHERE tenant_id = $1 ORDER BY global_position DESC LIMIT 1`,
      [ACME],
    );
    captured.position = Number(last.rows[0].position);
    captured.time = last.rows[0].recorded_at.toISOString();
    expect(captured.matrix).toMatchObject({
      criteria: [
        { criterion: 'CC1.1', status: 'covered-implemented', missing: [] },
        { criterion: 'CC1.2', status: 'covered-not-implemented' },
        { criterion: 'A1.1', status: 'gap' },
      ],
      notApplicableControls: ['AVL-01'],
    });
    // What happens next is recorded after T1 (the database's clock moves past the captured millisecond).
    await waitFor('the database clock to pass T1', async () => {
      const r = await db.pool.query<{ ok: boolean }>(
        "SELECT date_trunc('milliseconds', clock_timestamp()) > $1::timestamptz AS ok",
        [captured.time],
      );
      return r.rows[0].ok || null;
    });
  });

  it('moves on after T1: the explanation is withdrawn, GOV-01 stops operating, AVL-01 applies again', async () => {
    ok(await acme.delete(`/control-sets/${setId}/points-of-focus/CC1.1.3/not-applicable`));
    ok(
      await acme
        .put(`/controls/${ids['GOV-01']}/implementation`)
        .send({ status: 'in-progress', notes: 'The code of conduct lapsed.' }),
    );
    const avl = ok(
      await acme
        .post(`/controls/${ids['AVL-01']}/not-applicable/revocation`)
        .send({ reason: 'We run our own failover site now.' }),
    );
    expect(avl.applicability).toEqual({ status: 'applicable' });
    const again = await acme
      .post(`/controls/${ids['AVL-01']}/not-applicable/revocation`)
      .send({ reason: 'x' });
    expect([again.status, again.body.type]).toEqual([409, 'urn:attest:problem:domain:control-applicable']);
    ok(await globex.put(`/controls/${globexIds['GOV-01']}/owner`).send({ personId: randomUUID() }));

    const now = ok(await acme.get('/coverage'));
    expect(now).not.toEqual(captured.matrix);
    expect(now).toMatchObject({
      criteria: [
        { criterion: 'CC1.1', status: 'covered-not-implemented' },
        { criterion: 'CC1.2', status: 'covered-not-implemented' },
        { criterion: 'A1.1', status: 'covered-not-implemented' },
      ],
      notApplicableControls: [],
    });
  });

  it('answers the captured matrix, CSV and framework coverage as of T1, given as a time or as a log position', async () => {
    for (const at of [captured.time!, `position:${captured.position}`]) {
      expect(ok(await acme.get(`/coverage?${asOf(at)}`))).toEqual(captured.matrix);
      expect((await acme.get(`/coverage.csv?${asOf(at)}`).expect(200)).text).toBe(captured.csv);
      expect(ok(await acme.get(`/coverage/frameworks/iso27001-2022?${asOf(at)}`))).toEqual(captured.iso);
    }
    // The same moment written with an offset is the same moment.
    const t1 = new Date(captured.time!);
    const withOffset = new Date(t1.getTime() + 2 * 3600_000).toISOString().replace('Z', '+02:00');
    expect(ok(await acme.get(`/coverage?${asOf(withOffset)}`))).toEqual(captured.matrix);
    // The throwaway schemas are gone once answered.
    const left = await db.pool.query("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'asof\\_%'");
    expect(left.rows).toEqual([]);
  });

  it('before the control set existed there is none; a future time, a foreign position and nonsense are refused', async () => {
    const first = await db.pool.query<{ recorded_at: Date }>(
      'SELECT min(recorded_at) AS recorded_at FROM event_store.events WHERE tenant_id = $1',
      [ACME],
    );
    const before = new Date(first.rows[0].recorded_at.getTime() - 1).toISOString();
    const none = await acme.get(`/coverage?${asOf(before)}`);
    expect([none.status, none.body.code]).toEqual([404, 'control-set-not-found']);

    const globexEvent = await db.pool.query<{ position: string }>(
      'SELECT max(global_position) AS position FROM event_store.events WHERE tenant_id = $1',
      [GLOBEX],
    );
    const refusals: [string, string][] = [
      [new Date(Date.now() + 3600_000).toISOString(), 'as-of-in-future'],
      [`position:${globexEvent.rows[0].position}`, 'unknown-log-position'],
      ['position:999999999', 'unknown-log-position'],
      ['2026-02-30T09:00:00Z', 'invalid-as-of'],
      ['last tuesday', 'invalid-as-of'],
    ];
    for (const [value, code] of refusals) {
      const res = await acme.get(`/coverage?${asOf(value)}`);
      expect({ value, status: res.status, type: res.body.type }).toEqual({
        value,
        status: 422,
        type: `urn:attest:problem:domain:${code}`,
      });
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
  });
});
