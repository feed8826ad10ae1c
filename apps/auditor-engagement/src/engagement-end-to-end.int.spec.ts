import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type request from 'supertest';
import { validateOscalAssessments } from '@attest/audit-report/testing';
import { WORKSPACE_ROOT } from '@attest/service-kit';
import { ACME, type UserClient } from './testing/engagement-test-app';
import {
  allPages,
  engagementInFieldwork,
  firmWithAuditor,
  ok,
  startWithWorkedData,
  type Body,
  type WorkedService,
} from './testing/worked-engagement';
import {
  freshWorkedKafka,
  workedData,
  WORKED_AS_OF,
  WORKED_CATEGORIES,
  WORKED_WINDOW,
  type WorkedControl,
  type WorkedControlKey,
} from './testing/worked-data';

// Half a year of other services' events through Kafka, two engagements with every report format rendered and
// validated by outside tools (pdftotext, exceljs, compliance-trestle, the Python re-performance).
jest.setTimeout(600_000);

const REPERFORM = path.join(WORKSPACE_ROOT, 'tools', 'sampling', 'reperform_sample.py');
const FORMATS = ['html', 'pdf', 'csv', 'xlsx', 'oscal-ap', 'oscal-ar'] as const;

/**
 * Full engagements on worked data, on the real PostgreSQL, Kafka and identity provider: the other services' events
 * (control-mapping's controls, people and policy acceptances; evidence's uploads, collector runs and snapshots;
 * monitoring's daily test results; readiness' system description) are published to fresh topics as their relays
 * would, the service's four consumers take them, and the company's compliance manager and the CPA firm's auditor
 * (auditor@cpa.example, reaching the tenant only through the invitation) drive a Type I and a Type II engagement
 * over HTTP to an issued report. Every report format is checked by a tool that shares nothing with the renderers.
 */
