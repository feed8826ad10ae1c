import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type request from 'supertest';
import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import { API_VERSION } from '@attest/service-kit';
import { settableClock } from '@attest/service-kit/testing';
import {
  answerEvery,
  DANA,
  MARCUS,
  PRIYA,
  reviewBody,
  reviewOpenRisks,
  riskAssessmentBody,
  riskBody,
  startBody,
  startTestApp,
  userClient,
  USERS,
  type TestApp,
  type UserClient,
} from './readiness-test-kit';

jest.setTimeout(180_000);

type Rating = { likelihood: number; impact: number };
const risk = (title: string, inherent?: Rating, residual?: Rating) =>
  riskBody({ title, ...(inherent ? { inherent } : {}), ...(residual ? { residual } : {}) });

/** The API conventions of docs/api/conventions.md as the readiness service keeps them. */
describe('readiness API conventions', () => {
  let db: TestDatabase;
  let svc: TestApp;
  let api: UserClient;
  // Every write happens at the same instant: lists must still be in a total, stable order (their keys end with ids).
  const clock = settableClock('2026-05-04T10:00:00.000Z');
  const riskAssessment = (changes: Record<string, unknown> = {}) => riskAssessmentBody(changes, clock.now());
  const review = (changes: Record<string, unknown> = {}) => reviewBody(changes, clock.now());

  beforeAll(async () => {
    db = await createTestDatabase('attest_readiness_conventions');
    svc = await startTestApp(db.pool, { clock });
    api = userClient(svc.app, USERS.manager);
  });

  afterAll(async () => {
    await svc?.app.close();
    await db?.drop();
  });

  const events = async (streamId?: string) =>
    Number(
      (
        await db.pool.query<{ n: string }>(
          'SELECT count(*) AS n FROM event_store.events WHERE $1::text IS NULL OR stream_id = $1',
          [streamId ?? null],
        )
      ).rows[0].n,
    );

  describe('Idempotency-Key on creating POSTs', () => {
    const creations: [
      route: string,
      id: string,
      body: () => Promise<object>,
      other: () => Promise<object>,
    ][] = [
      ['/assessments', 'assessmentId', async () => startBody('Idempotent'), async () => startBody('Another')],
      ['/risks', 'riskId', async () => risk('Idempotent'), async () => risk('Another')],
      [
        '/risk-assessments',
        'riskAssessmentId',
        // Every open risk of the register is reviewed first (the other request finds them reviewed).
        async () => {
          await reviewOpenRisks(api, clock.now());
          return riskAssessment();
        },
        async () => riskAssessment({ methodology: 'Another' }),
      ],
    ];

    it.each(creations)(
      'POST %s twice with one key returns the same resource and appends once',
      async (route, id, body, other) => {
        const key = randomUUID();
        const sent = await body();
        const before = await events();
        const first = await api.post(route, sent).set('Idempotency-Key', key).expect(201);
        expect(first.headers['idempotent-replayed']).toBeUndefined();
        expect(await events()).toBe(before + 1);
        const again = await api.post(route, sent).set('Idempotency-Key', key).expect(201);
        expect(again.headers['idempotent-replayed']).toBe('true');
        expect(again.body[id]).toBe(first.body[id]);
        expect(again.body).toEqual(first.body);
        expect(again.headers['location']).toBe(`/${API_VERSION}${route}/${first.body[id]}`);
        expect(again.headers['location']).toBe(first.headers['location']);
        expect(again.headers['etag']).toBe('"1"');
        expect(again.headers['etag']).toBe(first.headers['etag']);
        expect(await events()).toBe(before + 1);

        // The same key for another request: refused, nothing runs.
        const reused = await api
          .post(route, await other())
          .set('Idempotency-Key', key)
          .expect(422);
        expect(reused.body.type).toBe('urn:attest:problem:idempotency-key-reused');
        // Another caller of the tenant with the key: another request too.
        await userClient(svc.app, USERS.admin).post(route, sent).set('Idempotency-Key', key).expect(422);
        expect(await events()).toBe(before + 1);
      },
    );

    it('keeps keys per tenant: another tenant’s request with the same key runs', async () => {
      const key = randomUUID();
      const acme = await api.post('/risks', risk('Per tenant')).set('Idempotency-Key', key).expect(201);
      const globex = await userClient(svc.app, USERS.globexManager)
        .post('/risks', risk('Per tenant'))
        .set('Idempotency-Key', key)
        .expect(201);
      expect(globex.headers['idempotent-replayed']).toBeUndefined();
      expect(globex.body.riskId).not.toBe(acme.body.riskId);
    });
  });

  describe('ETag and If-Match', () => {
    let riskId: string;
    let assessmentId: string;
    let taskId: string;

    beforeAll(async () => {
      riskId = (await api.post('/risks', risk('Versioned')).expect(201)).body.riskId;
      assessmentId = (await api.post('/assessments', startBody('Versioned', [])).expect(201)).body
        .assessmentId;
      const other = (await api.post('/assessments', startBody('With a task', [])).expect(201)).body
        .assessmentId;
      await answerEvery(api, other, (ref) => (ref.startsWith('CC8') ? 'not-implemented' : 'implemented'));
      taskId = (await api.post(`/assessments/${other}/complete`, { defaultTaskOwner: PRIYA }).expect(200))
        .body.remediationTasks[0].taskId;
    });

    /** Two requests sent at once with the same If-Match: exactly one applies. */
    const race = async (send: () => request.Test[]) => {
      const answers = await Promise.all(send());
      return answers.map((res) => res.status).sort();
    };

    it('lets exactly one of two concurrent changes with the same If-Match through; the other gets 412', async () => {
      const riskTag = (await api.get(`/risks/${riskId}`).expect(200)).headers['etag'];
      expect(riskTag).toBe('"1"');
      expect(
        await race(() =>
          ['Still holds', 'Holds too'].map((notes) =>
            api.post(`/risks/${riskId}/reviews`, review({ notes })).set('If-Match', riskTag),
          ),
        ),
      ).toEqual([200, 412]);
      expect(await events(riskId)).toBe(2);

      // Different answers, which would both apply without If-Match.
      const assessmentTag = (await api.get(`/assessments/${assessmentId}`).expect(200)).headers['etag'];
      expect(
        await race(() =>
          ['CC1.1.1', 'CC1.1.2'].map((ref) =>
            api
              .put(`/assessments/${assessmentId}/answers/${ref}`, { answer: 'implemented' })
              .set('If-Match', assessmentTag),
          ),
        ),
      ).toEqual([200, 412]);
      expect(await events(assessmentId)).toBe(2);

      const taskTag = (await api.get(`/remediation-tasks/${taskId}`).expect(200)).headers['etag'];
      expect(
        await race(() =>
          [MARCUS, DANA].map((owner) =>
            api.patch(`/remediation-tasks/${taskId}`, { owner }).set('If-Match', taskTag),
          ),
        ),
      ).toEqual([200, 412]);
      expect(await events(taskId)).toBe(2);
    });

    it('gives a new ETag after a write, refuses a stale If-Match with 412 and appends nothing', async () => {
      const read = await api.get(`/risks/${riskId}`).expect(200);
      const changed = await api
        .post(
          `/risks/${riskId}/reviews`,
          review({
            outcome: 'changed',
            residual: { likelihood: 1, impact: 3 },
            notes: 'Contract clauses now',
          }),
        )
        .set('If-Match', read.headers['etag'])
        .expect(200);
      // Two events: the new ratings (RiskReassessed) and the review (RiskReviewed).
      expect(changed.headers['etag']).toBe(`"${Number(JSON.parse(read.headers['etag'])) + 2}"`);
      expect((await api.get(`/risks/${riskId}`).expect(200)).headers['etag']).toBe(changed.headers['etag']);

      const before = await events();
      const stale = await api
        .post(`/risks/${riskId}/reviews`, review({ notes: 'Based on what I saw' }))
        .set('If-Match', read.headers['etag'])
        .expect(412);
      expect(stale.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(stale.body.type).toBe('urn:attest:problem:precondition-failed');
      expect(await events()).toBe(before);
      expect((await api.get(`/risks/${riskId}`).expect(200)).body.residual).toMatchObject({ score: 3 });

      // A read of the current version is not sent again; without If-Match a change applies to the latest version.
      await api.get(`/risks/${riskId}`).set('If-None-Match', changed.headers['etag']).expect(304);
      const latest = await api
        .post(`/risks/${riskId}/reviews`, review({ notes: 'Reviewed again' }))
        .expect(200);
      expect(latest.headers['etag']).not.toBe(changed.headers['etag']);
      expect(await events()).toBe(before + 1);
    });
  });

  describe('cursor pagination', () => {
    /** Follows `next` from the first page: every item's id, page by page. */
    const walk = async (client: UserClient, first: string, id: string) => {
      const pages: string[][] = [];
      let link: string | null = first;
      while (link !== null) {
        const res: request.Response = await client.get(link).expect(200);
        pages.push(res.body.items.map((item: Record<string, string>) => item[id]));
        link = res.body.next === null ? null : (res.body.next as string).slice(`/${API_VERSION}`.length);
      }
      return pages;
    };

    it('walks every list page by page: every item once, in the order of the whole list', async () => {
      // A register with ties in every sort column but the id; an assessment whose plan has several tasks.
      for (const [i, ratings] of [
        [
          { likelihood: 4, impact: 4 },
          { likelihood: 2, impact: 2 },
        ],
        [
          { likelihood: 4, impact: 4 },
          { likelihood: 2, impact: 2 },
        ],
        [
          { likelihood: 5, impact: 5 },
          { likelihood: 2, impact: 2 },
        ],
        [
          { likelihood: 3, impact: 3 },
          { likelihood: 3, impact: 3 },
        ],
        [
          { likelihood: 2, impact: 2 },
          { likelihood: 1, impact: 1 },
        ],
      ].entries())
        await api.post('/risks', risk(`Paged ${i}`, ...ratings)).expect(201);
      await reviewOpenRisks(api, clock.now());
      for (let i = 0; i < 3; i++) await api.post('/risk-assessments', riskAssessment()).expect(201);
      const planned = (await api.post('/assessments', startBody('Plan', [])).expect(201)).body.assessmentId;
      await answerEvery(api, planned, (ref) =>
        /^CC(2|5|8)\./.test(ref) ? 'not-implemented' : 'implemented',
      );
      await api.post(`/assessments/${planned}/complete`, { defaultTaskOwner: PRIYA }).expect(200);

      for (const [list, id] of [
        ['/assessments', 'assessmentId'],
        ['/risks', 'riskId'],
        ['/risk-assessments', 'riskAssessmentId'],
        [`/remediation-tasks?assessmentId=${planned}&status=open`, 'taskId'],
      ]) {
        const whole = (await api.get(`${list}${list.includes('?') ? '&' : '?'}limit=100`).expect(200)).body;
        expect({ list, next: whole.next }).toEqual({ list, next: null });
        const all = whole.items.map((item: Record<string, string>) => item[id]);
        expect(all.length).toBeGreaterThan(3);
        const pages = await walk(api, `${list}${list.includes('?') ? '&' : '?'}limit=2`, id);
        expect({ list, ids: pages.flat() }).toEqual({ list, ids: all });
        expect(pages.slice(0, -1).every((page) => page.length === 2)).toBe(true);
        expect(new Set(all).size).toBe(all.length);
      }
      // The next link keeps the query: filters and limit.
      const filtered = await api
        .get(`/remediation-tasks?assessmentId=${planned}&status=open&limit=2`)
        .expect(200);
      expect(filtered.body.next).toMatch(
        new RegExp(
          `^/${API_VERSION}/remediation-tasks\\?assessmentId=${planned}&status=open&limit=2&cursor=[\\w-]+$`,
        ),
      );
    });

    it('neither skips nor repeats items while items are added during the walk', async () => {
      const before = (await api.get('/risks?limit=100').expect(200)).body.items.map(
        (r: { riskId: string }) => r.riskId,
      );
      const seen: string[] = [];
      let link: string | null = '/risks?limit=2';
      let added = 0;
      while (link !== null) {
        const res: request.Response = await api.get(link).expect(200);
        seen.push(...res.body.items.map((r: { riskId: string }) => r.riskId));
        // One risk ranked first (already passed) and one ranked last (still ahead) appear meanwhile.
        if (added++ === 0) {
          await api
            .post('/risks', risk('Top', { likelihood: 5, impact: 5 }, { likelihood: 5, impact: 5 }))
            .expect(201);
          await api
            .post('/risks', risk('Bottom', { likelihood: 1, impact: 1 }, { likelihood: 1, impact: 1 }))
            .expect(201);
        }
        link = res.body.next === null ? null : (res.body.next as string).slice(`/${API_VERSION}`.length);
      }
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen.slice(0, before.length).filter((id) => before.includes(id))).toEqual(before);
      expect(seen).toHaveLength(before.length + 1);
    });

    it('refuses a forged or tampered cursor with 422 invalid-cursor', async () => {
      const { next } = (await api.get('/risks?limit=1').expect(200)).body;
      const cursor = new URL(next, 'http://x').searchParams.get('cursor') as string;
      const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
      for (const forged of [
        Buffer.from(JSON.stringify([key[0], key[1], 'yesterday', key[3]])).toString('base64url'),
        Buffer.from(JSON.stringify([-30, key[1], key[2], key[3]])).toString('base64url'),
        Buffer.from(JSON.stringify([...key, 'extra'])).toString('base64url'),
        Buffer.from('not json').toString('base64url'),
        `${cursor.slice(0, -2)}`,
      ]) {
        const res = await api.get(`/risks?limit=1&cursor=${forged}`).expect(422);
        expect(res.body).toMatchObject({ type: 'urn:attest:problem:invalid-cursor' });
      }
    });
  });
});
