import {
  CelScalar,
  celEnv,
  celType,
  isCelError,
  mapType,
  parse,
  plan,
  type CelInput,
  type CelResult,
} from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import { DomainError } from '@attest/decider';
import type { Outcome, ResourceFact, TestDefinition } from '../monitoring-events';
import { celToJson } from './cel-json';
import { cachingRe2 } from './regex-cache';
import { EXPRESSION_LIMITS, expressionProblems, RESOURCE_VARIABLE } from './expression-guard';

/** One fault of a test definition, named by the field it is in, so an author can fix every one from a single 422. */
export interface TestProblem {
  field: 'testId' | 'factTypes' | 'applies' | 'condition' | 'details';
  message: string;
}

export interface Evaluation {
  outcome: Outcome;
  details: Record<string, unknown>;
}

export interface CompiledTest {
  definition: TestDefinition;
  /** One fact of a type the test reads (see `evaluateFacts`); never throws for anything the fact contains. */
  evaluate(fact: ResourceFact): Evaluation;
}

export const TEST_ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** `resource` is the fact; its attributes are JSON, so numbers are CEL doubles. */
const environment = celEnv({
  variables: { [RESOURCE_VARIABLE]: mapType(CelScalar.STRING, CelScalar.DYN) },
  funcs: strings,
  re2: cachingRe2(),
});

const planned = (parsed: ReturnType<typeof parse>) => plan(environment, parsed);
type Program = ReturnType<typeof planned>;

/**
 * Parses and checks every expression of a test and plans it for evaluation. Throws `invalid-test` naming each
 * problem (syntax, an identifier or function outside the allow-list, too large or too deeply nested), so nothing
 * that could reach I/O or run away is ever stored or run.
 */
export function compileTest(definition: TestDefinition): CompiledTest {
  const problems: TestProblem[] = [];
  if (
    definition.testId.length < 3 ||
    definition.testId.length > 80 ||
    !TEST_ID_PATTERN.test(definition.testId)
  )
    problems.push({ field: 'testId', message: 'must be kebab-case, 3 to 80 characters' });
  if (definition.factTypes.length === 0)
    problems.push({ field: 'factTypes', message: 'must name at least one resource type' });

  const compile = (
    field: 'applies' | 'condition' | 'details',
    source: string | undefined,
  ): Program | undefined => {
    if (source === undefined) return undefined;
    if (source.length > EXPRESSION_LIMITS.maxSourceLength) {
      problems.push({ field, message: `too long: at most ${EXPRESSION_LIMITS.maxSourceLength} characters` });
      return undefined;
    }
    let parsed: ReturnType<typeof parse>;
    try {
      parsed = parse(source);
    } catch (error) {
      problems.push({ field, message: `does not parse: ${(error as Error).message}` });
      return undefined;
    }
    const faults = expressionProblems(parsed.expr);
    for (const fault of faults) problems.push({ field, message: fault.message });
    return faults.length === 0 ? planned(parsed) : undefined;
  };

  const applies = compile('applies', definition.applies);
  const condition = compile('condition', definition.condition);
  const details = compile('details', definition.details);
  if (problems.length > 0 || !condition)
    throw new DomainError('invalid-test', `test ${definition.testId} is invalid`, { problems });

  return {
    definition,
    evaluate(fact) {
      if (!definition.factTypes.includes(fact.resourceType))
        throw new RangeError(`test ${definition.testId} does not read ${fact.resourceType} facts`);
      const bindings = { resource: fact as unknown as CelInput<ReturnType<typeof mapType>> };
      if (applies) {
        const applicable = asBool(applies(bindings));
        if (typeof applicable === 'string')
          return { outcome: 'error', details: { field: 'applies', error: applicable } };
        if (!applicable) return { outcome: 'not-applicable', details: {} };
      }
      const passed = asBool(condition(bindings));
      if (typeof passed === 'string')
        return { outcome: 'error', details: { field: 'condition', error: passed } };
      if (passed) return { outcome: 'pass', details: {} };
      return { outcome: 'fail', details: details ? failDetails(details(bindings)) : {} };
    },
  };
}

/** The evaluations of the facts a test reads; facts of other types are not evaluated at all (no result). */
export function evaluateFacts(
  test: CompiledTest,
  facts: readonly ResourceFact[],
): (Evaluation & { resourceType: string; resourceId: string })[] {
  return facts
    .filter((fact) => test.definition.factTypes.includes(fact.resourceType))
    .map((fact) => ({
      resourceType: fact.resourceType,
      resourceId: fact.resourceId,
      ...test.evaluate(fact),
    }));
}

/** The boolean a test expression must yield, or why it did not (a CEL error, e.g. a missing attribute, or a type). */
function asBool(result: CelResult): boolean | string {
  if (isCelError(result)) return result.message;
  if (typeof result === 'boolean') return result;
  return `expected a bool, got ${celType(result).name}`;
}

/** A map is recorded as the details object itself, anything else under `value`; a failing details expression is noted. */
function failDetails(result: CelResult): Record<string, unknown> {
  if (isCelError(result)) return { detailsError: result.message };
  const json = celToJson(result);
  return typeof json === 'object' && json !== null && !Array.isArray(json)
    ? (json as Record<string, unknown>)
    : { value: json };
}
