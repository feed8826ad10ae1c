import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { freePort, startChildService, WORKSPACE_ROOT, type ChildService } from '@attest/service-kit';
import { DEMO_USERS, identityProviderSettings, passwordToken } from '@attest/service-kit/testing';
import { client, type Call, type Json } from './evidence-walkthrough';
import { poll } from './poll';

/**
 * The controls in scope: those whose evidence the systems already collect (collector snapshots and the monitoring
 * tests on them), the access control policy uploaded earlier, and NET-03, whose penetration-test report no system
 * holds (the one request the company answers itself). AC-12, SDL-06 and CNF-03 are adopted here: the tests proving
 * them already ran on the earlier walkthroughs' collector runs.
 */
const ADOPTED_HERE = ['AC-12', 'SDL-06', 'CNF-03'];
const SCOPE = ['AC-01', 'AC-04', 'AC-12', 'OPS-01', 'SDL-06', 'CNF-03', 'NET-03'];
/** The control whose population is frozen and sampled: the demo broke its logging test, so one result deviates. */
const SAMPLED = 'AC-12';
const BROKEN_TEST = 'postgresql-log-connections-enabled';
/** The report files of the issued report, as the service names its formats, and the file each is written to. */
const REPORT_FILES: Record<string, string> = {
  html: 'report.html',
  pdf: 'report.pdf',
  csv: 'control-matrix.csv',
  xlsx: 'control-matrix.xlsx',
  'oscal-ap': 'oscal-ap.json',
  'oscal-ar': 'oscal-ar.json',
};
const DAY = 86_400_000;

export interface EngagementWalkthroughResult {
  engagementId: string;
  firm: string;
  auditor: string;
  manager: string;
  window: { from: string; to: string };
  /** What planning warned about (a window this short is not a SOC 2 period), accepted for the demo. */
  warnings: string[];
  scope: string[];
  requests: {
    total: number;
    fulfilledWithoutUpload: number;
    share: number;
    answeredByPerson: string[];
    /** The titles of the requests the lifecycle's observation raised (`?raisedFor=missed-occurrence`). */
    raisedForMissedOccurrences: string[];
  };
  population: { control: string; size: number; hash: string };
  sample: { sampleId: string; seed: string; size: number; testedInFull: boolean };
  reperformance: { command: string; exitCode: number; output: string };
  results: { recorded: number; exceptions: number };
  exception: { occurrence: string; description: string; response: string };
  reportDir: string;
  files: { name: string; bytes: number }[];
}

/**
 * A short SOC 2 Type II engagement on the company the earlier walkthroughs built: its compliance manager registers
 * a CPA firm with its auditor (auditor@cpa.example, an identity of the provider without a tenant), plans the
 * engagement over the last ATTEST_DEMO_WINDOW_DAYS days (default 7: the too-short window is a warning, accepted)
 * and invites the auditor. The request list answers itself from what the services hold; the auditor freezes AC-12's
 * population, draws a sample, re-performs the selection with the stand-alone Python script, tests every selected
 * occurrence (the day's run of the logging test the monitoring walkthrough broke is an exception), management
 * responds, the report is issued with a bridge letter and every file is downloaded to
 * `.local/demo/reports/<engagementId>/`.
 */
