import { controlHealth, testStanding, type ControlHealthInputs, type TestStanding } from './control-health';
import { controlHealthDecider, type AssessControlHealth } from './control-health-decider';
import { checkedSpec, CONTROL_A, monitoringSystem, T0, T1 } from './decider-test-support';
import type { ControlHealthChanged } from './monitoring-events';

const test = (testId: string, passing: number, failing = 0, erroring = 0): TestStanding => ({
  testId,
  passing,
  failing,
  erroring,
});
const inputs = (partial: Partial<ControlHealthInputs>): ControlHealthInputs => ({
  tests: [],
  evidence: [],
  openExceptions: 0,
  ...partial,
});
const ITEM_1 = '3b8f2c1d-5e6a-4f7b-9c8d-0e1f2a3b4c5d';
const ITEM_2 = '4c9a3d2e-6f7b-4a8c-8d9e-1f2a3b4c5d6e';

describe('control health', () => {
  it('is failing when a test fails on a resource no exception covers, or evidence expired', () => {
    expect(controlHealth(inputs({ tests: [test('b-test', 3, 1), test('a-test', 0, 2)] }))).toEqual({
      health: 'failing',
      reasons: {
        failingTests: [
          { testId: 'a-test', failing: 2 },
          { testId: 'b-test', failing: 1 },
        ],
        erroringTests: [],
        expiredEvidence: [],
        expiringEvidence: [],
        openExceptions: 0,
        testsPassing: 0,
      },
    });
    expect(
      controlHealth(
        inputs({ tests: [test('a-test', 3)], evidence: [{ itemId: ITEM_1, freshness: 'expired' }] }),
      ),
    ).toMatchObject({ health: 'failing', reasons: { expiredEvidence: [ITEM_1], testsPassing: 1 } });
  });

  it('is at risk when a test errs, evidence expires soon or exceptions are open', () => {
    expect(controlHealth(inputs({ tests: [test('a-test', 3, 0, 1)] })).health).toBe('at-risk');
    expect(controlHealth(inputs({ evidence: [{ itemId: ITEM_2, freshness: 'expiring' }] }))).toMatchObject({
      health: 'at-risk',
      reasons: { expiringEvidence: [ITEM_2] },
    });
    expect(controlHealth(inputs({ tests: [test('a-test', 3)], openExceptions: 1 })).health).toBe('at-risk');
  });

  it('is healthy with a passing test or fresh evidence and nothing wrong; unknown with nothing to tell', () => {
    expect(controlHealth(inputs({ tests: [test('a-test', 3)] })).health).toBe('healthy');
    expect(controlHealth(inputs({ evidence: [{ itemId: ITEM_1, freshness: 'fresh' }] })).health).toBe(
      'healthy',
    );
    expect(controlHealth(inputs({})).health).toBe('unknown');
    expect(controlHealth(inputs({ tests: [test('a-test', 0)] })).health).toBe('unknown');
  });

  it("counts a test's standing from its results: failures an exception covers now do not count", () => {
    const summary = { passing: 1, erroring: 1, failingResourceIds: ['role-1', 'role-2'] };
    expect(testStanding('a-test', summary, new Set(['role-2', 'role-9']))).toEqual({
      testId: 'a-test',
      passing: 1,
      failing: 1,
      erroring: 1,
    });
    expect(testStanding('a-test', summary, new Set()).failing).toBe(2);
  });
});

describe('control health stream', () => {
  const spec = checkedSpec(controlHealthDecider, CONTROL_A);
  const assess = (i: ControlHealthInputs, at = T0, criteria = ['CC7.2', 'CC7.1']): AssessControlHealth => ({
    type: 'AssessControlHealth',
    controlId: CONTROL_A,
    criteria,
    inputs: i,
    at,
    actor: monitoringSystem,
  });
  const healthy: ControlHealthChanged = {
    type: 'ControlHealthChanged',
    data: {
      controlId: CONTROL_A,
      previous: null,
      health: 'healthy',
      criteria: ['CC7.1', 'CC7.2'],
      reasons: {
        failingTests: [],
        erroringTests: [],
        expiredEvidence: [],
        expiringEvidence: [],
        openExceptions: 0,
        testsPassing: 1,
      },
      changedAt: T0,
      actor: monitoringSystem,
    },
  };

  it('records the first assessment, then only changes of health, reasons or criteria', () => {
    spec
      .given([])
      .when(assess(inputs({ tests: [test('a-test', 2)] })))
      .then([healthy]);
    spec
      .given([healthy])
      .when(assess(inputs({ tests: [test('a-test', 5)] }), T1))
      .then([]);
    spec
      .given([healthy])
      .when(assess(inputs({ tests: [test('a-test', 2, 1)] }), T1))
      .then([
        {
          type: 'ControlHealthChanged',
          data: {
            ...healthy.data,
            previous: 'healthy',
            health: 'failing',
            reasons: {
              ...healthy.data.reasons,
              failingTests: [{ testId: 'a-test', failing: 1 }],
              testsPassing: 0,
            },
            changedAt: T1,
          },
        },
      ]);
    const moreTests = spec
      .given([healthy])
      .when(assess(inputs({ tests: [test('a-test', 2), test('b-test', 1)] }), T1));
    expect(
      moreTests.then([
        {
          type: 'ControlHealthChanged',
          data: {
            ...healthy.data,
            previous: 'healthy',
            reasons: { ...healthy.data.reasons, testsPassing: 2 },
            changedAt: T1,
          },
        },
      ]),
    ).toHaveLength(1);
    spec
      .given([healthy])
      .when(assess(inputs({ tests: [test('a-test', 2)] }), T1, ['CC7.1']))
      .then([
        {
          type: 'ControlHealthChanged',
          data: { ...healthy.data, previous: 'healthy', criteria: ['CC7.1'], changedAt: T1 },
        },
      ]);
  });
});
