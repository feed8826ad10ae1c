import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { TestDatabase } from '@attest/event-store/testing';
import { WORKSPACE_ROOT } from '@attest/service-kit';
import { eventStoreDump, refusalOf, settableClock } from '@attest/service-kit/testing';
import { ACME, type UserClient } from '../testing/engagement-test-app';
import {
  engagementInFieldwork,
  firmWithAuditor,
  ok,
  startWithWorkedData,
  type Body,
  type WorkedService,
  workedTypeTwoPlan,
} from '../testing/worked-engagement';
import {
  freshWorkedKafka,
  workedData,
  WORKED_AS_OF,
  WORKED_CATEGORIES,
  WORKED_WINDOW,
} from '../testing/worked-data';

jest.setTimeout(600_000);

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- supertest's parser takes the raw response stream
const binary = (res: any, done: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};
const sha256 = (body: Buffer) => createHash('sha256').update(body).digest('hex');
const REPERFORM = path.join(WORKSPACE_ROOT, 'tools', 'sampling', 'reperform_sample.py');

/**
 * A Type II engagement's audit work on worked data taken from Kafka: populations frozen with their hash, samples
 * drawn from a seed (re-performed without Attest), test results with an exception and management's response, the
 * draft report in every format, its issue (the files served as their hashes in the event say) and a bridge letter.
 */