describe('auditor engagement end to end: worked data through Kafka → Type I and Type II → issued reports', () => {
  const kafka = freshWorkedKafka();
  const worked = workedData(ACME);
  const controls = Object.values(worked.controls);
  let running: WorkedService;
  let manager: UserClient;
  let auditor: UserClient;
  let workDir: string;
  let firmId: string;

  beforeAll(async () => {
    workDir = await mkdtemp(path.join(tmpdir(), 'attest-engagement-e2e-'));
    running = await startWithWorkedData({
      database: 'attest_eng_e2e',
      kafkaClientId: 'engagement-e2e',
      kafka,
      records: worked.records(kafka.topics),
    });
    ({ manager, auditor } = running);
  });

  afterAll(async () => {
    await running?.close();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  /** Plans an engagement of all eight controls with the firm, invites the auditor, and starts fieldwork. */
  const plan = (body: Body): Promise<Body> =>
    engagementInFieldwork(
      manager,
      {
        firmId,
        scope: { categories: [...WORKED_CATEGORIES], controlIds: controls.map((c) => c.controlId) },
        ...body,
      },
      { accepting: auditor },
    );

  /** Every item of a list as the auditor reads it. */
  const all = (route: string) => allPages(auditor, route);

  /** Issues the report and checks every file of it with outside tools; answers the texts for more checks. */
  const issueAndCheck = async (engagementId: string, expected: ExpectedReport) => {
    const e = `/engagements/${engagementId}`;
    ok(await manager.post(`${e}/status`).send({ to: 'reporting' }));
    const issued = ok(await manager.post(`${e}/report/issue`), 201);
    expect(issued.files.map((f: Body) => f.format).sort()).toEqual([...FORMATS].sort());
    expect(ok(await manager.get(e)).status).toBe('issued');

    const files: Record<string, Buffer> = {};
    for (const format of FORMATS) {
      const res = await auditor.get(`${e}/report/issued/${format}`).buffer(true).parse(binary);
      expect(res.status).toBe(200);
      files[format] = res.body as Buffer;
      const recorded = issued.files.find((f: Body) => f.format === format);
      expect(files[format].length).toBe(recorded.bytes);
    }
    const html = files.html.toString('utf8');
    const pdfText = await pdftotext(files.pdf);
    for (const text of [html, pdfText]) {
      const flat = squash(text);
      const shows = (...expected: string[]) => {
        for (const e of expected) expect(flat).toContain(squash(e));
      };
      for (const c of controls) shows(c.code, c.name, ...c.criteria);
      for (const exception of expected.exceptions) shows(exception.description, exception.response);
      shows('Northwind Billing', 'C1.2'); // C1.2: the criterion not relevant, with its reason
      shows(...worked.systemDescription.complementaryUserEntityControls.map((c) => c.id));
      shows(...worked.systemDescription.significantChanges.map((c) => c.description));
    }

    // The control matrix: one row per control in scope, as CSV and as a workbook exceljs reads back.
    const csvRows = files.csv.toString('utf8').trim().split(/\r?\n/);
    expect(csvRows).toHaveLength(controls.length + 1);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(files.xlsx as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    const codes: string[] = [];
    sheet.eachRow((row, n) => {
      if (n > 1) codes.push(String(row.getCell(1).value));
    });
    expect(codes.sort()).toEqual(controls.map((c) => c.code).sort());

    // OSCAL: both documents pass compliance-trestle's models and NIST's 1.2.3 JSON schema.
    const oscal = (format: 'oscal-ap' | 'oscal-ar') => JSON.parse(files[format].toString('utf8'));
    const validation = validateOscalAssessments({
      'ap.json': oscal('oscal-ap'),
      'ar.json': oscal('oscal-ar'),
    });
    expect(Object.fromEntries(validation.results)).toEqual({
      'ap.json': { valid: true, model: 'assessment-plan' },
      'ar.json': { valid: true, model: 'assessment-results' },
    });
    const results = JSON.parse(files['oscal-ar'].toString('utf8'));
    const findings = JSON.stringify(results['assessment-results'].results);
    for (const exception of expected.exceptions) expect(findings).toContain(exception.description);
    return { html, pdfText };
  };

  it('the consumers hold the worked data: the controls, the system description (defaults of the scope)', async () => {
    firmId = await firmWithAuditor(manager);
    const engagement = ok(
      await manager.post('/engagements').send({
        firmId,
        name: 'Scope defaults',
        type: 'type-1',
        asOf: WORKED_AS_OF,
        scope: { categories: [...WORKED_CATEGORIES], controlIds: [worked.controls.ac01.controlId] },
      }),
      201,
    );
    // CUECs and the carved-out subservice organization come from the tenant's latest system description.
    expect(engagement.scope.cuecs.map((c: Body) => c.id)).toEqual(['CUEC-1', 'CUEC-2']);
    expect(engagement.scope.subserviceOrganizations).toEqual([
      {
        name: 'Google Cloud',
        services: 'Hosting, physical security and managed databases.',
        method: 'carve-out',
        csocs: [
          'CSOC-1: Data center access is restricted to authorized personnel.',
          'CSOC-2: Managed database backups are replicated across zones.',
        ],
      },
    ]);
  });

  it('Type I: design and implementation as of a date, one result per control, an exception with its response', async () => {
    const engagement = await plan({
      name: 'SOC 2 Type I as of 30 June 2026',
      type: 'type-1',
      asOf: WORKED_AS_OF,
    });
    expect(engagement.warnings).toEqual([]);
    const e = `/engagements/${engagement.engagementId}`;

    // The request list: one request per control and evidence type; those the services hold answered by the system.
    ok(await auditor.post(`${e}/request-list`));
    const requests = await all(`${e}/requests`);
    const wanted = controls.flatMap((c) => c.evidenceTypes.map((t) => `${c.controlId}:${t}`)).sort();
    expect(requests.map((r) => `${r.controlId}:${r.evidenceType}`).sort()).toEqual(wanted);

    const exception = {
      description:
        'The onboarding checklist of the March joiner was signed off by the joiner, not their manager.',
      response:
        'Checklists are now assigned to the manager in the HR system; the March checklist was re-signed.',
    };
    for (const c of controls) {
      const deviates = c === worked.controls.hr02;
      const result = ok(
        await auditor.post(`${e}/controls/${c.controlId}/test-results`).send({
          procedure: c.testIds.length ? 'inspection' : 'inquiry',
          result: deviates ? 'exception' : 'no-exception',
          description: deviates
            ? exception.description
            : `${c.code} is designed and in place as of ${WORKED_AS_OF}.`,
        }),
        201,
      );
      if (deviates) {
        ok(
          await manager.post(`${e}/exceptions/${result.exceptionId}/management-response`).send({
            response: exception.response,
          }),
        );
      }
    }
    const tested = ok(await auditor.get(`${e}/controls`)) as Body[];
    expect(tested).toHaveLength(controls.length);
    const hr02 = tested.find((c) => c.controlId === worked.controls.hr02.controlId)!;
    expect(hr02).toMatchObject({ deviationRate: 1, exceptions: [{ description: exception.description }] });
    expect(hr02.exceptions[0].managementResponse.response).toBe(exception.response);

    await issueAndCheck(engagement.engagementId, { exceptions: [exception] });
  });

  it('Type II: requests answer themselves, populations frozen, samples re-performed in Python, results, report', async () => {
    const engagement = await plan({ name: 'SOC 2 Type II 2026 H1', type: 'type-2', window: WORKED_WINDOW });
    expect(engagement.warnings).toEqual([]);
    const e = `/engagements/${engagement.engagementId}`;
    ok(await auditor.post(`${e}/request-list`));

    // What the services hold answers the requests by itself; only what nothing shows is left to the company.
    const requests = await all(`${e}/requests`);
    const request = (key: WorkedControlKey, type: string | undefined) =>
      requests.find((r) => r.controlId === worked.controls[key].controlId && r.evidenceType === type)!;
    const snapshot = request('ac04', 'config-snapshot');
    expect(snapshot).toMatchObject({ status: 'submitted', submittedBy: 'system' });
    expect(snapshot.evidence.map((r: Body) => r.kind).sort()).toEqual(['evidence-item', 'test-run']);
    const review = request('ac07', 'report');
    expect(review).toMatchObject({ status: 'submitted', submittedBy: 'system' });
    expect(review.evidence.map((r: Body) => r.label).sort()).toEqual([
      'Q1 2026 user access review',
      'Q2 2026 user access review',
    ]);
    expect(request('exports', undefined)).toMatchObject({ status: 'submitted', submittedBy: 'system' });
    const fulfilment = ok(await auditor.get(`${e}/fulfilment`));
    expect(fulfilment.total).toBe(requests.length);
    expect(fulfilment.fulfilledWithoutUpload).toBe(requests.filter((r) => r.submittedBy === 'system').length);

    // Populations: every occurrence in the window, frozen with a hash over the canonical listing.
    const frozen = {} as Record<WorkedControlKey, Body>;
    for (const [key, c] of Object.entries(worked.controls) as [WorkedControlKey, WorkedControl][])
      frozen[key] = ok(await auditor.post(`${e}/populations`).send({ controlId: c.controlId }), 201);
    const ids = (key: WorkedControlKey) => frozen[key].listing.map((o: Body) => o.occurrenceId);
    expect(ids('ac01')).toEqual(worked.occurrences.ac01);
    expect(ids('ac07')).toEqual(worked.occurrences.ac07);
    expect(ids('exports')).toEqual(worked.occurrences.exports);
    expect(ids('hr02')).toEqual(worked.occurrences.hr02);
    expect(ids('ac12')).toEqual(expect.arrayContaining(worked.occurrences.ac12TestDays));
    // Six months of daily runs of the backup test: one occurrence per day.
    expect(frozen.bck02.size).toBe(181);

    // Samples: by frequency; small populations in full; each re-performed by the stand-alone Python script.
    const samples = {} as Record<WorkedControlKey, Body>;
    for (const key of Object.keys(frozen) as WorkedControlKey[]) {
      samples[key] = ok(
        await auditor.post(`${e}/samples`).send({ populationId: frozen[key].populationId }),
        201,
      );
      const reperformance = ok(await auditor.get(`${e}/samples/${samples[key].sampleId}/reperformance`));
      const file = path.join(workDir, `${samples[key].sampleId}.json`);
      await writeFile(file, JSON.stringify(reperformance));
      const run = spawnSync('python3', [REPERFORM, file], { encoding: 'utf8' });
      expect({ key, status: run.status, stderr: run.stderr }).toEqual({ key, status: 0, stderr: '' });
      expect(reperformance.selected).toEqual(
        samples[key].selected.map(({ draw, index, occurrenceId }: Body) => ({ draw, index, occurrenceId })),
      );
    }
    expect(samples.ac12).toMatchObject({ size: 40, basis: { testedInFull: false } });
    expect(samples.bck02).toMatchObject({ size: 25, basis: { testedInFull: false } });
    expect(samples.hr02).toMatchObject({ size: 6, basis: { testedInFull: true } });
    expect(samples.ac01).toMatchObject({ size: 1, basis: { testedInFull: true } });

    // A changed population is caught: one occurrence's label altered, the script names the hash.
    const tampered = ok(await auditor.get(`${e}/samples/${samples.ac12.sampleId}/reperformance`));
    tampered.listing[0].label += ' (edited)';
    const tamperedFile = path.join(workDir, 'tampered.json');
    await writeFile(tamperedFile, JSON.stringify(tampered));
    expect(spawnSync('python3', [REPERFORM, tamperedFile], { encoding: 'utf8' }).status).toBe(1);

    // Selected occurrences become requests about them, answered by their evidence.
    const sampleRequests = (await all(`${e}/requests`)).filter((r) => r.origin === 'sample');
    const selectedCount = Object.values(samples).reduce((n, s) => n + s.selected.length, 0);
    expect(sampleRequests).toHaveLength(selectedCount);

    // A Type II result names an occurrence the sample of that control selected, no other.
    const outsider = frozen.ac12.listing.find(
      (o: Body) => !samples.ac12.selected.some((s: Body) => s.occurrenceId === o.occurrenceId),
    );
    const refused = await auditor
      .post(`${e}/controls/${worked.controls.ac12.controlId}/test-results`)
      .send({ procedure: 'inspection', occurrenceId: outsider.occurrenceId, result: 'no-exception' });
    expect(refused.status).toBe(422);

    // Results for every selected occurrence: the late policy acceptance is an exception, as is AC-12's failed day.
    const late = `joiner:${worked.lateJoiner.personId}`;
    const failed = `test:postgresql-log-connections-enabled:${worked.failedDay}`;
    const expectedExceptions: { description: string; response: string }[] = [];
    for (const [key, sample] of Object.entries(samples) as [WorkedControlKey, Body][]) {
      const c = worked.controls[key];
      for (const s of sample.selected as Body[]) {
        const deviates = s.occurrenceId === late || s.occurrenceId === failed;
        const description = deviates
          ? s.occurrenceId === late
            ? `Joiner started ${worked.lateJoiner.startDate} accepted the policies only on ${worked.lateJoiner.acceptedOn}.`
            : `Connection logging was off on ${worked.failedDay}: the monitoring test failed that day.`
          : undefined;
        const result = ok(
          await auditor.post(`${e}/controls/${c.controlId}/test-results`).send({
            procedure: s.occurrenceId.startsWith('test:') ? 're-performance' : 'inspection',
            occurrenceId: s.occurrenceId,
            result: deviates ? 'exception' : 'no-exception',
            ...(description ? { description } : {}),
          }),
          201,
        );
        if (description) {
          const response = `Management response to ${s.occurrenceId}: the cause was found and fixed.`;
          ok(
            await manager
              .post(`${e}/exceptions/${result.exceptionId}/management-response`)
              .send({ response }),
          );
          const again = await manager
            .post(`${e}/exceptions/${result.exceptionId}/management-response`)
            .send({ response: 'A second answer' });
          expect({ status: again.status, code: again.body.code }).toEqual({
            status: 409,
            code: 'management-response-exists',
          });
          expectedExceptions.push({ description, response });
        }
      }
    }
    expect(expectedExceptions.length).toBeGreaterThanOrEqual(1); // HR-02 is tested in full: the late joiner is in it
    const tested = ok(await auditor.get(`${e}/controls`)) as Body[];
    const hr02 = tested.find((c) => c.controlId === worked.controls.hr02.controlId)!;
    expect(hr02.deviationRate).toBeCloseTo(1 / 6, 4);

    const { pdfText } = await issueAndCheck(engagement.engagementId, { exceptions: expectedExceptions });
    // Section 4 names each sample's seed and population hash, so the reader can re-perform it.
    expect(squash(pdfText)).toContain(samples.ac12.seed.slice(0, 16));

    // A bridge letter covers the months after the window, with the significant changes.
    const letter = ok(await manager.post(`${e}/bridge-letter`).send({ coversTo: '2026-09-30' }), 201);
    expect(letter).toMatchObject({ coversFrom: '2026-07-01', coversTo: '2026-09-30' });
    const pdf = await auditor.get(`${e}/bridge-letter/${letter.letterId}.pdf`).buffer(true).parse(binary);
    expect(pdf.status).toBe(200);
    expect(squash(await pdftotext(pdf.body as Buffer))).toContain('Northwind Billing');
  });
});

interface ExpectedReport {
  exceptions: { description: string; response: string }[];
}

/**
 * Whitespace collapsed and hyphens dropped: PDF text breaks lines where the layout does, and pdftotext joins a word
 * hyphenated at a line's end ("re-" + "signed" → "resigned").
 */
const squash = (text: string) => text.replace(/\s+/g, ' ').replace(/-/g, '');

/** supertest's parser for a binary body (it hands the parser the response stream). */
function binary(res: request.Response, done: (err: Error | null, body: Buffer) => void): void {
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
}

/** The PDF's text as poppler's pdftotext extracts it (layout-free). */
async function pdftotext(pdf: Buffer): Promise<string> {
  const run = spawnSync('pdftotext', ['-', '-'], {
    input: pdf,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.error) throw new Error(`pdftotext is not installed (poppler-utils): ${run.error.message}`);
  if (run.status !== 0) throw new Error(`pdftotext failed: ${run.stderr}`);
  return run.stdout;
}
