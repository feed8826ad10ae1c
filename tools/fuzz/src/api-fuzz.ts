import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  type ChildService,
  freePort,
  PERMISSION_EXTENSION,
  startChildService,
  WORKSPACE_ROOT,
} from '@attest/service-kit';
import { type FuzzCredentials, FUZZ_USER, fuzzCredentials, fuzzIdentityEnv } from './fuzz-auth';
import { fuzzApi } from './fuzz-callers';
import type { FuzzTarget } from './fuzz-targets';

/** Installed by tools/fuzz/ensure-schemathesis.sh. */
const SCHEMATHESIS = join(WORKSPACE_ROOT, '.local/venvs/schemathesis/bin/schemathesis');
const FUZZ_REPORT_DIR = join(WORKSPACE_ROOT, '.local/fuzz');

/**
 * Every check that judges a single service against its own document. max_response_time is left out: timing on a
 * shared 2-core machine is no property of the document. use_after_free and ensure_resource_availability run in the
 * stateful phase on the links schemathesis infers (Location headers, ids in responses). object_level_authorization
 * stays off until the fuzzer has a second tenant's identity to compare with.
 */
const FUZZ_CHECKS = [
  'not_a_server_error',
  'status_code_conformance',
  'content_type_conformance',
  'response_schema_conformance',
  'response_headers_conformance',
  'negative_data_rejection',
  'positive_data_acceptance',
  'missing_required_header',
  'unsupported_method',
  'allow_header_conformance',
  'ignored_auth',
  'use_after_free',
  'ensure_resource_availability',
] as const;

/**
 * What a request valid by the document may be answered with: success, or a refusal the schema cannot state: one
 * that depends on stored state (unknown id 404, conflict 409, stale If-Match 412), on the caller's role (403) or
 * rate (429), on the body's size in bytes (413), or on a documented business rule across values (422 with its
 * problem type; status_code_conformance holds the operation to listing it). A 400 says the service refused the shape
 * the document admitted, and a 401 that it refused the fuzzer's valid credentials: disagreements.
 */
const POSITIVE_DATA_STATUSES = ['2xx', '403', '404', '409', '412', '413', '422', '429'];

/**
 * schemathesis' refusals of invalid input, and two answers given before the input is read: 412 (RFC 9110 evaluates
 * preconditions before the request content) and 413 (a body past the size limit).
 */
const NEGATIVE_DATA_STATUSES = [
  '400',
  '401',
  '403',
  '404',
  '405',
  '406',
  '409',
  '412',
  '413',
  '415',
  '422',
  '428',
  '429',
  '5xx',
];

export interface FuzzBudget {
  /** Generated test cases per operation in each generating phase (schemathesis --max-examples). */
  maxExamples: number;
  /** Fixed so that a run is reproducible; another seed explores other inputs. */
  seed: number;
  /** A guard against a hang, not the budget: a schemathesis run still going after this is stopped and fails. */
  timeoutMs: number;
}

/** About 2,700 test cases in 20 to 40 s per service on the 2-core CI machine. */
export const CI_BUDGET: FuzzBudget = { maxExamples: 30, seed: 1, timeoutMs: 120_000 };

/** Longest wait for a service to listen and report ready. */
const STARTUP_TIMEOUT_MS = 60_000;
/** Longest wait for one HTTP call of the runner (a readiness probe, the token). */
const CALL_TIMEOUT_MS = 10_000;
/** Longest wait for the callers' set-up (an identity-provider user, a handful of API calls, a projection). */
const SET_UP_TIMEOUT_MS = 30_000;
/** Longest wait for the service to stop on SIGTERM (leaving its consumer group) before it is killed. */
const STOP_TIMEOUT_MS = 15_000;
/** Longest wait for removing the run's resources (the consumer group of a killed service lingers for 30 s). */
const TEARDOWN_TIMEOUT_MS = 60_000;
/** A run is stopped this long before its access token expires, so that no request carries an expired token. */
const TOKEN_MARGIN_MS = 15_000;

