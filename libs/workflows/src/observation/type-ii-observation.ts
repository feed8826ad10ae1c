import {
  continueAsNew,
  proxyActivities,
  type RetryPolicy,
  setCurrentDetails,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import { type LifecycleActivities, VALIDATION_FAILURE } from '@attest/workflow-contracts';
import {
  occurrencesQuery,
  type TypeIIObservationInput,
  type TypeIIObservationResult,
} from '../lifecycle-contract';
import { addDays, checkDueAt } from './expected-occurrences';
import { noProgress, occurrenceTallies, recordDueDay, type ObservationProgress } from './occurrence-counts';
import { dueDays, type DueDay, type DueOccurrence } from './observation-schedule';

/**
 * A run continues as new once its history passes this many events, even before Temporal suggests it. A due day
 * costs about a dozen events and a day on which every control of a large scope is missed a few hundred more, so
 * the bound keeps every run of a 12-month × 150-control observation far below Temporal's 10,000-event warning, and
 * replaying a run on a worker restart stays cheap.
 */
const OBSERVATION_HISTORY_BOUND = 2_000;

// The activities refuse invalid input as a non-retryable `ValidationFailure`; anything else is retried, since a
// check must not be skipped and an append or a request is idempotent by its step.
const retry: RetryPolicy = {
  initialInterval: '1 second',
  backoffCoefficient: 2,
  maximumInterval: '1 minute',
  nonRetryableErrorTypes: [VALIDATION_FAILURE],
};
// Reads of two services for a whole day's batch: long enough for a large scope; the worker heartbeats as it goes,
// so a stuck call is noticed well before the timeout.
const { checkOccurrences } = proxyActivities<LifecycleActivities>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '30 seconds',
  retry,
});
const { recordLifecycleEvent, raiseMissedOccurrenceRequest } = proxyActivities<LifecycleActivities>({
  startToCloseTimeout: '30 seconds',
  retry,
});

/**
 * The Type II observation window of one audit: for each due day of the controls in scope it waits until the day and
 * its grace have passed, asks the evidence and monitoring services (one batch activity) which of that day's
 * occurrences happened, and for each one that did not records `OccurrenceMissed` and raises a request in the
 * engagement. Continues as new when Temporal suggests it or past OBSERVATION_HISTORY_BOUND, carrying its progress.
 */
export async function typeIIObservation(input: TypeIIObservationInput): Promise<TypeIIObservationResult> {
  const { controls, window, graceDays } = input;
  let progress = (input.carried as ObservationProgress | undefined) ?? noProgress;
  setHandler(occurrencesQuery, () => occurrenceTallies(controls, window, progress));

  for (const day of dueDays(controls, window, progress.checkedThrough)) {
    const { continueAsNewSuggested, historyLength } = workflowInfo();
    if (continueAsNewSuggested || historyLength > OBSERVATION_HISTORY_BOUND)
      await continueAsNew<typeof typeIIObservation>({ ...input, carried: progress });

    showProgress(progress, day);
    const wait = checkAt(input, day.dueOn) - Date.now();
    if (wait > 0) await sleep(wait, { summary: `occurrences due ${day.dueOn}, ${graceDays} days' grace` });

    const missing = await missingOccurrences(input, day);
    await Promise.all(missing.map((occurrence) => reportMissed(input, occurrence)));
    progress = recordDueDay(
      progress,
      day,
      missing.map((o) => o.controlId),
    );
  }
  setCurrentDetails(`Observation ${window.from} – ${window.to} complete.`);
  return { occurrences: occurrenceTallies(controls, window, progress) };
}

/**
 * When a due day is checked: once the day and its grace have passed, or, in a played window (the demo's), as many
 * played days after the observation started.
 */
function checkAt(input: TypeIIObservationInput, dueOn: string): number {
  const { dayMs, playedFrom, window, graceDays } = input;
  if (!dayMs || !playedFrom) return checkDueAt(dueOn, graceDays);
  const day = (Date.parse(dueOn) - Date.parse(window.from)) / 86_400_000;
  return Date.parse(playedFrom) + (day + 1 + graceDays) * dayMs;
}

/**
 * The occurrences due on the day that nothing shows: one activity for the whole day. Evidence dated up to the end of
 * the grace period counts, since the grace exists for an occurrence performed or filed a little late.
 */
async function missingOccurrences(input: TypeIIObservationInput, day: DueDay): Promise<DueOccurrence[]> {
  const checks = await checkOccurrences({
    workflowId: workflowInfo().workflowId,
    tenantId: input.tenantId,
    step: `check-${day.dueOn}`,
    dueOn: day.dueOn,
    occurrences: day.occurrences.map(({ controlId, frequency, from, dueOn }) => ({
      controlId,
      frequency,
      from,
      to: addDays(dueOn, input.graceDays),
    })),
  });
  const found = new Set(checks.filter((check) => check.found > 0).map((check) => check.controlId));
  return day.occurrences.filter((occurrence) => !found.has(occurrence.controlId));
}

async function reportMissed(input: TypeIIObservationInput, occurrence: DueOccurrence): Promise<void> {
  const { tenantId, auditId, engagementId, graceDays } = input;
  const { controlId, frequency, dueOn } = occurrence;
  const { workflowId } = workflowInfo();
  await Promise.all([
    recordLifecycleEvent({
      workflowId,
      tenantId,
      step: `occurrence-missed-${dueOn}-${controlId}`,
      event: {
        type: 'OccurrenceMissed',
        data: {
          auditId,
          tenantId,
          engagementId,
          controlId,
          frequency,
          dueOn,
          graceDays,
          detectedAt: new Date(Date.now()).toISOString(),
        },
      },
    }),
    raiseMissedOccurrenceRequest({
      workflowId,
      tenantId,
      step: `missed-occurrence-request-${dueOn}-${controlId}`,
      engagementId,
      controlId,
      frequency,
      dueOn,
    }),
  ]);
}

/** What Temporal UI shows as the run's current details, so an operator reads the progress without the query. */
function showProgress(progress: ObservationProgress, next: DueDay): void {
  const missed = Object.values(progress.tallies).reduce((sum, t) => sum + t.missedOn.length, 0);
  const checked = progress.checkedThrough
    ? `checked through ${progress.checkedThrough}`
    : 'nothing checked yet';
  setCurrentDetails(
    `Observation: ${checked}, ${missed} occurrences missed; next check: ${next.occurrences.length} occurrences due ${next.dueOn}.`,
  );
}
