import type { ResultCounts } from './monitoring-events';

/** One run of one test, as `TestResultsRecorded` tells it (every chunk of a run carries the same counts). */
export interface RecordedRun {
  testId: string;
  runId: string;
  counts: ResultCounts;
}

export interface PassRate {
  /** Distinct runs counted. */
  runs: number;
  pass: number;
  fail: number;
  /** pass / (pass + fail), from 0 to 1; null when nothing passed or failed (errors and n/a do not count). */
  rate: number | null;
}

/**
 * The pass rate over some runs: of the resource evaluations that passed or failed, the share that passed.
 * Errors and not-applicable say nothing about the control, so they are left out; an excepted failure is still a
 * failure of the test. A run recorded in chunks counts once.
 */
export function passRate(runs: Iterable<RecordedRun>): PassRate {
  const seen = new Set<string>();
  let pass = 0;
  let fail = 0;
  for (const run of runs) {
    const key = `${run.testId}\u0000${run.runId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    pass += run.counts.pass;
    fail += run.counts.fail;
  }
  return { runs: seen.size, pass, fail, rate: pass + fail ? pass / (pass + fail) : null };
}

/** The pass rate of each test over the runs of a period. */
export function passRatesByTest(runs: readonly RecordedRun[]): Map<string, PassRate> {
  const byTest = new Map<string, RecordedRun[]>();
  for (const run of runs) byTest.set(run.testId, [...(byTest.get(run.testId) ?? []), run]);
  return new Map([...byTest].map(([testId, ofTest]) => [testId, passRate(ofTest)]));
}

/** A control's pass rate over a period: over the runs of every test that proves it. */
export function controlPassRate(runs: readonly RecordedRun[], testIds: Iterable<string>): PassRate {
  const tests = new Set(testIds);
  return passRate(runs.filter((r) => tests.has(r.testId)));
}
