import type { Outcome, TestResultsRecordedData } from './monitoring-events';

/** One change of a resource's result under one test. */
export interface TimelineEntry {
  testId: string;
  testVersion: number;
  runId: string;
  at: string;
  outcome: Outcome;
  previousOutcome: Outcome | null;
  details: Record<string, unknown>;
  excepted: boolean;
}

/**
 * A resource's history across tests: every recorded change of its result, oldest first (ties by test id). Runs
 * record only changes, so this is when the resource started passing, failing, erring or not applying.
 */
export function resourceTimeline(
  resourceId: string,
  recorded: Iterable<TestResultsRecordedData>,
): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  for (const run of recorded)
    for (const r of run.results)
      if (r.resourceId === resourceId)
        entries.push({
          testId: run.testId,
          testVersion: run.testVersion,
          runId: run.runId,
          at: run.evaluatedAt,
          outcome: r.outcome,
          previousOutcome: r.previousOutcome,
          details: r.details,
          excepted: r.excepted,
        });
  return entries.sort((a, b) => a.at.localeCompare(b.at) || a.testId.localeCompare(b.testId));
}