/**
 * The longest fuzzService can take on `target`: each of its steps has a deadline (a test's timeout must exceed it).
 * Each pass fetches its token and runs schemathesis; callers are set up first.
 */
export function longestFuzzRunMs(budget: FuzzBudget, target: Pick<FuzzTarget, 'callers'>): number {
  const callers = target.callers?.length ?? 0;
  return (
    STARTUP_TIMEOUT_MS +
    CALL_TIMEOUT_MS +
    (callers ? SET_UP_TIMEOUT_MS : 0) +
    (callers + 1) * (CALL_TIMEOUT_MS + budget.timeoutMs) +
    STOP_TIMEOUT_MS +
    TEARDOWN_TIMEOUT_MS
  );
}

/** One kind of failure schemathesis found, with the operations it was found on. */
export interface FuzzFailure {
  code: string;
  title: string;
  count: number;
  operations: string[];
}

/** A service's run: one schemathesis pass per caller, the fuzzing admin's last. */
export interface FuzzReport {
  service: string;
  passes: PassReport[];
}

/** One schemathesis pass: the operations one caller may call, with their token. */
export interface PassReport {
  /** `admin` (FUZZ_USER), or the FuzzCaller's name. */
  caller: string;
  /** The schemathesis command's exit code: 0 when every check held. */
  exitCode: number | null;
  /** Selected: the operations of this pass (by the permission the document states); tested: those it reached. */
  operations: { selected: number; tested: number };
  /** Test cases generated and sent. */
  generated: number;
  failures: FuzzFailure[];
  /** Operations schemathesis could not test (bad schema, network errors), one line each. */
  errors: string[];
  /** Warnings that mean the run did not test what it should (every request unauthenticated or rate-limited). */
  blockingWarnings: string[];
  seconds: number;
  /** schemathesis' console output, where every failure has the curl command that reproduces it. */
  logFile: string;
  /** JSON run report, JUnit XML and the generated configuration (the admin's pass: also the service's log). */
  reportDir: string;
}

/** What a pass is run with. */
interface FuzzPass {
  caller: string;
  reportDir: string;
  credentials(): Promise<FuzzCredentials>;
  /**
   * The operations the pass leaves out, as filter expressions on the operation's definition (`/pointer == value`,
   * `!=`). Each is an `[[operations]]` entry with `enabled = false` in the pass' configuration: the command line
   * takes a single --exclude-by (the last one given wins), and the admin's pass leaves out one permission per caller.
   */
  leftOut: string[];
  /** Fixed parameter values, schemathesis' `[parameters]` (e.g. `path.engagementId`). */
  parameters: Record<string, string>;
}

/** Warnings that void a run: its requests never reached the operations' logic. */
const BLOCKING_WARNINGS = ['missing_auth', 'rate_limited'];

/**
 * Starts the service as its own process on throwaway resources, fuzzes the OpenAPI document it serves with
 * schemathesis (a pass per caller, see passesOf), stops it and removes the resources. Reports land in
 * .local/fuzz/<service>/ (a caller's pass in .local/fuzz/<service>/<caller>/). Aborting `signal` (a
 * test's teardown after a timeout, Ctrl-C) kills schemathesis and stops the service; the resources are removed
 * either way.
 */
