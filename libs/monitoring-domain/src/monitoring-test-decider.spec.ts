import { checkedSpec, priya, T0, T1, TENANT } from './decider-test-support';
import type { MonitoringTestDefined, TestDefinition } from './monitoring-events';
import { monitoringTestStreamId } from './monitoring-ids';
import { monitoringTestDecider, type MonitoringTestCommand } from './monitoring-test-decider';
import { SHIPPED_TESTS } from './shipped-tests';

const TEST_ID = 'bucket-versioning-enabled';
const STREAM = monitoringTestStreamId(TENANT, TEST_ID);
const spec = checkedSpec(monitoringTestDecider, STREAM);

const definition: TestDefinition = {
  testId: TEST_ID,
  title: 'Buckets keep versions',
  description: 'A deleted or overwritten object can be restored.',
  factTypes: ['object-storage.bucket'],
  condition: "resource.attributes.versioning == 'Enabled'",
  severity: 'medium',
  controls: { catalogControlIds: ['BC-02'], controlIds: [] },
  remediation: 'Turn on versioning.',
};
const define: MonitoringTestCommand = {
  type: 'DefineTest',
  testStreamId: STREAM,
  definition,
  at: T0,
  actor: priya,
};
const defined: MonitoringTestDefined = {
  type: 'MonitoringTestDefined',
  data: { testStreamId: STREAM, testId: TEST_ID, version: 1, definition, definedAt: T0, actor: priya },
};
const change = (d: TestDefinition, changeSummary?: string): MonitoringTestCommand => ({
  type: 'ChangeTest',
  testStreamId: STREAM,
  testId: TEST_ID,
  definition: d,
  changeSummary,
  at: T1,
  actor: priya,
});

describe('custom monitoring tests', () => {
  it('defines a test as version 1', () => {
    spec.given([]).when(define).then([defined]);
  });

  it('refuses an id a shipped test has, or a test the tenant already defined', () => {
    const shippedId = SHIPPED_TESTS[0].testId;
    const shadow = { ...define, definition: { ...definition, testId: shippedId } };
    expect(spec.given([]).when(shadow).thenRefuses('test-id-taken').details).toEqual({ testId: shippedId });
    spec.given([defined]).when(define).thenRefuses('test-id-taken');
  });

  it('records a change as the next version, with its summary', () => {
    const stricter = { ...definition, severity: 'high' as const };
    spec
      .given([defined])
      .when(change(stricter, 'Raised the severity'))
      .then([
        {
          type: 'MonitoringTestChanged',
          data: {
            testStreamId: STREAM,
            testId: TEST_ID,
            version: 2,
            definition: stricter,
            changeSummary: 'Raised the severity',
            changedAt: T1,
            actor: priya,
          },
        },
      ]);
  });

  it('records no version for the same definition saved again, whatever its key order', () => {
    const reordered = Object.fromEntries(Object.entries(definition).reverse()) as unknown as TestDefinition;
    spec.given([defined]).when(change(reordered)).then([]);
  });

  it('refuses a change to a test the tenant does not have, or under another id', () => {
    spec.given([]).when(change(definition)).thenRefuses('test-not-found');
    spec
      .given([defined])
      .when(change({ ...definition, testId: 'other-test' }))
      .thenRefuses('test-id-mismatch');
  });
});
