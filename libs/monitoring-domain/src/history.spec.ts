import { healthRollup, worstHealth } from './health-rollup';
import type { TestResultsRecordedData } from './monitoring-events';
import { controlPassRate, passRate, passRatesByTest, type RecordedRun } from './pass-rate';
import { resourceTimeline } from './resource-timeline';

const C1 = '5c3e1a9b-7d5f-4b3a-9e1c-8f6d4b2a0c9e';
const C2 = '6d4f2b0c-8e6a-4c4b-8f2d-9a7e5c3b1d0f';
const C3 = '7e5a3c1d-9f7b-4d5c-9a3e-0b8f6d4c2e1a';

describe('health rollup', () => {
  it('takes the worst health: failing, at-risk, unknown, healthy', () => {
    expect(worstHealth(['healthy', 'failing', 'at-risk'])).toBe('failing');
    expect(worstHealth(['healthy', 'unknown'])).toBe('unknown');
    expect(worstHealth(['unknown', 'at-risk'])).toBe('at-risk');
    expect(worstHealth([])).toBe('unknown');
  });

  it('rolls controls up per criterion and per category, counting a control once per category', () => {
    const rollup = healthRollup([
      { controlId: C1, health: 'healthy', criteria: ['CC7.2', 'CC6.1'] },
      { controlId: C2, health: 'failing', criteria: ['CC7.2'] },
      { controlId: C3, health: 'at-risk', criteria: ['A1.2', 'XX9.9'] },
    ]);
    expect(rollup.criteria).toEqual([
      {
        criterionId: 'A1.2',
        category: 'availability',
        health: 'at-risk',
        controls: { healthy: 0, 'at-risk': 1, failing: 0, unknown: 0 },
      },
      {
        criterionId: 'CC6.1',
        category: 'security',
        health: 'healthy',
        controls: { healthy: 1, 'at-risk': 0, failing: 0, unknown: 0 },
      },
      {
        criterionId: 'CC7.2',
        category: 'security',
        health: 'failing',
        controls: { healthy: 1, 'at-risk': 0, failing: 1, unknown: 0 },
      },
    ]);
    expect(rollup.categories).toEqual([
      {
        category: 'availability',
        health: 'at-risk',
        controls: { healthy: 0, 'at-risk': 1, failing: 0, unknown: 0 },
      },
      {
        category: 'security',
        health: 'failing',
        controls: { healthy: 1, 'at-risk': 0, failing: 1, unknown: 0 },
      },
    ]);
  });
});

describe('pass rate', () => {
  const run = (testId: string, runId: string, pass: number, fail: number, error = 0): RecordedRun => ({
    testId,
    runId,
    counts: { pass, fail, error, notApplicable: 0, excepted: 0 },
  });

  it('is pass / (pass + fail) over the runs, a chunked run counted once, errors left out', () => {
    const runs = [
      run('a', 'r1', 3, 1, 5),
      run('a', 'r1', 3, 1, 5),
      run('a', 'r2', 4, 0),
      run('b', 'r1', 0, 2),
    ];
    expect(passRate(runs)).toEqual({ runs: 3, pass: 7, fail: 3, rate: 0.7 });
    expect(passRatesByTest(runs).get('a')).toEqual({ runs: 2, pass: 7, fail: 1, rate: 7 / 8 });
    expect(controlPassRate(runs, ['b'])).toEqual({ runs: 1, pass: 0, fail: 2, rate: 0 });
    expect(controlPassRate(runs, ['c'])).toEqual({ runs: 0, pass: 0, fail: 0, rate: null });
  });
});

describe('resource timeline', () => {
  const recorded = (
    testId: string,
    at: string,
    outcomes: [string, string, string | null][],
  ): TestResultsRecordedData => ({
    resultsStreamId: 'c2a4d6e8-3b5f-5071-9c2d-4e6f8a0b1c3d',
    testId,
    testVersion: 1,
    runId: `run-${at}`,
    collectorId: 'postgresql-security',
    evaluatedAt: at,
    counts: { pass: 0, fail: 0, error: 0, notApplicable: 0, excepted: 0 },
    chunk: { index: 0, count: 1 },
    results: outcomes.map(([resourceId, outcome, previousOutcome]) => ({
      resourceType: 'postgresql.server',
      resourceId,
      outcome: outcome as 'pass',
      previousOutcome: previousOutcome as 'pass' | null,
      details: {},
      excepted: false,
    })),
    actor: { type: 'system', id: 'system:monitoring' },
  });

  it("lists a resource's result changes across tests, oldest first", () => {
    const timeline = resourceTimeline('db1', [
      recorded('tls', '2026-07-02T00:00:00.000Z', [['db1', 'fail', 'pass']]),
      recorded('tls', '2026-07-01T00:00:00.000Z', [
        ['db1', 'pass', null],
        ['db2', 'pass', null],
      ]),
      recorded('audit', '2026-07-01T00:00:00.000Z', [['db1', 'error', null]]),
    ]);
    expect(timeline.map((e) => [e.at.slice(0, 10), e.testId, e.previousOutcome, e.outcome])).toEqual([
      ['2026-07-01', 'audit', null, 'error'],
      ['2026-07-01', 'tls', null, 'pass'],
      ['2026-07-02', 'tls', 'pass', 'fail'],
    ]);
  });
});