export async function fuzzService(
  target: FuzzTarget,
  budget: FuzzBudget = CI_BUDGET,
  signal?: AbortSignal,
): Promise<FuzzReport> {
  const reportDir = join(FUZZ_REPORT_DIR, target.service);
  rmSync(reportDir, { recursive: true, force: true });
  mkdirSync(reportDir, { recursive: true });
  const resources = await target.prepare();
  let service: ChildService | undefined;
  // Aborted while starting or running: stop the service (runSchemathesis kills schemathesis).
  const stop = () => void (service && stopGracefully(service));
  signal?.addEventListener('abort', stop, { once: true });
  try {
    signal?.throwIfAborted();
    service = startChildService(target.main, {
      ...resources.env,
      ...fuzzIdentityEnv(),
      ATTEST_HTTP_PORT: String(await freePort()),
      // The "listening" line startChildService waits for is logged at info.
      ATTEST_LOG_LEVEL: 'info',
      // Thousands of requests a minute from one principal: the rate limit has its own tests.
      ATTEST_RATE_LIMIT_PER_MINUTE: '1000000',
    });
    const startedBy = Date.now() + STARTUP_TIMEOUT_MS;
    const url = await service.url(STARTUP_TIMEOUT_MS);
    await waitUntilReady(url, startedBy, signal);
    const passes = await withDeadline(
      passesOf(target, url, reportDir, signal),
      SET_UP_TIMEOUT_MS,
      `setting up the callers of ${target.service}`,
    );
    const reports: PassReport[] = [];
    for (const pass of passes) reports.push(await runSchemathesis(pass, url, budget, signal));
    return { service: target.service, passes: reports };
  } finally {
    signal?.removeEventListener('abort', stop);
    if (service) {
      await stopGracefully(service);
      // The service's own log: the error behind each 500, found by the response's requestId.
      const lines = service.lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l)));
      writeFileSync(join(reportDir, 'service.log'), [...lines, ...service.stderr].join('\n'));
    }
    await withDeadline(
      resources.dispose(),
      TEARDOWN_TIMEOUT_MS,
      `removing the resources of ${target.service}'s run`,
    );
  }
}

/**
 * SIGTERM, once (a second one would cut the shutdown short), so that the service leaves its consumer group and
 * closes its connections; SIGKILL if it is still running after STOP_TIMEOUT_MS.
 */
async function stopGracefully(service: ChildService): Promise<void> {
  const kill = setTimeout(() => void service.stop('SIGKILL'), STOP_TIMEOUT_MS);
  if (!service.process.killed) void service.stop('SIGTERM');
  await service.exited;
  clearTimeout(kill);
}

