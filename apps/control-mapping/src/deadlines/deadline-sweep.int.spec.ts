import { decodeJwt } from 'jose';
import { deadlineIdFor } from '@attest/deadlines';
import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import { settableClock } from '@attest/service-kit/testing';
import {
  accessToken,
  ACME,
  startControlMapping,
  USERS,
  type RunningControlMapping,
} from '../testing/control-mapping-test-app';
import { DeadlineSweep } from './deadline-sweep';

jest.setTimeout(120_000);

const owner = { personId: '2c4e6a8b-0d1f-4e3a-8b5c-7d9e1f3a5b7c', displayName: 'Marcus Chen' };
const DAY = 86_400_000;
const dayAfter = (day: string, days: number) => new Date(Date.parse(`${day}T06:00:00.000Z`) + days * DAY);

/**
 * The deadline sweep of control-mapping against the real servers (PostgreSQL, the identity provider's tokens), with
 * the service's clock and the sweep's time set by the test: people have 14 days to accept a policy in force, again
 * 12 months after their last acceptance; deadlines are announced 7 days ahead. Old code: nobody was ever overdue.
 */
describe('control-mapping deadlines: policy acceptances and reviews (PostgreSQL)', () => {
  let db: TestDatabase;
  let service: RunningControlMapping;
  let sweep: DeadlineSweep;
  const clock = settableClock('2026-03-02T09:00:00.000Z');
  const admin = () => service.as(USERS.admin);
  let policyId = '';
  const people: Record<'ana' | 'ben' | 'cleo', string> = { ana: '', ben: '', cleo: '' };

  /** The deadline events of the tenant, in log order, as (store type, person or policy, days). */
  async function deadlineEvents() {
    const r = await db.pool.query(
      `SELECT stream_id AS "streamId", event_type AS type, data, metadata->>'actor' AS actor, topic
       FROM event_store.events WHERE tenant_id = $1 AND stream_type = 'deadline' ORDER BY global_position`,
      [ACME],
    );
    return r.rows;
  }
  const nameOf = (personId: string) => Object.entries(people).find(([, id]) => id === personId)?.[0];
  const summary = (events: { type: string; data: Record<string, unknown> }[]) =>
    events.map(({ type, data }) => [
      type,
      data.personId ? nameOf(data.personId as string) : 'policy',
      data.dueDate,
      data.daysLeft ?? -(data.daysOverdue as number),
    ]);

  beforeAll(async () => {
    db = await createTestDatabase('attest_cm_deadlines');
    service = await startControlMapping({
      pool: db.pool,
      clock,
      policyAcceptance: { joinerAcceptanceDays: 14, reacceptanceMonths: 12 },
    });
    sweep = service.app.get(DeadlineSweep);
    // A policy in force from 2 March 2026 for everyone: drafted by the admin, approved by the compliance manager.
    policyId = (await admin().post('/policies').send({ templateId: 'access-control', owner }).expect(201))
      .body.policyId;
    await service.as(USERS.manager).post(`/policies/${policyId}/versions/1.0.0/approve`).send({}).expect(200);
    await admin()
      .post(`/policies/${policyId}/versions/1.0.0/publish`)
      .send({ effectiveDate: '2026-03-02' })
      .expect(200);
    // Ana (who signs in as the demo employee) and Ben join on 2 March: due 16 March. Cleo joins a week later.
    const join = async (displayName: string, startDate: string, extra: object = {}) =>
      (
        await admin()
          .post('/people')
          .send({
            displayName,
            email: `${displayName.toLowerCase()}@lumen.example`,
            employmentType: 'employee',
            startDate,
            role: 'Engineer',
            department: 'Engineering',
            ...extra,
          })
          .expect(201)
      ).body.personId as string;
    const { sub } = decodeJwt(await accessToken(USERS.employee));
    people.ana = await join('Ana', '2026-03-02', { subjectId: sub });
    people.ben = await join('Ben', '2026-03-02');
    people.cleo = await join('Cleo', '2026-03-09');
  });

  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  it('announces a joiner’s acceptance due soon, then overdue after the configured days; leaving clears it', async () => {
    expect(await sweep.run({ now: dayAfter('2026-03-16', -8) })).toEqual({ raised: 0, byKind: {} });
    expect(await sweep.run({ now: dayAfter('2026-03-16', -6) })).toEqual({
      raised: 2,
      byKind: { 'policy-acceptance': 2 },
    });

    // Ben leaves on 13 March; Ana accepts the version she read on 12 March (at the server's time).
    clock.set('2026-03-12T10:00:00.000Z');
    await admin().post(`/people/${people.ben}/departure`).send({ endDate: '2026-03-13' }).expect(200);
    const employee = service.as(USERS.employee);
    const { contentSha256 } = (await employee.get(`/policies/${policyId}/versions/1.0.0`).expect(200)).body;
    await employee
      .post(`/policies/${policyId}/versions/1.0.0/acceptances`)
      .send({ contentSha256 })
      .expect(201);

    // Past the 16th: Ana accepted and Ben has left, so neither is overdue; Cleo (due the 23rd) is due soon.
    expect(await sweep.run({ now: dayAfter('2026-03-16', 1) })).toEqual({
      raised: 1,
      byKind: { 'policy-acceptance': 1 },
    });
    expect(await sweep.run({ now: dayAfter('2026-03-23', 1) })).toEqual({
      raised: 1,
      byKind: { 'policy-acceptance': 1 },
    });
    // Again, twice at once: nothing new.
    expect(
      await Promise.all([
        sweep.run({ now: dayAfter('2026-03-23', 2) }),
        sweep.run({ now: dayAfter('2026-03-23', 2) }),
      ]),
    ).toEqual([
      { raised: 0, byKind: {} },
      { raised: 0, byKind: {} },
    ]);

    const events = await deadlineEvents();
    expect(summary(events).sort()).toEqual(
      [
        ['PolicyAcceptanceDueSoon', 'ana', '2026-03-16', 6],
        ['PolicyAcceptanceDueSoon', 'ben', '2026-03-16', 6],
        ['PolicyAcceptanceDueSoon', 'cleo', '2026-03-23', 6],
        ['PolicyAcceptanceOverdue', 'cleo', '2026-03-23', -1],
      ].sort(),
    );
    const cleoOverdue = events[3];
    expect(cleoOverdue).toEqual({
      streamId: deadlineIdFor(ACME, {
        kind: 'policy-acceptance',
        policyId,
        version: '1.0.0',
        personId: people.cleo,
        dueDate: '2026-03-23',
      }),
      type: 'PolicyAcceptanceOverdue',
      data: {
        deadlineId: cleoOverdue.streamId,
        policyId,
        version: '1.0.0',
        personId: people.cleo,
        dueDate: '2026-03-23',
        daysOverdue: 1,
        raisedAt: dayAfter('2026-03-23', 1).toISOString(),
        actor: { type: 'system', id: 'system:deadline-sweep' },
      },
      actor: 'system:deadline-sweep',
      topic: 'attest.control-mapping.events.v1',
    });
  });

  it('announces the policy’s periodic review due soon, then overdue', async () => {
    const { nextReviewDue } = (await admin().get(`/policies/${policyId}`).expect(200)).body;
    expect(await sweep.run({ now: dayAfter(nextReviewDue, -8) })).toEqual({ raised: 0, byKind: {} });
    expect(await sweep.run({ now: dayAfter(nextReviewDue, -5) })).toEqual({
      raised: 1,
      byKind: { 'policy-review': 1 },
    });
    expect(await sweep.run({ now: dayAfter(nextReviewDue, 1) })).toEqual({
      raised: 1,
      byKind: { 'policy-review': 1 },
    });
    expect(summary((await deadlineEvents()).slice(-2))).toEqual([
      ['PolicyReviewDueSoon', 'policy', nextReviewDue, 5],
      ['PolicyReviewOverdue', 'policy', nextReviewDue, -1],
    ]);
  });

  it('starts the yearly re-acceptance on schedule: due 14 days after the anniversary, announced 7 days ahead', async () => {
    // Ana accepted on 12 March 2026: the re-acceptance opens on 12 March 2027 and is due on the 26th.
    const before = (await deadlineEvents()).length;
    for (const now of [dayAfter('2027-03-12', -1), dayAfter('2027-03-26', -8)])
      expect((await sweep.run({ now })).byKind['policy-acceptance']).toBeUndefined();
    expect(await sweep.run({ now: dayAfter('2027-03-26', -7) })).toEqual({
      raised: 1,
      byKind: { 'policy-acceptance': 1 },
    });
    expect(await sweep.run({ now: dayAfter('2027-03-26', 1) })).toEqual({
      raised: 1,
      byKind: { 'policy-acceptance': 1 },
    });
    expect(summary((await deadlineEvents()).slice(before))).toEqual([
      ['PolicyAcceptanceDueSoon', 'ana', '2027-03-26', 7],
      ['PolicyAcceptanceOverdue', 'ana', '2027-03-26', -1],
    ]);
  });
});