export async function engagementWalkthrough(options: {
  tenantId: string;
  controlMappingUrl: string;
  controlSetId: string;
  /** The organization's admin (manages engagements, answers requests). */
  adminToken: string;
  adminName: string;
  /** Where the service listens (the orchestrator calls it there); default a free port. */
  port?: number;
  /** Awaited before the auditors move to reporting: a Type II report waits for its window to be over. */
  beforeReporting?: () => Promise<void>;
  /** Awaited once the bridge letter is issued, while the service still runs (its relay still publishes events). */
  afterBridgeLetter?: () => Promise<void>;
}): Promise<EngagementWalkthroughResult> {
  const windowDays = Number(process.env['ATTEST_DEMO_WINDOW_DAYS'] ?? '7');
  if (!Number.isInteger(windowDays) || windowDays < 1)
    throw new Error(`ATTEST_DEMO_WINDOW_DAYS must be a whole number of days, not ${windowDays}`);
  const today = new Date().toISOString().slice(0, 10);
  const window = {
    from: new Date(Date.now() - (windowDays - 1) * DAY).toISOString().slice(0, 10),
    to: today,
  };

  const cm = client(options.controlMappingUrl, options.adminToken);
  const adoption = await cm(
    'POST',
    `/control-sets/${options.controlSetId}/adopt`,
    { mode: 'picked', catalogControlIds: ADOPTED_HERE },
    { 'Idempotency-Key': randomUUID() },
  );
  if (!adoption.body) throw new Error('control-mapping answered nothing to the adoption');
  const controls = await controlIds(cm);

  const service = await startEngagementService(options.port);
  try {
    const url = await service.url(120_000);
    const company = client(url, options.adminToken);
    const auditor = client(url, await passwordToken(DEMO_USERS.auditor));
    const scopeIds = SCOPE.map((code) => {
      const id = controls.get(code);
      if (!id) throw new Error(`the organization has no control ${code}`);
      return id;
    });

    const { body: firm } = await company(
      'POST',
      '/firms',
      { name: 'Harbor & Finch CPAs LLP' },
      { 'Idempotency-Key': randomUUID() },
    );
    await company(
      'POST',
      `/firms/${firm.firmId}/auditors`,
      { email: DEMO_USERS.auditor, name: 'Avery Quinn', role: 'lead' },
      { 'Idempotency-Key': randomUUID() },
    );
    // The service knows the controls from control-mapping's topic: until then, planning them is refused (422).
    const engagement = await poll(180_000, async () => {
      try {
        return (
          await company(
            'POST',
            '/engagements',
            {
              firmId: firm.firmId,
              name: `SOC 2 Type II ${window.from} to ${window.to}`,
              type: 'type-2',
              window,
              scope: { categories: ['security', 'availability'], controlIds: scopeIds },
            },
            { 'Idempotency-Key': randomUUID() },
          )
        ).body;
      } catch (err) {
        if (/→ 422: .*control-not-found/.test(String(err))) return null;
        throw err;
      }
    });
    const engagementId = engagement.engagementId as string;
    const e = `/engagements/${engagementId}`;
    await company(
      'POST',
      `${e}/auditors`,
      { email: DEMO_USERS.auditor },
      { 'Idempotency-Key': randomUUID() },
    );
    await auditor('POST', `${e}/invitation-acceptance`);
    await company('POST', `${e}/status`, { to: 'fieldwork' });

    // The auditor's request list: each request the services already hold evidence for is submitted by the system.
    await auditor('POST', `${e}/request-list`, undefined, { 'Idempotency-Key': randomUUID() });
    // More answer themselves as the service's consumers catch up with the topics (on its first start it reads
    // them from the beginning): wait until the share reaches the aim or stops growing.
    const fulfilment = await settledFulfilment(company, e);
    // The audit lifecycle's observation raises its own requests for missed occurrences (`raisedFor`) as it checks
    // the window's days; those are its findings, reported with the lifecycle, not the request list's.
    const open = ((await everyItem(company, `${e}/requests?status=open`)) as Json[]).filter(
      (r) => r.raisedFor !== 'missed-occurrence',
    );
    // The company answers what no system holds itself: here with the configuration export it uploaded for the same
    // control in the evidence walkthrough (a stand-in for the penetration test report).
    const submitted = (await everyItem(company, `${e}/requests?status=submitted`)) as Json[];
    const answeredByPerson: string[] = [];
    for (const request of open) {
      const ref = submitted
        .filter((r) => r.controlId === request.controlId)
        .flatMap((r) => r.evidence as Json[])
        .find((x) => x.kind === 'evidence-item');
      if (!ref) throw new Error(`nothing the company holds answers "${request.title}"`);
      await company('POST', `${e}/requests/${request.requestId}/submissions`, {
        evidence: [ref],
        note: 'The TLS configuration we reviewed; the penetration test report follows.',
      });
      answeredByPerson.push(request.title as string);
    }
    // The auditor accepts every submitted request.
    for (const request of (await everyItem(auditor, `${e}/requests?status=submitted`)) as Json[])
      await auditor('POST', `${e}/requests/${request.requestId}/accept`);

    // The population of AC-12's occurrences in the window, frozen; a sample drawn from a recorded seed.
    const sampled = controls.get(SAMPLED)!;
    const { body: population } = await auditor(
      'POST',
      `${e}/populations`,
      { controlId: sampled },
      { 'Idempotency-Key': randomUUID() },
    );
    if (population.size === 0) throw new Error(`${SAMPLED} has no occurrence in the window`);
    const { body: sample } = await auditor(
      'POST',
      `${e}/samples`,
      { populationId: population.populationId, seed: randomBytes(32).toString('hex') },
      { 'Idempotency-Key': randomUUID() },
    );
    const reportDir = path.join(WORKSPACE_ROOT, '.local', 'demo', 'reports', engagementId);
    await mkdir(reportDir, { recursive: true });
    const { body: reperformance } = await auditor('GET', `${e}/samples/${sample.sampleId}/reperformance`);
    const reperformanceFile = path.join(reportDir, `sample-${sample.sampleId}-reperformance.json`);
    await writeFile(reperformanceFile, JSON.stringify(reperformance, null, 2) + '\n');
    const reperformed = await reperform(reperformanceFile);
    if (reperformed.exitCode !== 0)
      throw new Error(`the Python re-performance disagrees with the service:\n${reperformed.output}`);

    // The auditor tests each selected occurrence; the day the logging test failed is an exception.
    const selected = sample.selected as { occurrenceId: string; label: string }[];
    const deviating =
      selected.find((s) => s.occurrenceId.startsWith(`test:${BROKEN_TEST}:`)) ??
      selected[selected.length - 1];
    const day = deviating.occurrenceId.slice(deviating.occurrenceId.lastIndexOf(':') + 1);
    const exceptionText =
      `On ${day} connection logging was switched off on the production database for part of the day: ` +
      `${BROKEN_TEST} failed on a run and raised an alert, and connections in that time were not logged.`;
    let exceptionId: string | undefined;
    for (const s of selected) {
      const deviates = s.occurrenceId === deviating.occurrenceId;
      const { body: result } = await auditor(
        'POST',
        `${e}/controls/${sampled}/test-results`,
        {
          procedure: s.occurrenceId.startsWith('test:') ? 're-performance' : 'inspection',
          occurrenceId: s.occurrenceId,
          result: deviates ? 'exception' : 'no-exception',
          description: deviates ? exceptionText : `Inspected ${s.label}; no deviation.`,
        },
        { 'Idempotency-Key': randomUUID() },
      );
      if (deviates) exceptionId = result.exceptionId;
    }
    // The other controls in scope: inspected once each over the window (no sample: their evidence is system-made).
    for (const code of SCOPE.filter((c) => c !== SAMPLED)) {
      const controlId = controls.get(code)!;
      const { body: pop } = await auditor(
        'POST',
        `${e}/populations`,
        { controlId },
        { 'Idempotency-Key': randomUUID() },
      );
      if (pop.size === 0) continue;
      const { body: s } = await auditor(
        'POST',
        `${e}/samples`,
        { populationId: pop.populationId },
        { 'Idempotency-Key': randomUUID() },
      );
      for (const item of s.selected as { occurrenceId: string; label: string }[])
        await auditor(
          'POST',
          `${e}/controls/${controlId}/test-results`,
          {
            procedure: 'inspection',
            occurrenceId: item.occurrenceId,
            result: 'no-exception',
            description: `Inspected ${item.label}; no deviation.`,
          },
          { 'Idempotency-Key': randomUUID() },
        );
    }
    if (!exceptionId) {
      const { body: tested } = await auditor('GET', `${e}/controls`);
      const control = (tested as Json[]).find((c) => c.controlId === sampled);
      exceptionId = control?.exceptions?.[0]?.exceptionId;
    }
    if (!exceptionId) throw new Error('the exception was recorded, but the service shows none');
    const response =
      'log_connections was turned off during a maintenance and not turned back on by the runbook; the alert ' +
      'reached on-call, who restored it the same day. The runbook now ends with the monitoring test passing.';
    await company('POST', `${e}/exceptions/${exceptionId}/management-response`, { response });

    // Reporting: the report is issued (stored as issued) and a bridge letter covers the days since the window.
    await options.beforeReporting?.();
    await company('POST', `${e}/status`, { to: 'reporting' });
    const { body: issued } = await company('POST', `${e}/report/issue`, undefined, {
      'Idempotency-Key': randomUUID(),
    });
    const files: { name: string; bytes: number }[] = [];
    for (const [format, name] of Object.entries(REPORT_FILES)) {
      const bytes = await download(url, options.adminToken, `${e}/report/issued/${format}`);
      await writeFile(path.join(reportDir, name), bytes);
      files.push({ name, bytes: bytes.length });
    }
    const coversTo = new Date(Date.parse(`${window.to}T00:00:00Z`) + 30 * DAY).toISOString().slice(0, 10);
    const { body: letter } = await company(
      'POST',
      `${e}/bridge-letter`,
      { coversTo },
      { 'Idempotency-Key': randomUUID() },
    );
    for (const format of ['pdf', 'html']) {
      const bytes = await download(
        url,
        options.adminToken,
        `${e}/bridge-letter/${letter.letterId}.${format}`,
      );
      const name = `bridge-letter.${format}`;
      await writeFile(path.join(reportDir, name), bytes);
      files.push({ name, bytes: bytes.length });
    }
    await options.afterBridgeLetter?.();
    const raisedForMissed = (await everyItem(company, `${e}/requests?raisedFor=missed-occurrence`)) as Json[];
    const { body: tested } = await company('GET', `${e}/controls`);
    const results = (tested as Json[]).flatMap((c) => c.results as Json[]);

    return {
      engagementId,
      firm: firm.name,
      auditor: DEMO_USERS.auditor,
      manager: options.adminName,
      window,
      warnings: engagement.warnings ?? [],
      scope: SCOPE,
      requests: {
        total: fulfilment.total,
        fulfilledWithoutUpload: fulfilment.fulfilledWithoutUpload,
        share: fulfilment.share,
        answeredByPerson,
        raisedForMissedOccurrences: raisedForMissed.map((r) => r.title as string),
      },
      population: { control: SAMPLED, size: population.size, hash: population.hash },
      sample: {
        sampleId: sample.sampleId,
        seed: sample.seed,
        size: sample.size,
        testedInFull: sample.basis.testedInFull,
      },
      reperformance: reperformed,
      results: {
        recorded: results.length,
        exceptions: results.filter((r) => r.result === 'exception').length,
      },
      exception: { occurrence: deviating.label, description: exceptionText, response },
      reportDir: path.relative(WORKSPACE_ROOT, reportDir),
      files: issued ? files : [],
    };
  } catch (err) {
    if (service.process.exitCode !== null)
      throw new Error(`the auditor-engagement service exited: ${service.stderr.join('').slice(-2000)}`, {
        cause: err,
      });
    throw err;
  } finally {
    await service.stop('SIGTERM');
  }
}

