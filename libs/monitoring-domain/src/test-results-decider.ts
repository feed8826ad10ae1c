import { createHash } from 'node:crypto';
import type { Decider } from '@attest/decider';
import { canonicalJson, testNotFound } from './monitoring-test-decider';
import {
  TEST_RESULTS_STREAM_TYPE,
  type Actor,
  type Outcome,
  type ResultCounts,
  type ResultEntry,
  type Severity,
  type TestFailing,
  type TestRecovered,
  type TestResultsEvent,
  type TestResultsRecorded,
} from './monitoring-events';

/** The latest result of one resource for a test: enough to tell what a new evaluation changes. */
export interface ResourceResult {
  resourceType: string;
  outcome: Outcome;
  /** When the current outcome began. */
  since: string;
  /** The details last recorded, or their SHA-256 when long, to tell a change of details. */
  detailsKey: string;
  excepted: boolean;
  /**
   * When the resource's current failure began, or null when it is not failing. An error does not end a failure
   * (the test could not tell), so a resource failing, erring and failing again stays one failure with one alert.
   */
  failingSince: string | null;
}

/**
 * What the stream itself keeps: the latest runs recorded, so a redelivered run records nothing twice. The latest
 * result of each resource is not in it: a tenant's test may hold tens of thousands of resources, and loading them
 * all for a run of a few hundred made every run as slow as the tenant is large. The app keeps them per resource
 * (`resourceResults` folds a run's events into them, in the same transaction) and passes a run's own resources in
 * `RecordResults.previous`.
 */
export interface TestResultsState {
  recentRunIds: string[];
}

export interface ResourceEvaluation {
  resourceType: string;
  resourceId: string;
  outcome: Outcome;
  details: Record<string, unknown>;
}

export interface RecordResults {
  type: 'RecordResults';
  /** `testResultsStreamId(tenantId, testId)`. */
  resultsStreamId: string;
  testId: string;
  testVersion: number;
  severity: Severity;
  /** The tenant's controls the test proves, resolved by the app. */
  controlIds: string[];
  runId: string;
  collectorId: string;
  evaluatedAt: string;
  /** One per fact of the test's types in the run (a resource evaluated twice: the last counts). */
  evaluations: ResourceEvaluation[];
  /** Resources an accepted exception of this test covers now. */
  exceptedResourceIds: string[];
  /** The latest result of each resource of the run that the test has evaluated before, by resourceId. */
  previous: Record<string, ResourceResult>;
  actor: Actor;
}

/** How many results one TestResultsRecorded carries at most, so an event stays small on the topic. */
export const RESULTS_PER_CHUNK = 500;
const RECENT_RUNS_KEPT = 50;

/** Short details (most passes have none) kept as they are, longer ones by their SHA-256: JSON never reads as base64url. */
function detailsKeyOf(details: Record<string, unknown>): string {
  const json = canonicalJson(details);
  return json.length <= 43 ? json : createHash('sha256').update(json).digest('base64url');
}

/**
 * When a failure began after a result: it begins with a fail, survives an error (the test could not tell) and ends
 * with a pass or the test no longer applying. The same rule `decide` turns into TestFailing and TestRecovered.
 */
function failingSinceAfter(
  outcome: Outcome,
  before: ResourceResult | undefined,
  evaluatedAt: string,
): string | null {
  if (outcome === 'fail') return before?.failingSince ?? evaluatedAt;
  if (outcome === 'error') return before?.failingSince ?? null;
  return null;
}

function countsOf(results: Iterable<{ outcome: Outcome; excepted: boolean }>): ResultCounts {
  const counts: ResultCounts = { pass: 0, fail: 0, error: 0, notApplicable: 0, excepted: 0 };
  for (const { outcome, excepted } of results) {
    if (outcome === 'not-applicable') counts.notApplicable++;
    else counts[outcome]++;
    if (outcome === 'fail' && excepted) counts.excepted++;
  }
  return counts;
}

