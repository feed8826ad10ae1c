import { foldEvents } from '@attest/decider';
import {
  checkedSpec,
  CONTROL_A,
  monitoringSystem,
  RUN_1,
  RUN_2,
  T0,
  T1,
  TENANT,
} from './decider-test-support';
import type { Outcome, TestResultsEvent } from './monitoring-events';
import { testResultsStreamId } from './monitoring-ids';
import {
  RESULTS_PER_CHUNK,
  resourceResults,
  testResultsDecider,
  type RecordResults,
  type ResourceEvaluation,
  type ResourceResult,
} from './test-results-decider';

const TEST_ID = 'postgresql-log-connections-enabled';
const STREAM = testResultsStreamId(TENANT, TEST_ID);
const spec = checkedSpec(testResultsDecider, STREAM);
const DB1 = 'db1.internal:5432';
const DB2 = 'db2.internal:5432';

const ev = (
  resourceId: string,
  outcome: Outcome,
  details: Record<string, unknown> = {},
): ResourceEvaluation => ({
  resourceType: 'postgresql.server',
  resourceId,
  outcome,
  details,
});
const record = (
  runId: string,
  at: string,
  evaluations: ResourceEvaluation[],
  exceptedResourceIds: string[] = [],
): RecordResults => ({
  type: 'RecordResults',
  resultsStreamId: STREAM,
  testId: TEST_ID,
  testVersion: 1,
  severity: 'medium',
  controlIds: [CONTROL_A],
  runId,
  collectorId: 'postgresql-security',
  evaluatedAt: at,
  evaluations,
  exceptedResourceIds,
  previous: {},
  actor: monitoringSystem,
});
/** The latest result of every resource after `history`, as the app keeps them. */
const latestAfter = (history: TestResultsEvent[]): Record<string, ResourceResult> =>
  Object.fromEntries([...resourceResults({}, history)].map(([id, { result }]) => [id, result]));
/** The command as the app sends it after `history`: with the previous results of the run's resources. */
const after = (history: TestResultsEvent[], command: RecordResults): RecordResults => ({
  ...command,
  previous: latestAfter(history),
});
const decided = (history: TestResultsEvent[], command: RecordResults) =>
  testResultsDecider.decide(after(history, command), foldEvents(testResultsDecider, history));

