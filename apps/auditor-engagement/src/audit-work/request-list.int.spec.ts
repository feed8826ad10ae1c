import { randomUUID } from 'node:crypto';
import type { Producer } from 'kafkajs';
import type { TestDatabase } from '@attest/event-store/testing';
import { contractExample, publishedRecord } from '@attest/messaging/testing';
import { eventStoreDump, refusalOf, settableClock } from '@attest/service-kit/testing';
import { ACME, type RunningEngagement, type UserClient } from '../testing/engagement-test-app';
import {
  allPages,
  engagementInFieldwork,
  firmWithAuditor,
  ok,
  startWithWorkedData,
  type Body,
  type WorkedService,
  workedTypeTwoPlan,
} from '../testing/worked-engagement';
import { freshWorkedKafka, publishWorkedRecords, workedData, WORKED_WINDOW } from '../testing/worked-data';
import { RequestDeadlineSweep } from './request-deadline-sweep';

jest.setTimeout(600_000);

/**
 * The request list of a Type II engagement on worked data taken from Kafka by the service's consumers: generated
 * from the controls in scope, answered by itself where the services hold the evidence (and the share of those),
 * answered, returned and resubmitted by people, and marked overdue by the sweep once per due date.
 */
describe('request list', () => {
  const kafka = freshWorkedKafka();
  const worked = workedData(ACME);
  const controls = Object.values(worked.controls);
  const clock = settableClock('2026-07-02T09:00:00.000Z');
  let running: WorkedService;
  let db: TestDatabase;
  let producer: Producer;
  let service: RunningEngagement;
  let manager: UserClient;
  let auditor: UserClient;
  let e: string;

  const all = (route: string) => allPages(auditor, route);

  beforeAll(async () => {
    running = await startWithWorkedData({
      database: 'attest_eng_requests',
      kafkaClientId: 'engagement-requests',
      kafka,
      records: worked.records(kafka.topics),
      clock,
    });
    ({ db, producer, service, manager, auditor } = running);
    const firmId = await firmWithAuditor(manager);
    const engagement = await engagementInFieldwork(manager, workedTypeTwoPlan(firmId, worked));
    e = `/engagements/${engagement.engagementId}`;
  });

  afterAll(async () => {
    await running?.close();
  });

  it('generates a request per control and evidence type, answering by itself what the services hold', async () => {
    expect((await manager.post(`${e}/request-list`)).status).toBe(403); // auditors only
    const generated = ok(await auditor.post(`${e}/request-list`));
    const requests = await all(`${e}/requests`);
    const expected = controls.flatMap((c) =>
      (c.catalogControlId ? c.evidenceTypes : [undefined]).map((t) => `${c.controlId}/${t}`),
    );
    expect(requests.map((r) => `${r.controlId}/${r.evidenceType}`).sort()).toEqual(expected.sort());
    expect(generated.created.sort()).toEqual(requests.map((r) => r.requestId).sort());
    for (const r of requests)
      expect({ origin: r.origin, dueOn: r.dueOn }).toEqual({ origin: 'control', dueOn: '2026-07-16' });
    // The list's own requests are ordinary: the system raised none of them for anything.
    expect(requests.filter((r) => 'raisedFor' in r || 'missedOccurrence' in r)).toEqual([]);

    // The continuous controls' configuration evidence comes from the monitoring test runs, with no upload.
    const ac12 = requests.find(
      (r) => r.controlId === worked.controls.ac12.controlId && r.evidenceType === 'config-snapshot',
    );
    expect(ac12).toMatchObject({ status: 'submitted', submittedBy: 'system' });
    expect(ac12?.evidence.some((ref: Body) => ref.kind === 'test-run')).toBe(true);
    expect(ac12?.history.map((s: Body) => s.step)).toEqual(['created', 'submitted']);
    expect(ac12?.history[1].actor).toMatchObject({ type: 'system', id: 'system:request-fulfilment' });

    const answered = requests.filter((r) => r.submittedBy === 'system').length;
    const fulfilment = ok(await manager.get(`${e}/fulfilment`));
    expect(fulfilment).toEqual({
      total: requests.length,
      fulfilledWithoutUpload: answered,
      share: Math.round((answered / requests.length) * 10_000) / 10_000,
    });
    expect(answered).toBeGreaterThan(0);
    expect(answered).toBeLessThan(requests.length);

    // Generating again adds nothing: the list already has every request.
    expect(ok(await auditor.post(`${e}/request-list`))).toEqual({ created: [] });
    expect(await all(`${e}/requests`)).toHaveLength(requests.length);
  });

  it('answers an open request by itself when the evidence service reports its evidence', async () => {
    const open = await all(`${e}/requests?status=open`);
    const waiting = open.find((r) => r.evidenceType !== undefined);
    expect(waiting).toBeDefined();
    const other = open.find((r) => r.controlId !== waiting?.controlId);
    const before = ok(await manager.get(`${e}/fulfilment`));
    const itemId = randomUUID();
    const title = `${waiting?.evidenceType} for the half-year`;
    const submitted = publishedRecord({
      topic: kafka.topics.evidence,
      tenantId: ACME,
      ceType: 'io.attest.evidence.evidence-submitted.v1',
      data: contractExample('io.attest.evidence.evidence-submitted.v1', {
        itemId,
        version: 1,
        title,
        description: undefined,
        evidenceType: waiting?.evidenceType,
        controlIds: [waiting?.controlId],
        criteria: [],
        period: WORKED_WINDOW,
        source: { kind: 'upload' },
        content: {
          sha256: 'ab'.repeat(32),
          sizeBytes: 1_000,
          mediaType: 'application/pdf',
          fileName: 'half-year.pdf',
        },
        tags: [],
        submittedAt: '2026-07-02T10:00:00.000Z',
      }),
      streamVersion: 1,
    });
    await publishWorkedRecords(service.app, producer, kafka, [submitted]);

    // Submitted by the consumer's hook, in the transaction that took the event.
    const answered = ok(await manager.get(`${e}/requests/${waiting?.requestId}`));
    expect(answered).toMatchObject({ status: 'submitted', submittedBy: 'system' });
    expect(answered.evidence).toEqual([
      expect.objectContaining({ kind: 'evidence-item', id: itemId, version: 1, label: title }),
    ]);
    expect(answered.history.at(-1)).toMatchObject({
      step: 'submitted',
      actor: { type: 'system', id: 'system:request-fulfilment' },
    });
    if (other) expect(ok(await manager.get(`${e}/requests/${other.requestId}`)).status).toBe('open');
    const after = ok(await manager.get(`${e}/fulfilment`));
    expect(after.fulfilledWithoutUpload).toBe(before.fulfilledWithoutUpload + 1);
  });

  it('takes a submission from the company, a return with a comment, a resubmission and an acceptance', async () => {
    const open = await all(`${e}/requests?status=open`);
    expect(open.length).toBeGreaterThan(0);
    const r = `${e}/requests/${open[0].requestId}`;
    // Only a submitted request can be accepted; the auditor cannot answer for the company.
    expect(refusalOf(await auditor.post(`${r}/accept`))).toMatchObject({
      status: 409,
      code: 'request-not-submitted',
    });
    expect((await auditor.post(`${r}/submissions`).send({ evidence: [] })).status).toBe(403);
    const before = await eventStoreDump(db.pool, ACME);
    const nothing = await manager.post(`${r}/submissions`).send({ note: 'nothing attached' });
    expect(refusalOf(nothing)).toMatchObject({ status: 400 });
    expect(refusalOf(await manager.post(`${r}/submissions`).send({ evidence: [] }))).toMatchObject({
      status: 422,
      code: 'evidence-required',
    });
    expect(await eventStoreDump(db.pool, ACME)).toEqual(before);

    const ref = {
      kind: 'evidence-item',
      id: 'c5a1e2f0-1111-4d4d-8e8e-000000000001',
      version: 1,
      label: 'Q1 review',
    };
    const submitted = await manager
      .post(`${r}/submissions`)
      .send({ evidence: [ref], note: 'The Q1 review.' });
    expect(ok(submitted)).toMatchObject({ status: 'submitted', submittedBy: 'person', evidence: [ref] });
    expect(submitted.headers.etag).toBe('"2"');
    // A stale If-Match is refused before anything is decided.
    expect((await auditor.post(`${r}/return`).set('If-Match', '"1"').send({ comment: 'x' })).status).toBe(
      412,
    );
    ok(await auditor.post(`${r}/return`).set('If-Match', '"2"').send({ comment: 'March is missing.' }));
    const returned = ok(await manager.get(r));
    expect(returned).toMatchObject({ status: 'returned' });
    expect(returned.history.at(-1)).toMatchObject({ step: 'returned', comment: 'March is missing.' });

    ok(await manager.post(`${r}/submissions`).send({ evidence: [{ ...ref, version: 2 }] }));
    ok(await auditor.post(`${r}/comments`).send({ comment: 'Looks complete now.' }));
    const accepted = ok(await auditor.post(`${r}/accept`));
    expect(accepted.status).toBe('accepted');
    expect(accepted.history.map((s: Body) => s.step)).toEqual([
      'created',
      'submitted',
      'returned',
      'resubmitted',
      'commented',
      'accepted',
    ]);
    const fulfilment = ok(await manager.get(`${e}/fulfilment`));
    expect(fulfilment.fulfilledWithoutUpload).toBeLessThan(fulfilment.total);
  });

  it("asks the auditor's own request, refusing a control outside the scope", async () => {
    const own = await auditor.post(`${e}/requests`).send({
      title: 'Board minutes',
      description: 'Minutes approving the security policy.',
      dueOn: '2026-07-10',
    });
    expect(ok(own, 201)).toMatchObject({ origin: 'auditor', status: 'open', dueOn: '2026-07-10' });
    expect(own.headers.location).toBe(`/v1${e}/requests/${own.body.requestId}`);
    const outside = await auditor
      .post(`${e}/requests`)
      .send({ title: 'x', description: 'y', controlId: '0f0e0d0c-0b0a-4909-8807-060504030201' });
    expect(refusalOf(outside)).toMatchObject({ status: 404, code: 'control-not-in-scope' });
    const unknown = await auditor.get(`${e}/requests/0f0e0d0c-0b0a-4909-8807-060504030201`);
    expect(refusalOf(unknown)).toMatchObject({ status: 404, code: 'request-not-found' });
  });

  it('marks requests still open or returned after their due day overdue, once per due date', async () => {
    const sweep = service.app.get(RequestDeadlineSweep);
    const open = (await all(`${e}/requests`)).filter((r) => r.status === 'open' || r.status === 'returned');
    const none = { overdue: 0, failures: [] };
    expect(await sweep.run({ now: new Date('2026-07-10T23:00:00.000Z') })).toEqual(none);
    // The auditor's own request was due on 10 July; every open request of the list on the 16th.
    expect(await sweep.run({ now: new Date('2026-07-11T01:00:00.000Z') })).toEqual({
      overdue: 1,
      failures: [],
    });
    expect(await sweep.run({ now: new Date('2026-07-16T23:00:00.000Z') })).toEqual(none);
    const first = await sweep.run({ now: new Date('2026-07-17T01:00:00.000Z') });
    expect(first).toEqual({ overdue: open.length - 1, failures: [] });
    expect(await sweep.run({ now: new Date('2026-07-18T01:00:00.000Z') })).toEqual(none);
    const after = await all(`${e}/requests?status=open`);
    for (const r of after) {
      expect(r.overdue).toBe(true);
      expect(r.history.filter((s: Body) => s.step === 'overdue')).toHaveLength(1);
    }
    const submitted = await all(`${e}/requests?status=submitted`);
    for (const r of submitted) expect(r.overdue).toBe(false);
  });
});