function decide(command: RecordResults, state: TestResultsState): TestResultsEvent[] {
  if (state.recentRunIds.includes(command.runId)) return [];
  const { resultsStreamId, testId, testVersion, runId, evaluatedAt, actor } = command;
  const excepted = new Set(command.exceptedResourceIds);
  const latest = new Map(command.evaluations.map((e) => [e.resourceId, e]));

  const evaluated: { outcome: Outcome; excepted: boolean }[] = [];
  const changed: ResultEntry[] = [];
  const turned: (TestFailing | TestRecovered)[] = [];
  for (const evaluation of latest.values()) {
    const { resourceType, resourceId, outcome, details } = evaluation;
    const isExcepted = outcome === 'fail' && excepted.has(resourceId);
    evaluated.push({ outcome, excepted: isExcepted });
    const before = command.previous[resourceId];
    if (
      before &&
      before.outcome === outcome &&
      before.detailsKey === detailsKeyOf(details) &&
      before.excepted === isExcepted
    )
      continue;
    changed.push({
      resourceType,
      resourceId,
      outcome,
      previousOutcome: before?.outcome ?? null,
      details,
      excepted: isExcepted,
    });
    const failingSince = before?.failingSince ?? null;
    if (outcome === 'fail' && !failingSince)
      turned.push({
        type: 'TestFailing',
        data: {
          resultsStreamId,
          testId,
          testVersion,
          resourceType,
          resourceId,
          severity: command.severity,
          controlIds: [...new Set(command.controlIds)],
          runId,
          details,
          failingSince: evaluatedAt,
          excepted: isExcepted,
          actor,
        },
      });
    else if ((outcome === 'pass' || outcome === 'not-applicable') && failingSince)
      turned.push({
        type: 'TestRecovered',
        data: {
          resultsStreamId,
          testId,
          resourceType,
          resourceId,
          runId,
          failingSince,
          recoveredAt: evaluatedAt,
          actor,
        },
      });
  }

  const counts = countsOf(evaluated);
  const chunkCount = Math.max(1, Math.ceil(changed.length / RESULTS_PER_CHUNK));
  const recorded: TestResultsRecorded[] = Array.from({ length: chunkCount }, (_, index) => ({
    type: 'TestResultsRecorded',
    data: {
      resultsStreamId,
      testId,
      testVersion,
      runId,
      collectorId: command.collectorId,
      evaluatedAt,
      counts,
      chunk: { index, count: chunkCount },
      results: changed.slice(index * RESULTS_PER_CHUNK, (index + 1) * RESULTS_PER_CHUNK),
      actor,
    },
  }));
  return [...recorded, ...turned];
}

function evolve(state: TestResultsState, event: TestResultsEvent): TestResultsState {
  if (event.type !== 'TestResultsRecorded' || state.recentRunIds.includes(event.data.runId)) return state;
  return { recentRunIds: [...state.recentRunIds, event.data.runId].slice(-RECENT_RUNS_KEPT) };
}

/**
 * The resources a run's events changed, with their new latest result (and the details recorded), from their
 * results before the run. TestFailing and TestRecovered change nothing here: when a failure began follows from
 * the results (`failingSinceAfter`), by the same rule `decide` uses.
 */
export function resourceResults(
  previous: Readonly<Record<string, ResourceResult>>,
  events: readonly TestResultsEvent[],
): Map<string, { result: ResourceResult; details: Record<string, unknown> }> {
  const changed = new Map<string, { result: ResourceResult; details: Record<string, unknown> }>();
  for (const event of events) {
    if (event.type !== 'TestResultsRecorded') continue;
    const { evaluatedAt } = event.data;
    for (const r of event.data.results) {
      const before = changed.get(r.resourceId)?.result ?? previous[r.resourceId];
      changed.set(r.resourceId, {
        result: {
          resourceType: r.resourceType,
          outcome: r.outcome,
          since: before?.outcome === r.outcome ? before.since : evaluatedAt,
          detailsKey: detailsKeyOf(r.details),
          excepted: r.excepted,
          failingSince: failingSinceAfter(r.outcome, before, evaluatedAt),
        },
        details: r.details,
      });
    }
  }
  return changed;
}

/**
 * The results of one test for a tenant (stream `monitoring-results`, id `testResultsStreamId(tenantId, testId)`).
 * A run records the counts over every resource and only the results that changed (a run with no change still
 * records one event, so the history has every run); a resource entering a failure turns `TestFailing`, one
 * leaving it (passing, or the test no longer applying) `TestRecovered`. Resources a run did not see keep their
 * last result: several runs (one per system) may feed the same test.
 */
export const testResultsDecider: Decider<RecordResults, TestResultsEvent, TestResultsState> = {
  initialState: () => ({ recentRunIds: [] }),
  evolve,
  decide,
};

/** The results aggregate, shaped as `@attest/command-pipeline`'s AggregateDeclaration; its state is small. */
export const testResultsAggregate = {
  streamType: TEST_RESULTS_STREAM_TYPE,
  decider: testResultsDecider,
  streamIdOf: (command: RecordResults) => command.resultsStreamId,
  // Only a stream of another tenant or kind under the same id gets here: derived ids make that a missing test.
  notFound: () => testNotFound(),
  snapshots: { every: 1, schemaVersion: 3 },
};
