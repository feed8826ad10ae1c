import { randomUUID } from 'node:crypto';
import { decodeJwt } from 'jose';
import { ERASED_VALUE } from '@attest/event-contracts';
import { createTestDatabase, type TestDatabase } from '@attest/event-store/testing';
import { contractExample } from '@attest/messaging/testing';
import {
  CONTROL_CUSTOMIZED,
  CONTROL_MARKED_NOT_APPLICABLE,
  CONTROL_NOT_APPLICABLE_REVOKED,
} from '@attest/service-kit';
import {
  controlMappingEvent,
  deliverControlMappingEvents,
  settableClock,
  testControl,
} from '@attest/service-kit/testing';
import {
  accessToken,
  ACME,
  GLOBEX,
  knowControls,
  sendUpload,
  startEvidence,
  USERS,
  type RunningEvidence,
  type TestUser,
} from '../testing/evidence-test-app';
import { EvidenceReadModel } from './evidence-read-model';
import { ControlMappingEventsListener } from './control-mapping-events.listener';

jest.setTimeout(120_000);

/**
 * The evidence read model against PostgreSQL, through the service's routes: the controls control-mapping told it
 * about, each item's validity derived from their frequencies (and derived again when a control changes), freshness
 * as of the service clock, versions with their chain positions, and tenants kept apart.
 */
