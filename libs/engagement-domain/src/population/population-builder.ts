/**
 * A population is every time the control operated in the window, built from what the services recorded rather than
 * from a list someone typed: each day a test of the control ran, each version of evidence linked to it for a period
 * in the window and, for human-resources controls, each joiner with their policy acceptances.
 */
import { controlById, type ControlDomain } from '@attest/catalog';
import type { DateWindow, EvidenceRef, Occurrence } from '../engagement-events';
import { canonicalListing } from './population-listing';
import type {
  PopulationControl,
  PopulationEvidenceItem,
  PopulationInputs,
  PopulationJoiner,
  PopulationTestRun,
} from './population-inputs';

/** The control's occurrences in the window (both days included), as a canonical listing. */
export function buildPopulation(
  control: PopulationControl,
  inputs: PopulationInputs,
  window: DateWindow,
): Occurrence[] {
  if (window.from > window.to)
    throw new RangeError(`The window ${window.from}…${window.to} ends before it starts`);
  const within = (day: string) => day >= window.from && day <= window.to;
  const occurrences = [
    ...testRunDays(control, inputs.testRuns, within),
    ...inputs.evidenceItems
      .filter((item) => item.controlIds.includes(control.controlId) && overlaps(item.period, window))
      .map(evidenceOccurrence),
    ...(domainOf(control) === 'human-resources'
      ? inputs.joiners.filter((joiner) => within(joiner.startDate)).map(joinerOccurrence)
      : []),
  ];
  return canonicalListing(occurrences);
}

function domainOf(control: PopulationControl): ControlDomain | undefined {
  if (control.domain) return control.domain;
  return control.catalogControlId ? controlById(control.catalogControlId)?.domain : undefined;
}

interface TestDay {
  run: PopulationTestRun;
  day: string;
  at: number;
  runsThatDay: number;
}

/**
 * One occurrence per test and UTC day, evidenced by the day's last run: a test may run many times a day, but the
 * control operated that day once as far as sampling goes.
 */
function testRunDays(
  control: PopulationControl,
  runs: PopulationTestRun[],
  within: (day: string) => boolean,
): Occurrence[] {
  const tests = new Set(control.testIds);
  const lastByDay = new Map<string, TestDay>();
  for (const run of runs) {
    if (!tests.has(run.testId)) continue;
    const at = Date.parse(run.evaluatedAt);
    const day = new Date(at).toISOString().slice(0, 10);
    if (!within(day)) continue;
    const key = `test:${run.testId}:${day}`;
    const last = lastByDay.get(key);
    if (!last) {
      lastByDay.set(key, { run, day, at, runsThatDay: 1 });
      continue;
    }
    last.runsThatDay += 1;
    // Ties on the instant fall to the greater run id, so the input's order never changes the listing.
    if (at > last.at || (at === last.at && run.runId > last.run.runId)) Object.assign(last, { run, at });
  }
  return [...lastByDay.entries()].map(([occurrenceId, { run, day, runsThatDay }]) => {
    const { pass, fail, error } = run.counts;
    return {
      occurrenceId,
      kind: 'test-run-day',
      occurredAt: run.evaluatedAt,
      label: `Test ${run.testId} on ${day}: ${pass} pass, ${fail} fail, ${error} error (runs that day: ${runsThatDay})`,
      evidence: [{ kind: 'test-run', id: run.runId, label: `Run of ${run.testId}`, at: run.evaluatedAt }],
    };
  });
}

function evidenceOccurrence(item: PopulationEvidenceItem): Occurrence {
  const evidence: EvidenceRef[] = [
    {
      kind: 'evidence-item',
      id: item.itemId,
      version: item.version,
      label: item.title,
      at: item.submittedAt,
    },
  ];
  if (item.collectorRunId) {
    evidence.push({
      kind: 'collector-run',
      id: item.collectorRunId,
      label: `Collector run that collected ${item.title}`,
      at: item.submittedAt,
    });
  }
  return {
    occurrenceId: `evidence:${item.itemId}:v${item.version}`,
    kind: item.source === 'collector' ? 'collector-run' : 'evidence-item',
    occurredAt: item.submittedAt,
    label: `${item.title} v${item.version} (${item.evidenceType}, ${item.period.from} to ${item.period.to})`,
    evidence,
  };
}

function joinerOccurrence(joiner: PopulationJoiner): Occurrence {
  return {
    occurrenceId: `joiner:${joiner.personId}`,
    kind: 'joiner',
    occurredAt: `${joiner.startDate}T00:00:00.000Z`,
    label: `Joiner ${joiner.personId} started ${joiner.startDate} (policies accepted: ${joiner.acceptances.length})`,
    // The same reference the service links to a request for the control's acceptances, so a sampled joiner's
    // request is answered by what control mapping recorded.
    evidence: joiner.acceptances.map((acceptance) => ({
      kind: 'policy-acceptance',
      id: acceptance.acceptanceId,
      label: `Acceptance of policy ${acceptance.policyId} ${acceptance.version}`,
      at: acceptance.acceptedAt,
    })),
  };
}

function overlaps(period: { from: string; to: string }, window: DateWindow): boolean {
  return period.from <= window.to && period.to >= window.from;
}