/**
 * The engagement's fulfilment once it reached 80%, or once it did not grow for ATTEST_DEMO_CATCH_UP_SECONDS (default
 * 120): then the demo reports the share it got.
 */
async function settledFulfilment(call: Call, e: string): Promise<Json> {
  const quietMs = Number(process.env['ATTEST_DEMO_CATCH_UP_SECONDS'] ?? '120') * 1000;
  let best = (await call('GET', `${e}/fulfilment`)).body;
  let grewAt = Date.now();
  while (best.share < 0.8 && Date.now() - grewAt < quietMs) {
    await new Promise((r) => setTimeout(r, 2000));
    const now = (await call('GET', `${e}/fulfilment`)).body;
    if (now.fulfilledWithoutUpload > best.fulfilledWithoutUpload) grewAt = Date.now();
    best = now;
  }
  return best;
}

/** The auditor-engagement service as its own process on the demo's database. */
async function startEngagementService(port?: number): Promise<ChildService> {
  const idp = identityProviderSettings();
  return startChildService('apps/auditor-engagement/src/main.ts', {
    ATTEST_OIDC_ISSUER: idp.issuer,
    ATTEST_OIDC_AUDIENCE: idp.audience,
    ATTEST_HTTP_PORT: String(port ?? (await freePort())),
    ATTEST_AUDITOR_ENGAGEMENT_DATABASE: 'attest_auditor_engagement',
  });
}

