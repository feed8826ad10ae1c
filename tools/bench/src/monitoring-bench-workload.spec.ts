import { compileTest } from '@attest/monitoring-domain';
import { benchFacts, benchTests, failingOn, passingFact } from './monitoring-bench-workload';

describe('the monitoring benchmark workload', () => {
  const tests = benchTests(50).map(compileTest);

  it('is 50 custom tests the service accepts, each failing only on its own attribute', () => {
    const fact = passingFact('bench-x', 50);
    expect(tests.map((t) => t.evaluate(fact).outcome)).toEqual(Array(50).fill('pass'));
    for (const k of [0, 1, 2, 3, 4, 49]) {
      const outcomes = tests.map((t) => t.evaluate(failingOn(fact, k)).outcome);
      expect(outcomes.filter((o) => o === 'fail')).toHaveLength(1);
      expect(outcomes[k]).toBe('fail');
    }
  });

  it('fails each test on about the chosen share of facts, the same facts on every run', () => {
    const facts = benchFacts(3, 500, 50, 0.02);
    const fails = tests.flatMap((t) => facts.map((f) => t.evaluate(f).outcome)).filter((o) => o === 'fail');
    expect(fails.length / (50 * 500)).toBeGreaterThan(0.01);
    expect(fails.length / (50 * 500)).toBeLessThan(0.03);
    expect(benchFacts(3, 500, 50, 0.02)).toEqual(facts);
    expect(new Set(facts.map((f) => f.resourceId)).size).toBe(500);
  });
});
