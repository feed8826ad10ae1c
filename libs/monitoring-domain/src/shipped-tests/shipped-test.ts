import type { ResourceFact, TestDefinition } from '../monitoring-events';

/**
 * A test the service ships: the same definition every tenant runs, with a fact that passes and one that fails (as
 * the collector emits them) so the library proves each test can tell the two apart.
 */
export interface ShippedTest extends TestDefinition {
  fixtures: { pass: ResourceFact; fail: ResourceFact };
}

/** The fact with some attributes changed: a fixture is a realistic fact with the one setting that matters flipped. */
export function withAttributes(fact: ResourceFact, attributes: Record<string, unknown>): ResourceFact {
  return { ...fact, attributes: { ...fact.attributes, ...attributes } };
}

/** A fact of the same type for another resource of it (a second role, another container). */
export function anotherResource(
  fact: ResourceFact,
  resourceId: string,
  attributes: Record<string, unknown>,
): ResourceFact {
  return { ...withAttributes(fact, attributes), resourceId };
}
