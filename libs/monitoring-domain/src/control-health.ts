import type { Health, HealthReasons } from './monitoring-events';

/** Where one test proving a control stands, over the resources it evaluated. */
export interface TestStanding {
  testId: string;
  passing: number;
  /** Failing resources no exception covers: those count against the control. */
  failing: number;
  erroring: number;
}

export type EvidenceFreshness = 'fresh' | 'expiring' | 'expired';

/** Everything a control's health is judged from. */
export interface ControlHealthInputs {
  tests: TestStanding[];
  evidence: { itemId: string; freshness: EvidenceFreshness }[];
  /** Accepted exceptions in force on resources of the control's tests. */
  openExceptions: number;
}

/** What a test's latest results say, over every resource it evaluated: how many pass or err, and which fail. */
export interface TestResultsSummary {
  passing: number;
  erroring: number;
  failingResourceIds: readonly string[];
}

/** Where a test stands: a failure an exception covers now does not count against the control. */
export function testStanding(
  testId: string,
  summary: TestResultsSummary,
  excepted: ReadonlySet<string>,
): TestStanding {
  return {
    testId,
    passing: summary.passing,
    failing: summary.failingResourceIds.filter((id) => !excepted.has(id)).length,
    erroring: summary.erroring,
  };
}

const sorted = (values: Iterable<string>) => [...new Set(values)].sort();

/**
 * A control's health and why. `failing`: a test it proves fails on a resource no exception covers, or evidence
 * for it expired: the control is not operating as described. `at-risk`: a test cannot be evaluated, evidence
 * expires soon, or exceptions are open: it may be, but someone has to look. `healthy`: a test passes or evidence
 * is fresh, and none of the above. `unknown`: nothing tells (no test has evaluated a resource, no evidence).
 */
export function controlHealth(inputs: ControlHealthInputs): { health: Health; reasons: HealthReasons } {
  const reasons: HealthReasons = {
    failingTests: inputs.tests
      .filter((t) => t.failing > 0)
      .map((t) => ({ testId: t.testId, failing: t.failing }))
      .sort((a, b) => a.testId.localeCompare(b.testId)),
    erroringTests: sorted(inputs.tests.filter((t) => t.erroring > 0).map((t) => t.testId)),
    expiredEvidence: sorted(inputs.evidence.filter((e) => e.freshness === 'expired').map((e) => e.itemId)),
    expiringEvidence: sorted(inputs.evidence.filter((e) => e.freshness === 'expiring').map((e) => e.itemId)),
    openExceptions: inputs.openExceptions,
    testsPassing: inputs.tests.filter((t) => t.passing > 0 && t.failing === 0).length,
  };
  const freshEvidence = inputs.evidence.some((e) => e.freshness === 'fresh');
  const health: Health =
    reasons.failingTests.length || reasons.expiredEvidence.length
      ? 'failing'
      : reasons.erroringTests.length || reasons.expiringEvidence.length || reasons.openExceptions > 0
        ? 'at-risk'
        : reasons.testsPassing > 0 || freshEvidence
          ? 'healthy'
          : 'unknown';
  return { health, reasons };
}
