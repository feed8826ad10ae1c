import { attestCatalog } from '@attest/catalog';
// Here rather than in the domain lib, which may not depend on collectors: this spec reads their declarations to prove
// the shipped tests cover what each collector says it serves and that the fixtures are facts as collectors emit them.
import { COLLECTORS } from '@attest/collectors';
import { compileTest, SHIPPED_TESTS, shippedTest } from '@attest/monitoring-domain';

const collectorOf = (resourceType: string) =>
  COLLECTORS.find((collector) => collector.factModel.some((entry) => entry.resourceType === resourceType));

describe('shipped tests', () => {
  it('are at least 40, with unique ids, found by id', () => {
    expect(SHIPPED_TESTS.length).toBeGreaterThanOrEqual(40);
    expect(new Set(SHIPPED_TESTS.map((test) => test.testId)).size).toBe(SHIPPED_TESTS.length);
    for (const test of SHIPPED_TESTS) expect(shippedTest(test.testId)).toBe(test);
    expect(shippedTest('no-such-test')).toBeUndefined();
  });

  it.each(SHIPPED_TESTS.map((test) => [test.testId, test] as const))(
    '%s passes its pass fixture and fails its fail fixture',
    (_, test) => {
      const compiled = compileTest(test);
      expect(compiled.evaluate(test.fixtures.pass)).toEqual({ outcome: 'pass', details: {} });
      const failed = compiled.evaluate(test.fixtures.fail);
      expect(failed.outcome).toBe('fail');
      // A details expression must say something about the fail, not break on the facts it is written for.
      expect(failed.details).not.toHaveProperty('detailsError');
    },
  );

  it.each(SHIPPED_TESTS.map((test) => [test.testId, test] as const))(
    '%s reads facts a collector emits, with fixtures shaped as it emits them',
    (_, test) => {
      for (const resourceType of test.factTypes) expect(collectorOf(resourceType)).toBeDefined();
      for (const fixture of [test.fixtures.pass, test.fixtures.fail]) {
        expect(test.factTypes).toContain(fixture.resourceType);
        const model = collectorOf(fixture.resourceType)?.factModel.find(
          (entry) => entry.resourceType === fixture.resourceType,
        );
        expect(Object.keys(fixture.attributes).sort()).toEqual(Object.keys(model?.attributes ?? {}).sort());
      }
    },
  );

  it.each(SHIPPED_TESTS.map((test) => [test.testId, test] as const))(
    '%s proves catalog controls its collector serves, incl. the one declaring its catalog test',
    (_, test) => {
      const served = new Set(
        test.factTypes.flatMap((type) => collectorOf(type)?.serves.catalogControlIds ?? []),
      );
      expect(test.controls.catalogControlIds.length).toBeGreaterThan(0);
      for (const controlId of test.controls.catalogControlIds) expect(served).toContain(controlId);
      expect(test.controls.controlIds).toEqual([]);
      expect(test.remediation.trim()).not.toBe('');
      if (test.catalogTestId) {
        const declaring = attestCatalog.controls.filter((control) =>
          control.automatedTests.includes(test.catalogTestId as string),
        );
        expect(declaring.length).toBeGreaterThan(0);
        expect(declaring.some((control) => test.controls.catalogControlIds.includes(control.id))).toBe(true);
      }
    },
  );

  it('cover every catalog test a collector declares it serves', () => {
    const implemented = new Set(SHIPPED_TESTS.map((test) => test.catalogTestId));
    const declared = COLLECTORS.flatMap((collector) => collector.serves.testIds);
    expect(declared.filter((testId) => !implemented.has(testId))).toEqual([]);
  });

  it('include the connection-logging test the demo breaks, failing on log_connections alone', () => {
    const test = shippedTest('postgresql-log-connections-enabled');
    expect(test?.factTypes).toEqual(['postgresql.server']);
    expect(test?.fixtures.fail.attributes).toEqual({
      ...test?.fixtures.pass.attributes,
      logConnections: false,
    });
  });
});
