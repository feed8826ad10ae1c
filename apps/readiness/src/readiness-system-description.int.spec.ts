import 'reflect-metadata';
import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import { validateEventData } from '@attest/event-contracts';
import { decodeCloudEvent } from '@attest/messaging';
import { readUntil, testKafka, topicEnds, type SeenRecord } from '@attest/messaging/testing';
import { settableClock } from '@attest/service-kit/testing';
import { READINESS_TOPIC } from './event-flow/readiness-events';
import {
  ACME,
  answerEvery,
  startBody,
  startTestApp,
  storeState,
  SYSTEM_DESCRIPTION,
  userClient,
  USERS,
  type TestApp,
  type UserClient,
} from './readiness-test-kit';

jest.setTimeout(180_000);

const REVISED = 'io.attest.readiness.system-description-revised.v1';

/** What an auditor expects beyond the basics: CUECs, a carve-out with its CSOCs, a criterion not relevant. */
const DESCRIBED = {
  ...SYSTEM_DESCRIPTION,
  subserviceOrganizations: [
    {
      name: 'Amazon Web Services',
      services: 'Hosting and managed databases',
      method: 'carve-out',
      complementarySubserviceOrganizationControls: [
        { id: 'CSOC-1', description: 'Physical access to data centers is restricted.', criteria: ['CC6.4'] },
      ],
    },
    { name: 'Okta', services: 'Workforce sign-on', method: 'inclusive' },
  ],
  complementaryUserEntityControls: [
    {
      id: 'CUEC-1',
      description: 'Customers review who administers their dashboards.',
      criteria: ['CC6.2', 'CC6.3'],
    },
  ],
  criteriaNotRelevant: [
    { criterionId: 'A1.3', reason: 'Customers keep their own copies; the system stores no data to recover.' },
  ],
  significantChanges: [{ date: '2026-03-15', description: 'Moved ingestion to EKS.' }],
};

/**
 * The system description of an assessment as revisions: revision 0 is the one it started with, each change a
 * SystemDescriptionRevised on the assessment's stream (published, within its contract), read back as the current
 * description (with the assessment's ETag) and as a paged history; the rules refuse what an auditor would not
 * accept, and a refused or repeated revision changes nothing.
 */