describe('test results', () => {
  const first = record(RUN_1, T0, [ev(DB1, 'pass'), ev(DB2, 'fail', { logConnections: false })]);
  const firstEvents = decided([], first);

  it('records every resource of a first run, and a failure for the failing one', () => {
    spec
      .given([])
      .when(first)
      .then([
        {
          type: 'TestResultsRecorded',
          data: {
            resultsStreamId: STREAM,
            testId: TEST_ID,
            testVersion: 1,
            runId: RUN_1,
            collectorId: 'postgresql-security',
            evaluatedAt: T0,
            counts: { pass: 1, fail: 1, error: 0, notApplicable: 0, excepted: 0 },
            chunk: { index: 0, count: 1 },
            results: [
              {
                resourceType: 'postgresql.server',
                resourceId: DB1,
                outcome: 'pass',
                previousOutcome: null,
                details: {},
                excepted: false,
              },
              {
                resourceType: 'postgresql.server',
                resourceId: DB2,
                outcome: 'fail',
                previousOutcome: null,
                details: { logConnections: false },
                excepted: false,
              },
            ],
            actor: monitoringSystem,
          },
        },
        {
          type: 'TestFailing',
          data: {
            resultsStreamId: STREAM,
            testId: TEST_ID,
            testVersion: 1,
            resourceType: 'postgresql.server',
            resourceId: DB2,
            severity: 'medium',
            controlIds: [CONTROL_A],
            runId: RUN_1,
            details: { logConnections: false },
            failingSince: T0,
            excepted: false,
            actor: monitoringSystem,
          },
        },
      ]);
  });

  it('records a run with no change as one event with the counts and no results', () => {
    const same = record(RUN_2, T1, [ev(DB2, 'fail', { logConnections: false }), ev(DB1, 'pass')]);
    const [only, ...rest] = spec
      .given(firstEvents)
      .when(after(firstEvents, same))
      .then([
        {
          type: 'TestResultsRecorded',
          data: {
            resultsStreamId: STREAM,
            testId: TEST_ID,
            testVersion: 1,
            runId: RUN_2,
            collectorId: 'postgresql-security',
            evaluatedAt: T1,
            counts: { pass: 1, fail: 1, error: 0, notApplicable: 0, excepted: 0 },
            chunk: { index: 0, count: 1 },
            results: [],
            actor: monitoringSystem,
          },
        },
      ]);
    expect(only.type).toBe('TestResultsRecorded');
    expect(rest).toEqual([]);
  });

  it('records nothing for a run it already recorded (a redelivery)', () => {
    spec.given(firstEvents).when(first).then([]);
  });

  it('recovers a failing resource that passes, with when its failure began', () => {
    const events = decided(firstEvents, record(RUN_2, T1, [ev(DB2, 'pass')]));
    expect(events.map((e) => e.type)).toEqual(['TestResultsRecorded', 'TestRecovered']);
    expect(events[0].data).toMatchObject({
      results: [expect.objectContaining({ resourceId: DB2, outcome: 'pass', previousOutcome: 'fail' })],
    });
    expect(events[1].data).toEqual({
      resultsStreamId: STREAM,
      testId: TEST_ID,
      resourceType: 'postgresql.server',
      resourceId: DB2,
      runId: RUN_2,
      failingSince: T0,
      recoveredAt: T1,
      actor: monitoringSystem,
    });
  });

  it('keeps one failure through an error: no second TestFailing, and recovery names the first failure', () => {
    const erred = [
      ...firstEvents,
      ...decided(firstEvents, record(RUN_2, T1, [ev(DB2, 'error', { message: 'no such key' })])),
    ];
    const third = '2026-07-01T08:00:00.000Z';
    const failsAgain = decided(
      erred,
      record('2f3e4d5c-6b7a-4989-8a7b-6c5d4e3f2a1b', third, [ev(DB2, 'fail')]),
    );
    expect(failsAgain.map((e) => e.type)).toEqual(['TestResultsRecorded']);
    const recovers = decided(erred, record('2f3e4d5c-6b7a-4989-8a7b-6c5d4e3f2a1b', third, [ev(DB2, 'pass')]));
    expect(recovers[1]).toMatchObject({ type: 'TestRecovered', data: { failingSince: T0 } });
  });

  it('ends a failure when the test no longer applies, and starts a new one when it fails again', () => {
    const na = [...firstEvents, ...decided(firstEvents, record(RUN_2, T1, [ev(DB2, 'not-applicable')]))];
    expect(na.at(-1)).toMatchObject({ type: 'TestRecovered', data: { resourceId: DB2 } });
    const third = '2026-07-01T08:00:00.000Z';
    const again = decided(na, record('2f3e4d5c-6b7a-4989-8a7b-6c5d4e3f2a1b', third, [ev(DB2, 'fail')]));
    expect(again.at(-1)).toMatchObject({ type: 'TestFailing', data: { failingSince: third } });
  });

  it('records a change of details, or of the exception covering a failure, without a new failure', () => {
    const details = decided(firstEvents, record(RUN_2, T1, [ev(DB2, 'fail', { logConnections: 'off' })]));
    expect(details.map((e) => e.type)).toEqual(['TestResultsRecorded']);
    expect(details[0].data).toMatchObject({
      results: [{ resourceId: DB2, previousOutcome: 'fail', details: { logConnections: 'off' } }],
    });
    const excepted = decided(
      firstEvents,
      record(RUN_2, T1, [ev(DB2, 'fail', { logConnections: false })], [DB2]),
    );
    expect(excepted.map((e) => e.type)).toEqual(['TestResultsRecorded']);
    expect(excepted[0].data).toMatchObject({
      counts: { fail: 1, excepted: 1 },
      results: [{ resourceId: DB2, excepted: true }],
    });
  });

  it('marks a new failure an exception covers as excepted', () => {
    const events = decided([], record(RUN_1, T0, [ev(DB2, 'fail')], [DB2, DB1]));
    expect(events[0].data).toMatchObject({ counts: { pass: 0, fail: 1, excepted: 1 } });
    expect(events[1]).toMatchObject({ type: 'TestFailing', data: { excepted: true } });
  });

  it('leaves resources a run did not see as they were (another run may cover them)', () => {
    const other = decided(firstEvents, record(RUN_2, T1, [ev(DB1, 'pass')]));
    expect(other.map((e) => e.type)).toEqual(['TestResultsRecorded']);
    expect(latestAfter([...firstEvents, ...other])[DB2]).toMatchObject({ outcome: 'fail', failingSince: T0 });
  });

  it('counts every kind of outcome, a resource evaluated twice once (the last)', () => {
    const events = decided(
      [],
      record(RUN_1, T0, [ev(DB1, 'fail'), ev(DB1, 'pass'), ev(DB2, 'error'), ev('db3', 'not-applicable')]),
    );
    expect(events[0].data).toMatchObject({
      counts: { pass: 1, fail: 0, error: 1, notApplicable: 1, excepted: 0 },
    });
    expect(events.map((e) => e.type)).toEqual(['TestResultsRecorded']);
  });

  it(`splits a run's changes into chunks of ${RESULTS_PER_CHUNK}, each with the run's counts`, () => {
    const many = Array.from({ length: RESULTS_PER_CHUNK * 2 + 1 }, (_, i) => ev(`role-${i}`, 'pass'));
    const events = decided([], record(RUN_1, T0, many));
    expect(
      events.map((e) => (e.type === 'TestResultsRecorded' ? [e.data.chunk, e.data.results.length] : null)),
    ).toEqual([
      [{ index: 0, count: 3 }, RESULTS_PER_CHUNK],
      [{ index: 1, count: 3 }, RESULTS_PER_CHUNK],
      [{ index: 2, count: 3 }, 1],
    ]);
    for (const e of events) expect(e.data).toMatchObject({ counts: { pass: RESULTS_PER_CHUNK * 2 + 1 } });
  });

  it('keeps a small state that survives a JSON round trip (it is saved as a snapshot)', () => {
    const state = foldEvents(testResultsDecider, firstEvents);
    expect(JSON.parse(JSON.stringify(state))).toEqual(state);
    expect(state).toEqual({ recentRunIds: [RUN_1] });
  });

  it('folds a run into the latest results: when the outcome and the failure began, the details recorded', () => {
    const latest = resourceResults({}, firstEvents);
    expect(latest.get(DB2)).toEqual({
      result: {
        resourceType: 'postgresql.server',
        outcome: 'fail',
        since: T0,
        detailsKey: '{"logConnections":false}',
        excepted: false,
        failingSince: T0,
      },
      details: { logConnections: false },
    });
    const long = { message: 'x'.repeat(100) };
    const erred = resourceResults(
      latestAfter(firstEvents),
      decided(firstEvents, record(RUN_2, T1, [ev(DB2, 'error', long)])),
    );
    expect(erred.get(DB2)?.result).toMatchObject({ outcome: 'error', since: T1, failingSince: T0 });
    expect(erred.get(DB2)?.result.detailsKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(erred.get(DB2)?.details).toEqual(long);
    expect(erred.has(DB1)).toBe(false);
  });
});
