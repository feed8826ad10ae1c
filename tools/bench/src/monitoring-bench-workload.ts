import type { ResourceFact, TestDefinition } from '@attest/monitoring-domain';

/**
 * The workload of `npm run bench:monitoring`: custom tests over one synthetic resource type, each reading its own
 * attribute in one of the shapes real tests take (a boolean, membership in a set, a comprehension over a list, a
 * disjunction with null, an RE2 regex), and facts that fail each test with a chosen probability.
 */
export const BENCH_RESOURCE_TYPE = 'bench.resource';

interface Shape {
  condition(attribute: string): string;
  passing: unknown;
  failing: unknown;
}

const SHAPES: readonly Shape[] = [
  { condition: (a) => `${a} == true`, passing: true, failing: false },
  { condition: (a) => `${a} in ['TLSv1.2', 'TLSv1.3']`, passing: 'TLSv1.3', failing: 'TLSv1' },
  { condition: (a) => `${a}.all(x, x != '*')`, passing: ['localhost', '10.0.0.5'], failing: ['*'] },
  { condition: (a) => `${a} == null || ${a} == 'scram-sha-256'`, passing: 'scram-sha-256', failing: 'md5' },
  {
    condition: (a) => `${a}.matches('^[a-z_][a-z0-9_]*$')`,
    passing: 'svc_reader',
    failing: 'Reporting-User',
  },
];

const attributeOf = (test: number) => `a${test}`;

/** `count` tests, `bench-test-0` … ; test k reads attribute `a<k>`. */
export function benchTests(count: number): TestDefinition[] {
  return Array.from({ length: count }, (_, k) => ({
    testId: `bench-test-${k}`,
    title: `Bench test ${k}`,
    description: `Synthetic test ${k} of the monitoring benchmark.`,
    factTypes: [BENCH_RESOURCE_TYPE],
    condition: SHAPES[k % SHAPES.length].condition(`resource.attributes.${attributeOf(k)}`),
    details: `{'value': resource.attributes.${attributeOf(k)}}`,
    severity: 'medium',
    controls: { catalogControlIds: [], controlIds: [] },
    remediation: 'None: synthetic.',
  }));
}

/** xorshift32: the same facts on every rerun. */
function randomSource(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

/**
 * Resource `bench-<run>-<i>` for i < count: each test's attribute fails with probability `failShare`. Another
 * `cycle` draws the same resources again with fresh rolls: some start failing, others recover (drift).
 */
export function benchFacts(
  run: number,
  count: number,
  tests: number,
  failShare: number,
  cycle = 0,
): ResourceFact[] {
  const random = randomSource(run * 7919 + 1 + cycle * 104_729);
  return Array.from({ length: count }, (_, i) => {
    const attributes: Record<string, unknown> = {};
    for (let k = 0; k < tests; k++) {
      const shape = SHAPES[k % SHAPES.length];
      attributes[attributeOf(k)] = random() < failShare ? shape.failing : shape.passing;
    }
    return { resourceType: BENCH_RESOURCE_TYPE, resourceId: `bench-${run}-${i}`, attributes };
  });
}

/** Every test passing. */
export function passingFact(resourceId: string, tests: number): ResourceFact {
  const attributes: Record<string, unknown> = {};
  for (let k = 0; k < tests; k++) attributes[attributeOf(k)] = SHAPES[k % SHAPES.length].passing;
  return { resourceType: BENCH_RESOURCE_TYPE, resourceId, attributes };
}

/** The fact with test `test` failing, the rest as they were. */
export function failingOn(fact: ResourceFact, test: number): ResourceFact {
  const shape = SHAPES[test % SHAPES.length];
  return { ...fact, attributes: { ...fact.attributes, [attributeOf(test)]: shape.failing } };
}