describe('system description revisions over HTTP, PostgreSQL and Kafka', () => {
  let db: TestDatabase;
  let svc: TestApp;
  let api: UserClient;
  let assessmentId: string;
  const clock = settableClock('2026-03-02T09:00:00.000Z');
  const path = () => `/assessments/${assessmentId}/system-description`;
  const revisionsOf = async () =>
    (
      await db.pool.query<{ n: string }>(
        `SELECT count(*) AS n FROM event_store.events WHERE stream_id = $1 AND event_type = 'SystemDescriptionRevised'`,
        [assessmentId],
      )
    ).rows[0].n;

  beforeAll(async () => {
    db = await createTestDatabase('attest_readiness_sysdesc');
    svc = await startTestApp(db.pool, { clock });
    api = userClient(svc.app, USERS.manager);
    assessmentId = (await api.post('/assessments', startBody('FY26 readiness', ['availability'])).expect(201))
      .body.assessmentId;
  });

  afterAll(async () => {
    await svc?.app.close();
    await db?.drop();
  });

  it('shows the description the assessment started with as revision 0, with the assessment’s ETag', async () => {
    const res = await api.get(path()).expect(200);
    expect(res.headers['etag']).toBe('"1"');
    expect(res.body).toMatchObject({
      assessmentId,
      revision: 0,
      systemDescription: SYSTEM_DESCRIPTION,
      changeSummary: null,
      revisedAt: '2026-03-02T09:00:00.000Z',
      revisedBy: { type: 'user' },
    });
  });

  it('records a revision with CUECs, CSOCs and a criterion not relevant, and publishes it within its contract', async () => {
    const from = await topicEnds(testKafka('readiness-sysdesc'), [READINESS_TOPIC]);
    clock.set('2026-03-20T11:00:00.000Z');
    const res = await api
      .put(path(), {
        systemDescription: DESCRIBED,
        changeSummary: 'Added CUECs, CSOCs and A1.3 not relevant.',
      })
      .set('If-Match', '"1"')
      .expect(200);
    expect(res.headers['etag']).toBe('"2"');
    expect(res.body).toMatchObject({
      revision: 1,
      systemDescription: DESCRIBED,
      changeSummary: 'Added CUECs, CSOCs and A1.3 not relevant.',
      revisedAt: '2026-03-20T11:00:00.000Z',
    });
    expect(res.body.revisedBy.displayName).toEqual(expect.any(String));
    // The assessment shows the current description; its ETag covers the revision.
    const detail = await api.get(`/assessments/${assessmentId}`).expect(200);
    expect(detail.headers['etag']).toBe('"2"');
    expect(detail.body.systemDescription).toEqual(DESCRIBED);

    const ours = (r: SeenRecord) => r.key === assessmentId && r.headers['ce_type'] === REVISED;
    const records = await readUntil(
      testKafka('readiness-sysdesc'),
      [READINESS_TOPIC],
      (rs) => rs.some(ours),
      60_000,
      { from },
    );
    const [record] = records.filter(ours);
    const event = decodeCloudEvent({ headers: record.headers, value: Buffer.from(record.value ?? '') });
    expect(validateEventData(event.type, event.data)).toEqual([]);
    expect(event.data).toMatchObject({ assessmentId, revision: 1, systemDescription: DESCRIBED });
    // The actor's name is personal data: published sealed.
    expect((event.data as { actor: { displayName: string } }).actor.displayName).toMatch(/^pd1\./);
  });

  it('records nothing for the same description again, and refuses a stale If-Match', async () => {
    const before = await storeState(db.pool, { tenant: ACME });
    const again = await api
      .put(path(), { systemDescription: DESCRIBED, changeSummary: 'Retried.' })
      .expect(200);
    expect(again.headers['etag']).toBe('"2"');
    expect(again.body).toMatchObject({
      revision: 1,
      changeSummary: 'Added CUECs, CSOCs and A1.3 not relevant.',
    });
    const stale = await api
      .put(path(), { systemDescription: SYSTEM_DESCRIPTION, changeSummary: 'Back to the basics.' })
      .set('If-Match', '"1"')
      .expect(412);
    expect(stale.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(await storeState(db.pool, { tenant: ACME })).toEqual(before);
    expect(await revisionsOf()).toBe('1');
  });

  it('refuses a description an auditor would not accept, naming every problem, and changes nothing', async () => {
    const before = await storeState(db.pool, { tenant: ACME });
    const res = await api
      .put(path(), {
        systemDescription: {
          ...DESCRIBED,
          subserviceOrganizations: [{ name: 'Google Cloud', services: 'Hosting', method: 'carve-out' }],
          // Processing integrity is not in this assessment's scope (security and availability).
          complementaryUserEntityControls: [
            { id: 'CUEC-1', description: 'Customers check their inputs.', criteria: ['PI1.2'] },
          ],
          criteriaNotRelevant: [{ criterionId: 'A1.3', reason: '   ' }],
        },
        changeSummary: 'Moved to Google Cloud.',
      })
      .expect(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({
      type: 'urn:attest:problem:domain:system-description-invalid',
      code: 'system-description-invalid',
    });
    expect(
      res.body.details.problems.map((p: { pointer: string; rule: string }) => [p.pointer, p.rule]),
    ).toEqual([
      ['/systemDescription/complementaryUserEntityControls/0/criteria/0', 'criterion-out-of-scope'],
      [
        '/systemDescription/subserviceOrganizations/0/complementarySubserviceOrganizationControls',
        'csocs-required',
      ],
      ['/systemDescription/criteriaNotRelevant/0/reason', 'blank'],
    ]);
    // A criterion that does not exist is refused by the document's pattern already (400).
    await api
      .put(path(), {
        systemDescription: {
          ...DESCRIBED,
          criteriaNotRelevant: [{ criterionId: 'CC10.1', reason: 'None.' }],
        },
        changeSummary: 'Typo.',
      })
      .expect(400);
    // Starting an assessment follows the same rules.
    const start = await api
      .post('/assessments', {
        ...startBody('Carved out without CSOCs', []),
        systemDescription: {
          ...SYSTEM_DESCRIPTION,
          subserviceOrganizations: [{ name: 'Google Cloud', services: 'Hosting', method: 'carve-out' }],
        },
      })
      .expect(422);
    expect(start.body.code).toBe('system-description-invalid');
    expect(await storeState(db.pool, { tenant: ACME })).toEqual(before);
  });

  it('revises a completed assessment too, leaving its results as they were', async () => {
    await answerEvery(api, assessmentId, () => 'implemented', ['availability']);
    const completed = await api.post(`/assessments/${assessmentId}/complete`).expect(200);
    const results = (await api.get(`/assessments/${assessmentId}/results`).expect(200)).body;
    clock.set('2026-05-04T08:00:00.000Z');
    const res = await api
      .put(path(), {
        systemDescription: { ...DESCRIBED, criteriaNotRelevant: [] },
        changeSummary: 'A1.3 applies after all: backups are kept for customers.',
      })
      .set('If-Match', completed.headers['etag'])
      .expect(200);
    expect(res.body).toMatchObject({ revision: 2, revisedAt: '2026-05-04T08:00:00.000Z' });
    expect(Number(JSON.parse(res.headers['etag']))).toBe(Number(JSON.parse(completed.headers['etag'])) + 1);
    expect((await api.get(`/assessments/${assessmentId}/results`).expect(200)).body).toEqual(results);
  });

  it('lists every revision, newest first, page by page', async () => {
    const first = await api.get(`${path()}/revisions?limit=2`).expect(200);
    expect(first.body.items.map((r: { revision: number }) => r.revision)).toEqual([2, 1]);
    expect(first.body.items[1]).toMatchObject({
      systemDescription: DESCRIBED,
      changeSummary: 'Added CUECs, CSOCs and A1.3 not relevant.',
    });
    expect(first.body.next).toEqual(expect.stringContaining('/v1/assessments/'));
    const second = await api.get(first.body.next.replace(/^\/v1/, '')).expect(200);
    expect(second.body).toMatchObject({
      items: [{ revision: 0, systemDescription: SYSTEM_DESCRIPTION }],
      next: null,
    });
    expect((await api.get(path()).expect(200)).body.revision).toBe(2);
  });
});