/** The organization's controls by code (an adopted control's code is its catalog id). */
async function controlIds(cm: Call): Promise<Map<string, string>> {
  const items = (await everyItem(cm, '/controls')) as Json[];
  return new Map(items.map((c) => [c.code as string, c.controlId as string]));
}

/** Every item of a paginated list, following its `next` links. */
async function everyItem(call: Call, route: string): Promise<unknown[]> {
  const items: unknown[] = [];
  for (let next: string | null = route; next;) {
    const { body } = await call('GET', next);
    items.push(...(body.items as unknown[]));
    next = body.next ? (body.next as string).replace(/^\/v1/, '') : null;
  }
  return items;
}

async function download(baseUrl: string, token: string, route: string): Promise<Buffer> {
  const res = await fetch(`${baseUrl}/v1${route}`, { headers: { Authorization: `Bearer ${token}` } });
  if (res.status !== 200) throw new Error(`GET ${route} → ${res.status}: ${await res.text()}`);
  return Buffer.from(await res.arrayBuffer());
}

/** tools/sampling/reperform_sample.py on the service's re-performance file, as an auditor runs it; exit 0 agrees. */
function reperform(file: string): Promise<{ command: string; exitCode: number; output: string }> {
  const args = ['tools/sampling/reperform_sample.py', path.relative(WORKSPACE_ROOT, file)];
  return new Promise((resolve) => {
    execFile('python3', args, { cwd: WORKSPACE_ROOT }, (err, stdout, stderr) => {
      const exitCode = err ? (typeof err.code === 'number' ? err.code : 2) : 0;
      resolve({ command: `python3 ${args.join(' ')}`, exitCode, output: `${stdout}${stderr}`.trimEnd() });
    });
  });
}
