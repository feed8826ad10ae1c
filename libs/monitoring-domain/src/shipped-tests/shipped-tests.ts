import { GIT_REPOSITORY_TESTS } from './git-repository-tests';
import { KUBERNETES_TESTS } from './kubernetes-tests';
import { LINUX_HOST_TESTS } from './linux-host-tests';
import { POSTGRESQL_TESTS } from './postgresql-tests';
import type { ShippedTest } from './shipped-test';

export type { ShippedTest } from './shipped-test';

/** The tests every tenant runs, one module per collector whose facts they read. Ids are never reused by custom tests. */
export const SHIPPED_TESTS: readonly ShippedTest[] = [
  ...POSTGRESQL_TESTS,
  ...LINUX_HOST_TESTS,
  ...GIT_REPOSITORY_TESTS,
  ...KUBERNETES_TESTS,
];

const byId = new Map(SHIPPED_TESTS.map((test) => [test.testId, test]));

export function shippedTest(testId: string): ShippedTest | undefined {
  return byId.get(testId);
}