describe('evidence read model: validity, freshness, versions (PostgreSQL)', () => {
  let db: TestDatabase;
  let service: RunningEvidence;
  const clock = settableClock('2026-04-01T09:00:00.000Z');
  const writer = () => service.as(USERS.admin);
  let monthly = '';
  let annual = '';
  let perEvent = '';

  async function upload(
    controlIds: string[],
    period: { from: string; to: string },
    extra: Record<string, unknown> = {},
    user: TestUser = USERS.admin,
    bytes = Buffer.from(`evidence ${randomUUID()}\n`),
  ) {
    const metadata = { title: 'Access review', evidenceType: 'report', controlIds, period, ...extra };
    return sendUpload(service.as(user).post('/evidence-items'), metadata, {
      bytes,
      fileName: 'review.txt',
      mediaType: 'text/plain',
    }).expect(201);
  }

  /** The item's validity and freshness as the API shows them. */
  async function validity(itemId: string) {
    const { body } = await writer().get(`/evidence-items/${itemId}`).expect(200);
    return body.freshness;
  }

  /** A later event of a control's stream (the versions of control-mapping's stream, as the consumer gets them). */
  const controlEvent = (ceType: string, controlId: string, streamVersion: number, overrides: object) =>
    controlMappingEvent(
      ceType,
      ACME,
      streamVersion,
      contractExample(ceType, { controlId, catalogControlId: undefined, ...overrides }),
    );

  beforeAll(async () => {
    db = await createTestDatabase('attest_evidence_read_model');
    service = await startEvidence({ pool: db.pool, clock });
    const controls = [
      testControl('AC-07', 'monthly', 'AC-07'),
      testControl('LUM-02', 'annual'),
      testControl('LUM-03', 'per-event'),
    ];
    await knowControls(db.pool, ACME, controls);
    [monthly, annual, perEvent] = controls.map((c) => c.controlId);
  });

  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  it('knows the controls control-mapping announced, by id and by catalog id, per tenant', async () => {
    const readModel = service.app.get(EvidenceReadModel);
    expect(await readModel.controls(ACME, [annual, monthly, randomUUID()])).toEqual([
      expect.objectContaining({
        controlId: monthly,
        code: 'AC-07',
        catalogControlId: 'AC-07',
        frequency: 'monthly',
      }),
      expect.objectContaining({
        controlId: annual,
        code: 'LUM-02',
        frequency: 'annual',
        notApplicable: false,
      }),
    ]);
    expect((await readModel.controlsByCatalogId(ACME, ['AC-07'])).map((c) => c.controlId)).toEqual([monthly]);
    expect(await readModel.controls(GLOBEX, [monthly, annual])).toEqual([]);
    expect(await readModel.controlsByCatalogId(GLOBEX, ['AC-07'])).toEqual([]);
  });

  it('derives validity from the shortest frequency of the linked controls, and again when a control changes', async () => {
    // Period ends 31 March; monthly beats annual: valid through 30 April (calendar month).
    const { body: item } = await upload([monthly, annual], { from: '2026-01-01', to: '2026-03-31' });
    expect(item.freshness).toEqual({ status: 'fresh', validUntil: '2026-04-30' });

    // The monthly control becomes quarterly at control-mapping: valid through 30 June.
    await deliverControlMappingEvents(
      service.app.get(ControlMappingEventsListener),
      db.pool,
      controlEvent(CONTROL_CUSTOMIZED, monthly, 3, {
        changes: { frequency: 'quarterly' },
        previous: { frequency: 'monthly' },
      }),
    );
    expect(await validity(item.itemId)).toEqual({ status: 'fresh', validUntil: '2026-06-30' });

    // A redelivered older event of the control's stream changes nothing.
    await deliverControlMappingEvents(
      service.app.get(ControlMappingEventsListener),
      db.pool,
      controlEvent(CONTROL_CUSTOMIZED, monthly, 2, {
        changes: { frequency: 'daily' },
        previous: { frequency: 'monthly' },
      }),
    );
    expect(await validity(item.itemId)).toEqual({ status: 'fresh', validUntil: '2026-06-30' });

    // Not applicable: only the annual control bounds it; applicable again: the quarterly one does.
    await deliverControlMappingEvents(
      service.app.get(ControlMappingEventsListener),
      db.pool,
      controlEvent(CONTROL_MARKED_NOT_APPLICABLE, monthly, 4, { approvedBy: undefined }),
    );
    expect(await validity(item.itemId)).toEqual({ status: 'fresh', validUntil: '2027-03-31' });
    await deliverControlMappingEvents(
      service.app.get(ControlMappingEventsListener),
      db.pool,
      controlEvent(CONTROL_NOT_APPLICABLE_REVOKED, monthly, 5, {}),
    );
    expect(await validity(item.itemId)).toEqual({ status: 'fresh', validUntil: '2026-06-30' });
    expect((await service.app.get(EvidenceReadModel).controls(ACME, [monthly]))[0]).toMatchObject({
      frequency: 'quarterly',
      notApplicable: false,
    });
  });

  it('shows freshness as of the service clock, and the list filters on it with the same boundaries', async () => {
    const { body: lasting } = await upload([annual], { from: '2026-01-01', to: '2026-03-31' });
    const { body: perEventOnly } = await upload([perEvent], { from: '2026-03-01', to: '2026-03-31' });
    const { body: unlinked } = await upload([], { from: '2026-03-01', to: '2026-03-31' });
    const { body: old } = await upload([annual], { from: '2025-01-01', to: '2025-03-31' });
    expect(perEventOnly.freshness).toEqual({ status: 'no-expiry', validUntil: null });
    expect(unlinked.freshness).toEqual({ status: 'no-expiry', validUntil: null });
    expect(old.freshness).toEqual({ status: 'expired', validUntil: '2026-03-31' });

    const listed = async (freshness: string) =>
      (await writer().get(`/evidence-items?freshness=${freshness}&tag=fresh-test`).expect(200)).body.items
        .map((i: { itemId: string }) => i.itemId)
        .sort();
    for (const item of [lasting, perEventOnly, unlinked, old])
      await writer().put(`/evidence-items/${item.itemId}/controls/${annual}`).expect(200);
    // Linking the annual control bounds the no-expiry ones too (their period ends 31 March 2026).
    expect(await validity(perEventOnly.itemId)).toEqual({ status: 'fresh', validUntil: '2027-03-31' });

    // Tagged items only, so the other tests' items stay out of these lists.
    const { body: tagged } = await upload(
      [annual],
      { from: '2026-01-01', to: '2026-03-31' },
      { tags: ['fresh-test'] },
    );
    const { body: taggedOld } = await upload(
      [annual],
      { from: '2025-01-01', to: '2025-04-06' },
      { tags: ['fresh-test'] },
    );
    const { body: taggedNever } = await upload(
      [perEvent],
      { from: '2026-01-01', to: '2026-03-31' },
      {
        tags: ['fresh-test'],
      },
    );
    // 1 April: valid through 6 April is within the 7-day window (expiring), 31 March 2027 is fresh.
    expect(await listed('expiring')).toEqual([taggedOld.itemId]);
    expect(await listed('fresh')).toEqual([tagged.itemId]);
    expect(await listed('no-expiry')).toEqual([taggedNever.itemId]);
    expect(await listed('expired')).toEqual([]);

    // A week later the first has expired (the day after its last valid day), the view says so too.
    clock.set('2026-04-07T08:00:00.000Z');
    expect(await listed('expired')).toEqual([taggedOld.itemId]);
    expect(await listed('expiring')).toEqual([]);
    expect(await validity(taggedOld.itemId)).toEqual({ status: 'expired', validUntil: '2026-04-06' });
    clock.set('2026-04-01T09:00:00.000Z');
  });

  it("lists a version's content, period and source with its event's position in the tenant's chain", async () => {
    const { body: item } = await upload([annual], { from: '2026-01-01', to: '2026-03-31' });
    const v2 = Buffer.from('second quarter\n');
    await sendUpload(
      writer().post(`/evidence-items/${item.itemId}/versions`).set('If-Match', `"${item.version}"`),
      { period: { from: '2026-04-01', to: '2026-06-30' }, changeSummary: 'Q2' },
      { bytes: v2, fileName: 'q2.txt', mediaType: 'text/plain' },
    ).expect(201);

    const versions = await service.app.get(EvidenceReadModel).versions(ACME, item.itemId);
    const recorded = await db.pool.query(
      `SELECT event_id, tenant_sequence, global_position, hash, data FROM event_store.events
       WHERE tenant_id = $1 AND stream_id = $2 AND event_type IN ('EvidenceSubmitted', 'EvidenceVersioned')
       ORDER BY stream_version`,
      [ACME, item.itemId],
    );
    expect(versions).toEqual(
      recorded.rows.map((row, i) => ({
        itemId: item.itemId,
        version: i + 1,
        period: row.data.period,
        source: { kind: 'upload' },
        content: row.data.content,
        ...(i === 1 ? { changeSummary: 'Q2' } : {}),
        recordedAt: i === 0 ? row.data.submittedAt : row.data.versionedAt,
        collectedBy: expect.objectContaining({ type: 'user', id: row.data.actor.id }),
        chain: {
          eventId: row.event_id,
          tenantSequence: Number(row.tenant_sequence),
          globalPosition: Number(row.global_position),
          hash: row.hash,
        },
        disposed: false,
      })),
    );
    // The item shows its current version: the second period bounds its validity now.
    const { body: current } = await writer().get(`/evidence-items/${item.itemId}`).expect(200);
    expect(current).toMatchObject({
      currentVersion: 2,
      period: { from: '2026-04-01', to: '2026-06-30' },
      freshness: { validUntil: '2027-06-30' },
      // Kept 84 months (the default) after the later of the latest period's end and the latest submission.
      retention: { endsOn: '2033-06-30', disposed: false },
    });
    expect(await service.app.get(EvidenceReadModel).versions(GLOBEX, item.itemId)).toEqual([]);
  });

  it('filters by control, criterion, tag, type and source, newest first, in pages, within the tenant', async () => {
    const mark = `page-${randomUUID()}`;
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      clock.set(`2026-04-0${i + 2}T09:00:00.000Z`);
      ids.push(
        (
          await upload(
            [perEvent],
            { from: '2026-03-01', to: '2026-03-31' },
            { tags: [mark], criteria: ['CC7.2'] },
          )
        ).body.itemId,
      );
    }
    clock.set('2026-04-01T09:00:00.000Z');
    const readModel = service.app.get(EvidenceReadModel);
    const filter = {
      controlId: perEvent,
      tag: mark,
      criterion: 'CC7.2',
      evidenceType: 'report',
      source: 'upload',
    } as const;
    const first = await readModel.items(ACME, filter, { limit: 2 });
    const rest = await readModel.items(ACME, filter, {
      after: [first[1].submittedAt, first[1].itemId],
      limit: 2,
    });
    expect([...first, ...rest].map((i) => i.itemId)).toEqual([...ids].reverse());
    // The criteria an item supports include those of its controls (the per-event control maps to CC6.1).
    expect(await readModel.items(ACME, { tag: mark, criterion: 'CC6.1' }, { limit: 10 })).toHaveLength(3);
    expect(await readModel.items(ACME, { tag: mark, criterion: 'CC8.1' }, { limit: 10 })).toEqual([]);
    expect(await readModel.items(ACME, { ...filter, controlId: monthly }, { limit: 10 })).toEqual([]);
    expect(await readModel.items(ACME, { ...filter, evidenceType: 'screenshot' }, { limit: 10 })).toEqual([]);
    expect(await readModel.items(ACME, { ...filter, source: 'collector' }, { limit: 10 })).toEqual([]);
    expect(await readModel.items(GLOBEX, { tag: mark }, { limit: 10 })).toEqual([]);
    expect(await readModel.item(GLOBEX, ids[0])).toBeNull();
  });

  it("rebuilds the tenant's items after a person's erasure, name erased, and still knows the tenant's controls", async () => {
    // The controls come from control-mapping's topic, not from this service's log: a rebuild must not lose them.
    const { body: item } = await upload(
      [monthly, annual],
      { from: '2026-01-01', to: '2026-03-31' },
      {},
      USERS.manager,
    );
    expect(item.collectedBy.displayName).toEqual(expect.any(String));
    const { sub } = decodeJwt(await accessToken(USERS.manager));
    await writer().post('/personal-data/erasures').send({ subjectId: sub }).expect(200);

    const { body: after } = await writer().get(`/evidence-items/${item.itemId}`).expect(200);
    expect(after.collectedBy).toEqual({ ...item.collectedBy, displayName: ERASED_VALUE });
    expect(after.freshness).toEqual(item.freshness);
    expect(after.freshness.validUntil).toBe('2026-06-30');
    expect((await service.app.get(EvidenceReadModel).controls(ACME, [monthly, annual])).length).toBe(2);
  });
});
