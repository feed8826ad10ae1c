import { randomUUID } from 'node:crypto';
import { deadlineIdFor } from '@attest/deadlines';
import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import { settableClock } from '@attest/service-kit/testing';
import { testControl } from '@attest/service-kit/testing';
import {
  ACME,
  GLOBEX,
  knowControls,
  sendUpload,
  startEvidence,
  USERS,
  type RunningEvidence,
} from '../testing/evidence-test-app';
import { EvidenceFreshnessSweep } from './evidence-freshness-sweep';

jest.setTimeout(120_000);

const DAY = 86_400_000;
/** 06:00 UTC on the day `days` after `day`. */
const dayAfter = (day: string, days: number) => new Date(Date.parse(`${day}T06:00:00.000Z`) + days * DAY);

/**
 * The freshness sweep against PostgreSQL, with the service's clock and the sweep's time set by the test (items are
 * announced 7 days ahead, the default): the current version of each live item is announced as expiring within the
 * window and as expired the day after its last valid day, once each, to the controls it supports.
 */
describe('evidence freshness sweep (PostgreSQL)', () => {
  let db: TestDatabase;
  let service: RunningEvidence;
  let sweep: EvidenceFreshnessSweep;
  const clock = settableClock('2026-04-01T09:00:00.000Z');
  let monthly = '';
  let perEvent = '';

  async function upload(tenantId: string, controlIds: string[], periodTo: string) {
    const user = tenantId === ACME ? USERS.admin : USERS.globexAdmin;
    const metadata = {
      title: 'Backup restore test',
      evidenceType: 'report',
      controlIds,
      period: { from: '2026-03-01', to: periodTo },
    };
    const bytes = Buffer.from(`restore log ${randomUUID()}\n`);
    const sent = sendUpload(service.as(user).post('/evidence-items'), metadata, {
      bytes,
      fileName: 'restore.txt',
      mediaType: 'text/plain',
    });
    return (await sent.expect(201)).body;
  }

  /** The tenant's evidence deadline events in log order. */
  async function deadlineEvents(tenantId = ACME) {
    const r = await db.pool.query(
      `SELECT stream_id AS "streamId", event_type AS type, data, topic FROM event_store.events
       WHERE tenant_id = $1 AND stream_type = 'deadline' ORDER BY global_position`,
      [tenantId],
    );
    return r.rows;
  }

  beforeAll(async () => {
    db = await createTestDatabase('attest_evidence_freshness');
    service = await startEvidence({ pool: db.pool, clock });
    sweep = service.app.get(EvidenceFreshnessSweep);
    const controls = [testControl('BCK-01', 'monthly', 'BCK-01'), testControl('LUM-09', 'per-event')];
    await knowControls(db.pool, ACME, controls);
    [monthly, perEvent] = controls.map((c) => c.controlId);
  });

  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  it('announces an item expiring within the window, then expired, once each; never one that does not expire', async () => {
    // Period ends 31 March, monthly control: valid through 30 April.
    const item = await upload(ACME, [monthly, perEvent], '2026-03-31');
    await upload(ACME, [perEvent], '2026-03-31');
    expect(item.freshness.validUntil).toBe('2026-04-30');

    expect(await sweep.run({ now: dayAfter('2026-04-30', -8) })).toEqual({ raised: 0, byKind: {} });
    expect(await sweep.run({ now: dayAfter('2026-04-30', -7) })).toEqual({
      raised: 1,
      byKind: { 'evidence-expiry': 1 },
    });
    // Again, and twice at once: nothing new.
    expect(
      await Promise.all([
        sweep.run({ now: dayAfter('2026-04-30', -2) }),
        sweep.run({ now: dayAfter('2026-04-30', 0) }),
      ]),
    ).toEqual([
      { raised: 0, byKind: {} },
      { raised: 0, byKind: {} },
    ]);
    expect(await sweep.run({ now: dayAfter('2026-04-30', 1) })).toEqual({
      raised: 1,
      byKind: { 'evidence-expiry': 1 },
    });
    expect(await sweep.run({ now: dayAfter('2026-04-30', 3) })).toEqual({ raised: 0, byKind: {} });

    const deadlineId = deadlineIdFor(ACME, {
      kind: 'evidence-expiry',
      itemId: item.itemId,
      version: 1,
      controlIds: [monthly, perEvent],
      dueDate: '2026-04-30',
    });
    const actor = { type: 'system', id: 'system:deadline-sweep' };
    expect(await deadlineEvents()).toEqual([
      {
        streamId: deadlineId,
        type: 'EvidenceExpiring',
        data: {
          deadlineId,
          itemId: item.itemId,
          version: 1,
          controlIds: [monthly, perEvent],
          validUntil: '2026-04-30',
          daysLeft: 7,
          raisedAt: dayAfter('2026-04-30', -7).toISOString(),
          actor,
        },
        topic: 'attest.evidence.events.v1',
      },
      {
        streamId: deadlineId,
        type: 'EvidenceExpired',
        data: {
          deadlineId,
          itemId: item.itemId,
          version: 1,
          controlIds: [monthly, perEvent],
          validUntil: '2026-04-30',
          daysOverdue: 1,
          raisedAt: dayAfter('2026-04-30', 1).toISOString(),
          actor,
        },
        topic: 'attest.evidence.events.v1',
      },
    ]);
  });

  it("follows the current version: a new version for a later period is a new deadline, the old one's is done", async () => {
    const item = await upload(ACME, [monthly], '2026-05-31');
    const before = (await deadlineEvents()).length;
    // Valid through 30 June; within the window on 25 June.
    expect((await sweep.run({ now: dayAfter('2026-06-30', -5) })).raised).toBe(1);

    clock.set('2026-06-26T09:00:00.000Z');
    await sendUpload(
      service
        .as(USERS.admin)
        .post(`/evidence-items/${item.itemId}/versions`)
        .set('If-Match', `"${item.version}"`),
      { period: { from: '2026-06-01', to: '2026-06-30' } },
      { bytes: Buffer.from('June restore log\n'), fileName: 'june.txt', mediaType: 'text/plain' },
    ).expect(201);
    // The replaced version never expires; the new one (valid through 30 July: the same day a month on) is not due
    // yet.
    expect(await sweep.run({ now: dayAfter('2026-06-30', 2) })).toEqual({ raised: 0, byKind: {} });
    expect(await sweep.run({ now: dayAfter('2026-07-30', -1) })).toEqual({
      raised: 1,
      byKind: { 'evidence-expiry': 1 },
    });
    expect(
      (await deadlineEvents())
        .slice(before)
        .map((e) => [e.type, e.data.itemId, e.data.version, e.data.validUntil]),
    ).toEqual([
      ['EvidenceExpiring', item.itemId, 1, '2026-06-30'],
      ['EvidenceExpiring', item.itemId, 2, '2026-07-30'],
    ]);
  });

  it('sweeps one tenant when asked, and never raises for another tenant', async () => {
    const weekly = testControl('BCK-01', 'weekly', 'BCK-01');
    await knowControls(db.pool, GLOBEX, [weekly]);
    const globexControl = weekly.controlId;
    await upload(GLOBEX, [globexControl], '2026-09-01');
    const acmeBefore = (await deadlineEvents(ACME)).length;
    // Valid through 8 September: overdue on the 10th. Only GLOBEX is swept.
    expect(await sweep.run({ now: dayAfter('2026-09-10', 0), tenantId: GLOBEX })).toEqual({
      raised: 1,
      byKind: { 'evidence-expiry': 1 },
    });
    expect((await deadlineEvents(GLOBEX)).map((e) => [e.type, e.data.controlIds])).toEqual([
      ['EvidenceExpired', [globexControl]],
    ]);
    expect((await deadlineEvents(ACME)).length).toBe(acmeBefore);
  });
});
