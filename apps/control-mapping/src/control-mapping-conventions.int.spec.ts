import { randomUUID } from 'node:crypto';
import { CommandPipeline, systemContext } from '@attest/command-pipeline';
import {
  controlSetIdFor,
  READINESS_SYSTEM_ACTOR,
  readinessGapStreamIdFor,
} from '@attest/control-mapping-domain';
import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import { encodeCursor } from '@attest/service-kit';
import { idempotentAnswer, settableClock } from '@attest/service-kit/testing';
import { ControlMappingAggregates } from './event-flow/control-mapping-aggregates';
import {
  ACME,
  startControlMapping,
  USERS,
  type RunningControlMapping,
  type UserClient,
} from './testing/control-mapping-test-app';

jest.setTimeout(180_000);

const person = () => ({ personId: randomUUID(), displayName: 'Dana Whitfield' });
const customControl = (code: string) => ({
  code,
  name: 'Access reviews',
  description: 'Team leads review access to production every quarter.',
  controlType: 'detective',
  nature: 'manual',
  frequency: 'quarterly',
  criteria: ['CC6.1'],
});

/** The API conventions of docs/api/conventions.md as the control-mapping service keeps them. */
describe('control-mapping API conventions', () => {
  let db: TestDatabase;
  let service: RunningControlMapping;
  let api: UserClient;
  const setId = controlSetIdFor(ACME);
  // Every write happens at the same instant: lists must still be in a total, stable order (their keys end with ids).
  const clock = settableClock('2026-05-04T10:00:00.000Z');

  beforeAll(async () => {
    db = await createTestDatabase('attest_cm_conventions');
    service = await startControlMapping({ pool: db.pool, clock });
    api = service.as(USERS.manager);
  });

  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  const events = async () =>
    Number((await db.pool.query<{ n: string }>('SELECT count(*) AS n FROM event_store.events')).rows[0].n);

  describe('Idempotency-Key on creating POSTs', () => {
    const policyId = () => api.get('/policies?limit=1').then((r) => r.body.items[0].policyId as string);
    const creations: [route: () => Promise<string>, body: object, other: object][] = [
      [async () => '/control-sets', { categories: ['availability'] }, { categories: ['confidentiality'] }],
      [async () => '/controls', customControl('ACME-01'), customControl('ACME-02')],
      [
        async () => '/policies',
        { templateId: 'access-control', owner: { personId: '2c4e6a8b-0d1f-4e3a-8b5c-7d9e1f3a5b7c' } },
        { templateId: 'access-control', owner: { personId: '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a' } },
      ],
      [
        async () => `/policies/${await policyId()}/versions`,
        { content: '# Access control\n\nRevised.\n', changeSummary: 'Revised' },
        { content: '# Access control\n\nRevised again.\n', changeSummary: 'Revised again' },
      ],
    ];

    it.each(creations.map((c, i) => [i, ...c] as const))(
      'creation %s: the same request twice creates once and answers the same; the key with another body is 422',
      async (_i, route, body, other) => {
        const path = await route();
        const key = randomUUID();
        const before = await events();
        const first = await api.post(path).set('Idempotency-Key', key).send(body);
        expect(first.status).toBe(201);
        const appended = (await events()) - before;
        expect(appended).toBeGreaterThan(0);
        const again = await api.post(path).set('Idempotency-Key', key).send(body);
        expect(idempotentAnswer(again)).toEqual({ ...idempotentAnswer(first), replayed: 'true' });
        expect((await events()) - before).toBe(appended);
        const reused = await api.post(path).set('Idempotency-Key', key).send(other);
        expect([reused.status, reused.body.type]).toEqual([422, 'urn:attest:problem:idempotency-key-reused']);
        expect((await events()) - before).toBe(appended);
        // The created resource is where Location says, at the version ETag says.
        const created = await api.get(first.headers.location.replace(/^\/v1/, ''));
        expect(created.status).toBe(200);
      },
    );
  });

  describe('ETag and If-Match', () => {
    let controlId: string;

    beforeAll(async () => {
      const adopted = await api
        .post(`/control-sets/${setId}/adopt`)
        .send({ mode: 'picked', catalogControlIds: ['AC-03'] })
        .expect(201);
      controlId = adopted.body.adopted[0].controlId;
    });

    it('gives single resources the ETag of their stream version, and a new one after each change', async () => {
      const read = await api.get(`/controls/${controlId}`).expect(200);
      expect(read.headers.etag).toBe('"1"');
      const changed = await api
        .put(`/controls/${controlId}/implementation`)
        .set('If-Match', read.headers.etag)
        .send({ status: 'in-progress' })
        .expect(200);
      expect(changed.headers.etag).toBe('"2"');
      expect((await api.get(`/controls/${controlId}`)).headers.etag).toBe('"2"');
      const set = await api.get(`/control-sets/${setId}`).expect(200);
      expect(set.headers.etag).toMatch(/^"[1-9][0-9]*"$/);
      const policy = (await api.get('/policies?limit=1')).body.items[0].policyId;
      expect((await api.get(`/policies/${policy}`)).headers.etag).toMatch(/^"[1-9][0-9]*"$/);
    });

    it('lets exactly one of two concurrent changes with the same If-Match through; the other gets 412', async () => {
      const { etag } = (await api.get(`/controls/${controlId}`)).headers;
      const before = await events();
      const [a, b] = await Promise.all([
        api.patch(`/controls/${controlId}`).set('If-Match', etag).send({ name: 'Access reviewed by A' }),
        api.patch(`/controls/${controlId}`).set('If-Match', etag).send({ name: 'Access reviewed by B' }),
      ]);
      expect([a.status, b.status].sort()).toEqual([200, 412]);
      const refused = a.status === 412 ? a : b;
      expect(refused.body.type).toBe('urn:attest:problem:precondition-failed');
      expect((await events()) - before).toBe(1);
    });

    it('refuses a stale If-Match on control-set, control and policy changes with 412 and appends nothing', async () => {
      const policyId = (await api.get('/policies?limit=1')).body.items[0].policyId;
      const stale = '"1"';
      const before = await events();
      const changes = [
        api
          .post(`/control-sets/${setId}/adopt`)
          .set('If-Match', stale)
          .send({ mode: 'picked', catalogControlIds: ['AC-05'] }),
        api.post(`/control-sets/${setId}/upgrade`).set('If-Match', stale).send({ toVersion: '9.0.0' }),
        api.put(`/controls/${controlId}/owner`).set('If-Match', stale).send(person()),
        api
          .post(`/controls/${controlId}/not-applicable`)
          .set('If-Match', stale)
          .send({ justification: 'No.' }),
        api.post(`/policies/${policyId}/versions/1.0.0/approve`).set('If-Match', stale).send({}),
        api
          .post(`/policies/${policyId}/acceptance-requirements`)
          .set('If-Match', stale)
          .send({ roles: ['employee'], dueDate: '2099-01-01' }),
      ];
      for (const res of await Promise.all(changes))
        expect([res.status, res.body.type]).toEqual([412, 'urn:attest:problem:precondition-failed']);
      expect(await events()).toBe(before);
      // Without If-Match a change runs against the latest version.
      await api.put(`/controls/${controlId}/owner`).send(person()).expect(200);
    });
  });

  describe('cursor pagination', () => {
    /** Follows `next` from the first page; every page's items in order. */
    const walk = async (client: UserClient, first: string): Promise<unknown[]> => {
      const items: unknown[] = [];
      let next: string | null = first;
      while (next) {
        const page: { items: unknown[]; next: string | null } = (
          await client.get(next.replace(/^\/v1/, '')).expect(200)
        ).body;
        expect(page.items.length).toBeGreaterThan(0);
        items.push(...page.items);
        next = page.next;
      }
      return items;
    };

    beforeAll(async () => {
      await api.post(`/control-sets/${setId}/adopt`).send({ mode: 'scope' }).expect(201);
      // Policies with the same title: the order falls back to the id.
      for (let i = 0; i < 3; i++)
        await api.post('/policies').send({ templateId: 'access-control', owner: person() }).expect(201);
      const policyId = (await api.get('/policies?limit=1')).body.items[0].policyId;
      // The compliance manager drafted it: the admin approves.
      await service.as(USERS.admin).post(`/policies/${policyId}/versions/1.0.0/approve`).send({}).expect(200);
      await api
        .post(`/policies/${policyId}/versions/1.0.0/publish`)
        .send({ effectiveDate: '2026-05-04' })
        .expect(200);
      const { contentSha256 } = (await api.get(`/policies/${policyId}/versions/1.0.0`).expect(200)).body;
      for (const user of [USERS.employee, USERS.owner, USERS.manager, USERS.admin])
        await service
          .as(user)
          .post(`/policies/${policyId}/versions/1.0.0/acceptances`)
          .send({ contentSha256 })
          .expect(201);
      // Readiness gaps proposing real catalog controls not adopted: the set's scope (security, availability) is
      // adopted whole, confidentiality's controls are not.
      const aggregates = service.app.get(ControlMappingAggregates);
      const pipeline = service.app.get(CommandPipeline);
      for (const [severity, proposed] of [
        ['high', ['CNF-07', 'CNF-08']],
        ['critical', ['CNF-06']],
        ['high', ['CNF-07', 'CNF-06']],
      ] as const) {
        const gapId = randomUUID();
        await pipeline.run(aggregates.gap(ACME), systemContext(ACME, 'readiness'), {
          type: 'RecordGapProposal',
          gapId,
          readinessGapId: readinessGapStreamIdFor(ACME, gapId),
          actor: READINESS_SYSTEM_ACTOR,
          assessmentId: randomUUID(),
          criterionId: 'C1.2',
          pointOfFocusRef: 'C1.2.1',
          category: 'confidentiality',
          severity,
          answer: 'not-implemented',
          title: 'Confidential information is not disposed of',
          proposedCatalogControlIds: [...proposed],
          identifiedAt: '2026-05-01T08:00:00.000Z',
          sourceEventId: randomUUID(),
        });
      }
    });

    it('returns every item of every list once, in the order of the whole list, following next', async () => {
      const policyId = (await api.get('/policies?limit=1')).body.items[0].policyId;
      const lists: [path: string, limit: number, id: string][] = [
        ['/controls', 7, 'controlId'],
        ['/controls?origin=catalog&implementation=not-started', 5, 'controlId'],
        ['/policies', 1, 'policyId'],
        ['/proposed-controls', 1, 'catalogControlId'],
        [`/policies/${policyId}/acceptances`, 1, 'acceptanceId'],
      ];
      for (const [path, limit, id] of lists) {
        const query = (n: number) => `${path}${path.includes('?') ? '&' : '?'}limit=${n}`;
        const idsOf = (items: unknown[]) => items.map((item) => (item as Record<string, string>)[id]);
        const whole = idsOf(await walk(api, query(100)));
        expect({ path, enough: whole.length > limit }).toEqual({ path, enough: true });
        const ids = idsOf(await walk(api, query(limit)));
        expect({ path, ids }).toEqual({ path, ids: whole });
        expect(new Set(ids).size).toBe(ids.length);
      }
    });

    it('refuses a cursor that is not one (400) and one the list did not issue (422 invalid-cursor)', async () => {
      const malformed = await api.get('/controls?cursor=not%20a%20cursor!');
      expect([malformed.status, malformed.body.type]).toEqual([400, 'urn:attest:problem:validation']);
      for (const [path, forged] of [
        ['/controls', encodeCursor(['AC-01'])],
        ['/controls', encodeCursor([1, 'AC-01'])],
        ['/policies', encodeCursor(['Access Control Policy', 'not-a-uuid'])],
        ['/proposed-controls', encodeCursor([9, 'CNF-06'])],
        ['/controls', 'e30'],
      ] as const) {
        const res = await api.get(`${path}?cursor=${forged}`);
        expect({ path, forged, status: res.status, type: res.body.type }).toEqual({
          path,
          forged,
          status: 422,
          type: 'urn:attest:problem:invalid-cursor',
        });
      }
      const tooMany = await api.get('/controls?limit=101');
      expect([tooMany.status, tooMany.body.type]).toEqual([400, 'urn:attest:problem:validation']);
    });
  });
});