async function waitUntilReady(url: string, deadline: number, signal?: AbortSignal): Promise<void> {
  for (;;) {
    const res = await fetch(`${url}/health/ready`, { signal: callSignal(signal) }).catch(() => undefined);
    signal?.throwIfAborted();
    if (res?.status === 200) return;
    if (Date.now() > deadline) throw new Error(`${url} was not ready within ${STARTUP_TIMEOUT_MS} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * A pass per caller over the operations of their permission, with the data the caller's set-up made; then the
 * fuzzing admin's over the rest. The admin's comes last: its stateful phase can reach the callers' data through
 * lists and change it (move the engagement on, remove the auditor).
 */
async function passesOf(
  target: FuzzTarget,
  url: string,
  reportDir: string,
  signal?: AbortSignal,
): Promise<FuzzPass[]> {
  const api = fuzzApi(url, () => callSignal(signal));
  const callers = target.callers ?? [];
  const permission = (op: '==' | '!=', value: string) => `/${PERMISSION_EXTENSION} ${op} ${value}`;
  const passes: FuzzPass[] = [];
  for (const caller of callers) {
    const access = await caller.setUp(api);
    const callerDir = join(reportDir, caller.name);
    mkdirSync(callerDir, { recursive: true });
    passes.push({
      caller: caller.name,
      reportDir: callerDir,
      credentials: access.credentials,
      leftOut: [permission('!=', caller.permission)],
      parameters: access.parameters,
    });
  }
  passes.push({
    caller: 'admin',
    reportDir,
    credentials: fuzzCredentials,
    leftOut: callers.map((c) => permission('==', c.permission)),
    parameters: {},
  });
  return passes;
}

/** One HTTP call's signal: aborted with the run, or after CALL_TIMEOUT_MS. */
function callSignal(signal?: AbortSignal): AbortSignal {
  const timeout = AbortSignal.timeout(CALL_TIMEOUT_MS);
  return signal ? AbortSignal.any([signal, timeout]) : timeout;
}

/** `promise`, or a rejection naming `what` once `ms` have passed. */
async function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs one pass of schemathesis against a listening service, whose document is at <url>/openapi.json; writes to
 * the pass' report directory.
 */
async function runSchemathesis(
  pass: FuzzPass,
  url: string,
  budget: FuzzBudget,
  signal?: AbortSignal,
): Promise<PassReport> {
  const { reportDir } = pass;
  const documentUrl = `${url}/openapi.json`;
  // Fetched right before the run, which ends before the token expires (see stop below).
  const credentials = await withDeadline(pass.credentials(), CALL_TIMEOUT_MS, 'fetching an access token');
  const configFile = join(reportDir, 'schemathesis.toml');
  writeFileSync(configFile, schemathesisConfig(pass));
  const jsonReport = join(reportDir, 'report.json');
  const args = [
    '--config-file',
    configFile,
    'run',
    documentUrl,
    // The document's own server path (if any) is appended to the origin.
    '--origin',
    url,
    '--checks',
    FUZZ_CHECKS.join(','),
    '--max-examples',
    String(budget.maxExamples),
    '--seed',
    String(budget.seed),
    // Without an example database (nor the crash cache, see SCHEMATHESIS_CONFIG) the same seed gives the same run.
    '--generation-database',
    'none',
    // Python 3.11 can fail parsing source in concurrent threads (hypothesis' lambda descriptions); one worker.
    '--workers',
    '1',
    '--continue-on-failure',
    '--request-timeout',
    '10',
    '--report',
    'json,junit',
    '--report-json-path',
    jsonReport,
    '--report-junit-path',
    join(reportDir, 'junit.xml'),
    '--no-color',
  ];
  const logFile = join(reportDir, 'schemathesis.log');
  const started = Date.now();
  const tokenLeftMs = credentials.expiresAt - TOKEN_MARGIN_MS - started;
  const stop =
    tokenLeftMs < budget.timeoutMs
      ? { afterMs: tokenLeftMs, reason: 'the access token expires then: lower ATTEST_FUZZ_MAX_EXAMPLES' }
      : { afterMs: budget.timeoutMs, reason: 'the run exceeded its time limit' };
  // The token reaches schemathesis through the environment: it appears neither in argv nor on disk.
  const env = { ...process.env, ATTEST_FUZZ_AUTHORIZATION: credentials.authorization };
  const exitCode = await runLogged(SCHEMATHESIS, args, env, logFile, stop, signal);
  const seconds = Math.round((Date.now() - started) / 100) / 10;
  let report: JsonRunReport;
  try {
    report = JSON.parse(readFileSync(jsonReport, 'utf8')) as JsonRunReport;
  } catch {
    throw new Error(
      `schemathesis wrote no run report (exit ${exitCode}); see ${relative(WORKSPACE_ROOT, logFile)}`,
    );
  }
  return {
    caller: pass.caller,
    exitCode,
    operations: { selected: report.operations?.selected ?? 0, tested: report.operations?.tested ?? 0 },
    generated: report.test_cases.generated,
    failures: report.failures,
    errors: report.errors.map((e) => `${e.title} (${e.count})`),
    blockingWarnings: BLOCKING_WARNINGS.flatMap((w) =>
      (report.warnings[w] ?? []).map((operation) => `${w}: ${operation}`),
    ),
    seconds,
    logFile,
    reportDir,
  };
}

/** The part of schemathesis' JSON run report read here. */
interface JsonRunReport {
  operations: { selected: number; tested: number } | null;
  test_cases: { generated: number };
  failures: FuzzFailure[];
  errors: { title: string; count: number }[];
  warnings: Record<string, string[] | undefined>;
}

/** A pass' configuration: the checks' expectations, its fixed parameter values and the operations it leaves out. */
function schemathesisConfig({ parameters, leftOut }: FuzzPass): string {
  const fixed = Object.entries(parameters).map(([k, v]) => `${JSON.stringify(k)} = ${JSON.stringify(v)}`);
  return [
    SCHEMATHESIS_CONFIG,
    ...(fixed.length ? ['[parameters]', ...fixed, ''] : []),
    ...leftOut.flatMap((expression) => [
      '[[operations]]',
      `include-by = ${JSON.stringify(expression)}`,
      'enabled = false',
      '',
    ]),
  ].join('\n');
}

const SCHEMATHESIS_CONFIG = [
  '# Written by tools/fuzz for each pass; the token comes from the environment.',
  'headers = { Authorization = "${ATTEST_FUZZ_AUTHORIZATION}" }',
  '',
  '[checks.positive_data_acceptance]',
  `expected-statuses = ${JSON.stringify(POSITIVE_DATA_STATUSES)}`,
  '',
  '[checks.negative_data_rejection]',
  `expected-statuses = ${JSON.stringify(NEGATIVE_DATA_STATUSES)}`,
  '',
  '# Failures of earlier runs are not replayed first: the same seed gives the same run.',
  '[cache]',
  'enabled = false',
  '',
].join('\n');

/** Runs a command with its output in logFile; kills it after stop.afterMs or when `signal` aborts. */
function runLogged(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  logFile: string,
  stop: { afterMs: number; reason: string },
  signal?: AbortSignal,
): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const log = createWriteStream(logFile);
    // Hypothesis keeps its caches (.hypothesis/) in the working directory: under .local, not in the repository.
    const child = spawn(command, args, { cwd: FUZZ_REPORT_DIR, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
    const kill = (why: string) => {
      log.write(`\n[fuzz] stopped: ${why}\n`);
      child.kill('SIGKILL');
    };
    const timer = setTimeout(
      () => kill(`after ${stop.afterMs} ms, ${stop.reason}`),
      Math.max(stop.afterMs, 0),
    );
    const onAbort = () => kill('the run was aborted');
    signal?.addEventListener('abort', onAbort, { once: true });
    const settle = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    child.on('error', (err) => {
      settle();
      log.end();
      reject(err);
    });
    child.on('close', (code) => {
      settle();
      log.end(() => resolve(code));
    });
  });
}

/** Every check held on every operation of every pass, and each pass reached all of its operations. */
export function isClean(report: FuzzReport): boolean {
  return report.passes.length > 0 && report.passes.every(isCleanPass);
}

function isCleanPass(pass: PassReport): boolean {
  return (
    pass.exitCode === 0 &&
    pass.failures.length === 0 &&
    pass.errors.length === 0 &&
    pass.blockingWarnings.length === 0 &&
    pass.operations.selected > 0 &&
    pass.operations.tested === pass.operations.selected
  );
}

/** A failure message a developer can act on: what failed where, and the console output with curl reproductions. */
export function describeFailures(report: FuzzReport, maxLogChars = 20_000): string {
  return report.passes
    .filter((pass) => !isCleanPass(pass))
    .map((pass) => describePass(report.service, pass, maxLogChars))
    .join('\n');
}

function describePass(service: string, report: PassReport, maxLogChars: number): string {
  const as = report.caller === 'admin' ? FUZZ_USER : `the ${report.caller}`;
  const lines = [
    `${service} as ${as}: ${report.generated} generated requests on ${report.operations.tested}/${report.operations.selected} operations, exit code ${report.exitCode}, ${report.seconds} s`,
    ...report.failures.map((f) => `  ${f.code} ${f.title} (${f.count}): ${f.operations.join(', ')}`),
    ...report.errors.map((e) => `  error: ${e}`),
    ...report.blockingWarnings.map((w) => `  warning: ${w}`),
    `Full output: ${relative(WORKSPACE_ROOT, report.logFile)}; reports in ${relative(WORKSPACE_ROOT, report.reportDir)}`,
  ];
  const log = readFileSync(report.logFile, 'utf8');
  const start = log.indexOf('= FAILURES =');
  const failures = start >= 0 ? log.slice(log.lastIndexOf('\n', start) + 1) : log;
  lines.push(failures.length > maxLogChars ? `${failures.slice(0, maxLogChars)}\n[... cut]` : failures);
  return lines.join('\n');
}