describe('audit work: populations, samples, testing, the report', () => {
  const kafka = freshWorkedKafka();
  const worked = workedData(ACME);
  const controls = Object.values(worked.controls);
  const clock = settableClock('2026-07-02T09:00:00.000Z');
  let running: WorkedService;
  let db: TestDatabase;
  let manager: UserClient;
  let auditor: UserClient;
  let e: string;
  let firmId: string;

  beforeAll(async () => {
    running = await startWithWorkedData({
      database: 'attest_eng_audit_work',
      kafkaClientId: 'engagement-audit-work',
      kafka,
      records: worked.records(kafka.topics),
      clock,
    });
    ({ db, manager, auditor } = running);
    firmId = await firmWithAuditor(manager);
    const engagement = await engagementInFieldwork(manager, workedTypeTwoPlan(firmId, worked));
    e = `/engagements/${engagement.engagementId}`;
  });

  afterAll(async () => {
    await running?.close();
  });

  let ac12Population: Body;
  let ac12Sample: Body;

  it('freezes a population of every occurrence in the window with the hash of its canonical listing', async () => {
    const ac12 = worked.controls.ac12.controlId;
    expect((await manager.post(`${e}/populations`).send({ controlId: ac12 })).status).toBe(403);
    const frozen = await auditor.post(`${e}/populations`).send({ controlId: ac12 });
    ac12Population = ok(frozen, 201);
    expect(frozen.headers.location).toBe(`/v1${e}/populations/${ac12Population.populationId}`);
    const ids = ac12Population.listing.map((o: Body) => o.occurrenceId);
    expect(ids).toEqual(expect.arrayContaining(worked.occurrences.ac12TestDays));
    expect(ids).toEqual([...ids].sort());
    expect(ac12Population.size).toBe(ids.length);
    expect(ac12Population.window).toEqual(WORKED_WINDOW);
    // The hash is SHA-256 of the RFC 8785 form: sorted keys, no spaces (only strings and integers in the listing).
    const canonical = (v: unknown): string =>
      Array.isArray(v)
        ? `[${v.map(canonical).join(',')}]`
        : v !== null && typeof v === 'object'
          ? `{${Object.keys(v)
              .sort()
              .map((k) => `${JSON.stringify(k)}:${canonical((v as Body)[k])}`)
              .join(',')}}`
          : JSON.stringify(v);
    expect(ac12Population.hash).toBe(sha256(Buffer.from(canonical(ac12Population.listing), 'utf8')));
    expect(ok(await auditor.get(`${e}/populations/${ac12Population.populationId}`))).toEqual(ac12Population);
    const list = ok(await auditor.get(`${e}/populations?controlId=${ac12}`));
    expect(list.items.map((p: Body) => p.populationId)).toEqual([ac12Population.populationId]);
    const outside = await auditor
      .post(`${e}/populations`)
      .send({ controlId: '0f0e0d0c-0b0a-4909-8807-060504030201' });
    expect(refusalOf(outside)).toMatchObject({ status: 404, code: 'control-not-in-scope' });
  });

  it('selects a sample by the firm table from a seed, re-performable by the Python script, each item a request', async () => {
    const seed = 'ab'.repeat(32);
    const created = await auditor
      .post(`${e}/samples`)
      .send({ populationId: ac12Population.populationId, seed });
    ac12Sample = ok(created, 201);
    // AC-12 is continuous: 40 items of a population of every day of the window.
    expect(ac12Sample).toMatchObject({
      seed,
      size: 40,
      algorithm: 'attest-sha256-ctr-v1',
      populationHash: ac12Population.hash,
    });
    expect(ac12Sample.basis).toMatchObject({
      testedInFull: false,
      table: 'frequency',
      populationSize: ac12Population.size,
    });
    expect(new Set(ac12Sample.selected.map((s: Body) => s.index)).size).toBe(40);

    const reperformance = ok(await auditor.get(`${e}/samples/${ac12Sample.sampleId}/reperformance`));
    const reperform = (input: Body) =>
      spawnSync('python3', [REPERFORM, '-'], { input: JSON.stringify(input), encoding: 'utf8' });
    const run = reperform(reperformance);
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    // The script's own selection, printed as draw, index, occurrenceId, is the service's.
    const printed = run.stdout
      .split('\n')
      .filter((line) => /^\s+\d+\t\d+\t/.test(line))
      .map((line) => {
        const [draw, index, occurrenceId] = line.trim().split('\t');
        return { draw: Number(draw), index: Number(index), occurrenceId };
      });
    expect(printed).toEqual(
      ac12Sample.selected.map(({ draw, index, occurrenceId }: Body) => ({ draw, index, occurrenceId })),
    );
    const changed = reperform({ ...reperformance, listing: reperformance.listing.slice(1) });
    expect({ status: changed.status, out: changed.stdout }).toEqual({
      status: 1,
      out: expect.stringContaining('population changed'),
    });
    const [first, second, ...rest] = reperformance.selected;
    const swapped = reperform({ ...reperformance, selected: [second, first, ...rest] });
    expect({ status: swapped.status, out: swapped.stdout }).toEqual({
      status: 1,
      out: expect.stringContaining('selection differs'),
    });

    // The same seed over the same population selects the same items.
    const again = ok(
      await auditor.post(`${e}/samples`).send({ populationId: ac12Population.populationId, seed }),
      201,
    );
    expect(again.selected).toEqual(ac12Sample.selected);

    const requests = ok(await auditor.get(`${e}/requests?limit=100`)).items.filter(
      (r: Body) => r.sampleId === ac12Sample.sampleId,
    );
    expect(requests.map((r: Body) => r.occurrenceId).sort()).toEqual(
      ac12Sample.selected.map((s: Body) => s.occurrenceId).sort(),
    );
    for (const r of requests)
      expect(r).toMatchObject({ origin: 'sample', status: 'submitted', submittedBy: 'system' });
  });

  it("sizes samples by the firm's own table, tests small populations in full, and refuses a bad seed whole", async () => {
    const hr02 = ok(
      await auditor.post(`${e}/populations`).send({ controlId: worked.controls.hr02.controlId }),
      201,
    );
    expect(hr02.listing.map((o: Body) => o.occurrenceId)).toEqual(worked.occurrences.hr02);
    // Six joiners: at or below the default threshold of 10, every one is tested.
    const full = ok(await auditor.post(`${e}/samples`).send({ populationId: hr02.populationId }), 201);
    expect(full.seed).toMatch(/^[0-9a-f]{64}$/);
    expect({ size: full.size, testedInFull: full.basis.testedInFull }).toEqual({
      size: 6,
      testedInFull: true,
    });
    expect(full.selected.map((s: Body) => s.occurrenceId).sort()).toEqual(worked.occurrences.hr02);

    // A seed that is not 32 bytes of hex is refused before anything is written.
    const before = await eventStoreDump(db.pool, ACME);
    const bad = await auditor.post(`${e}/samples`).send({ populationId: hr02.populationId, seed: 'not-hex' });
    expect(bad.status).toBe(400);
    expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(await eventStoreDump(db.pool, ACME)).toEqual(before);

    // The firm's table by population size: up to 100 occurrences three, above that a tenth (rounded up).
    ok(
      await manager.put(`/firms/${firmId}/sample-size-table`).send({
        sampleSizeTable: {
          basis: 'population',
          bands: [
            { upTo: 100, count: 3 },
            { upTo: null, share: 0.1 },
          ],
          testInFullAtOrBelow: 2,
        },
      }),
    );
    const banded = ok(await auditor.post(`${e}/samples`).send({ populationId: hr02.populationId }), 201);
    expect({ size: banded.size, basis: banded.basis }).toMatchObject({
      size: 3,
      basis: { table: 'population', testedInFull: false, populationSize: 6 },
    });
    const shared = ok(
      await auditor.post(`${e}/samples`).send({ populationId: ac12Population.populationId }),
      201,
    );
    expect(shared.size).toBe(Math.ceil(ac12Population.size / 10));
  });

  let exceptionId: string;

  it('records results per sampled item, raises an exception with a deviation, and takes management’s response', async () => {
    const ac12 = worked.controls.ac12.controlId;
    const c = `${e}/controls/${ac12}/test-results`;
    const [first, second] = ac12Sample.selected;
    // A Type II result must name an item a sample of the control selected.
    const unsampled = await auditor
      .post(c)
      .send({ procedure: 'inspection', result: 'no-exception', occurrenceId: 'test:x:2026-01-01' });
    expect(refusalOf(unsampled)).toMatchObject({ status: 422, code: 'occurrence-not-sampled' });
    expect(
      (
        await manager
          .post(c)
          .send({ procedure: 'inspection', result: 'no-exception', occurrenceId: first.occurrenceId })
      ).status,
    ).toBe(403);
    ok(
      await auditor
        .post(c)
        .send({ procedure: 'inspection', result: 'no-exception', occurrenceId: first.occurrenceId }),
      201,
    );
    const failed = ok(
      await auditor.post(c).send({
        procedure: 're-performance',
        result: 'exception',
        occurrenceId: second.occurrenceId,
        description: 'log_connections was off on the billing database.',
      }),
      201,
    );
    exceptionId = failed.exceptionId;
    expect(exceptionId).toEqual(expect.any(String));

    const tested = ok(await auditor.get(`${e}/controls`)).find((x: Body) => x.controlId === ac12);
    expect(tested).toMatchObject({ procedures: ['inspection', 're-performance'], deviationRate: 0.5 });
    expect(tested.exceptions).toEqual([
      expect.objectContaining({ exceptionId, occurrenceId: second.occurrenceId }),
    ]);

    const m = `${e}/exceptions/${exceptionId}/management-response`;
    expect((await auditor.post(m).send({ response: 'x' })).status).toBe(403);
    const responded = ok(
      await manager.post(m).send({ response: 'Turned back on; a config check now alerts.' }),
    );
    expect(responded.managementResponse).toMatchObject({
      response: 'Turned back on; a config check now alerts.',
    });
    expect(refusalOf(await manager.post(m).send({ response: 'again' }))).toMatchObject({
      status: 409,
      code: 'management-response-exists',
    });
  });

  it('renders the draft in every format, issues it once and serves the issued bytes as their hashes say', async () => {
    const html = await manager.get(`${e}/report?format=html`).buffer(true).parse(binary);
    expect(html.status).toBe(200);
    expect(html.headers['content-type']).toMatch(/^text\/html/);
    const text = (html.body as Buffer).toString('utf8');
    for (const control of controls) expect(text).toContain(control.code);
    expect(text).toContain('log_connections was off on the billing database.');
    expect(text).toContain('Turned back on; a config check now alerts.');
    for (const format of ['pdf', 'csv', 'xlsx', 'oscal-ap', 'oscal-ar'])
      expect((await auditor.get(`${e}/report?format=${format}`).buffer(true).parse(binary)).status).toBe(200);
    expect((await auditor.get(`${e}/report?format=docx`)).status).toBe(400);

    // Issuing needs reporting; refused, nothing is written.
    const before = await eventStoreDump(db.pool, ACME);
    expect(refusalOf(await manager.post(`${e}/report/issue`)).status).toBe(409);
    expect(await eventStoreDump(db.pool, ACME)).toEqual(before);
    expect(refusalOf(await manager.get(`${e}/report/issued/pdf`))).toMatchObject({
      status: 404,
      code: 'report-not-issued',
    });

    ok(await manager.post(`${e}/status`).send({ to: 'reporting' }));
    expect((await auditor.post(`${e}/report/issue`)).status).toBe(403);
    clock.set('2026-07-20T10:00:00.000Z');
    const issued = ok(await manager.post(`${e}/report/issue`), 201);
    expect(ok(await manager.get(e)).status).toBe('issued');
    for (const file of issued.files) {
      const served = await auditor.get(`${e}/report/issued/${file.format}`).buffer(true).parse(binary);
      expect({
        format: file.format,
        status: served.status,
        sha256: sha256(served.body),
        bytes: served.body.length,
        digest: served.headers['repr-digest'],
      }).toEqual({
        format: file.format,
        status: 200,
        sha256: file.sha256,
        bytes: file.bytes,
        digest: `sha-256=:${Buffer.from(file.sha256, 'hex').toString('base64')}:`,
      });
    }
    // The event carries the same hashes (sealed fields aside, the payload is stored as appended).
    const recorded = await db.pool.query<{ data: Body }>(
      `SELECT data FROM event_store.events WHERE tenant_id = $1 AND event_type = 'ReportIssued'`,
      [ACME],
    );
    expect(recorded.rows.map((r) => r.data.files)).toEqual([issued.files]);
  });

  it("issues management's bridge letter for the days after the window", async () => {
    expect((await auditor.post(`${e}/bridge-letter`).send({ coversTo: '2026-09-30' })).status).toBe(403);
    const created = await manager.post(`${e}/bridge-letter`).send({ coversTo: '2026-09-30' });
    const letter = ok(created, 201);
    expect(letter).toMatchObject({ coversFrom: '2026-07-01', coversTo: '2026-09-30' });
    const pdf = await auditor.get(`${e}/bridge-letter/${letter.letterId}.pdf`).buffer(true).parse(binary);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(sha256(pdf.body)).toBe(letter.sha256);
    const html = await auditor.get(`${e}/bridge-letter/${letter.letterId}.html`).buffer(true).parse(binary);
    expect((html.body as Buffer).toString('utf8')).toContain('2026-09-30');
    const unknown = await auditor.get(`${e}/bridge-letter/0f0e0d0c-0b0a-4909-8807-060504030201.pdf`);
    expect(refusalOf(unknown)).toMatchObject({ status: 404, code: 'bridge-letter-not-found' });
  });

  it('tests a Type I engagement as of its date: a result per control, no populations or samples', async () => {
    const ac04 = worked.controls.ac04.controlId;
    const typeOne = await engagementInFieldwork(manager, {
      firmId,
      name: 'SOC 2 Type I 2026',
      type: 'type-1',
      asOf: WORKED_AS_OF,
      scope: { categories: [...WORKED_CATEGORIES], controlIds: [ac04] },
    });
    const t = `/engagements/${typeOne.engagementId}`;
    expect(refusalOf(await auditor.post(`${t}/populations`).send({ controlId: ac04 }))).toMatchObject({
      status: 409,
      code: 'engagement-type-1',
    });
    const c = `${t}/controls/${ac04}/test-results`;
    const onItem = await auditor
      .post(c)
      .send({ procedure: 'inspection', result: 'no-exception', occurrenceId: 'test:x:2026-06-30' });
    expect(refusalOf(onItem)).toMatchObject({ status: 422, code: 'invalid-test-result' });
    ok(await auditor.post(c).send({ procedure: 'inspection', result: 'no-exception' }), 201);
    const tested = ok(await auditor.get(`${t}/controls`)).find((x: Body) => x.controlId === ac04);
    expect(tested).toMatchObject({ controlId: ac04, procedures: ['inspection'], deviationRate: 0 });
    const html = await manager.get(`${t}/report?format=html`).buffer(true).parse(binary);
    expect((html.body as Buffer).toString('utf8')).toContain(worked.controls.ac04.code);
  });

  it('refuses to draft or issue a report for an engagement with no controls in scope (409), issuing nothing', async () => {
    const empty = await engagementInFieldwork(manager, {
      firmId,
      name: 'SOC 2 Type I, scope still empty',
      type: 'type-1',
      asOf: WORKED_AS_OF,
      scope: { categories: [...WORKED_CATEGORIES], controlIds: [] },
    });
    const x = `/engagements/${empty.engagementId}`;
    for (const format of ['html', 'pdf', 'oscal-ap'])
      expect(refusalOf(await manager.get(`${x}/report?format=${format}`))).toMatchObject({
        status: 409,
        code: 'scope-empty',
      });
    ok(await manager.post(`${x}/status`).send({ to: 'reporting' }));
    expect(refusalOf(await manager.post(`${x}/report/issue`))).toMatchObject({
      status: 409,
      code: 'scope-empty',
    });
    expect(ok(await manager.get(x))).toMatchObject({ status: 'reporting' });
    expect(refusalOf(await manager.get(`${x}/report/issued/pdf`))).toMatchObject({
      code: 'report-not-issued',
    });
  });
});
