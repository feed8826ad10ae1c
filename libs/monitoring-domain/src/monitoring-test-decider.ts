import canonicalize from 'canonicalize';
import { DomainError, type Decider } from '@attest/decider';
import { shippedTest } from './shipped-tests';
import { optionalText } from './monitoring-text';
import {
  MONITORING_TEST_STREAM_TYPE,
  type Actor,
  type MonitoringTestEvent,
  type TestDefinition,
} from './monitoring-events';

/** A custom test as its stream tells it. */
export type MonitoringTestState =
  { kind: 'none' } | { kind: 'test'; testId: string; version: number; definition: TestDefinition };

interface CommandBase {
  /** `monitoringTestStreamId(tenantId, testId)`. */
  testStreamId: string;
  at: string;
  actor: Actor;
}

/**
 * The app compiles the definition (`compileTest`, which refuses `invalid-test`) before it runs a command: the
 * decider refuses nothing about CEL, only what the test's history forbids.
 */
export type MonitoringTestCommand =
  | (CommandBase & { type: 'DefineTest'; definition: TestDefinition })
  | (CommandBase & {
      type: 'ChangeTest';
      testId: string;
      definition: TestDefinition;
      changeSummary?: string;
    });

const CHANGE_SUMMARY_MAX = 2000;

/** The refusal for a test the tenant does not have; without an id when only a derived stream id is known. */
export function testNotFound(testId?: string): DomainError {
  return testId
    ? new DomainError('test-not-found', `the organization has no test ${testId}`, { testId })
    : new DomainError('test-not-found', 'the organization has no such test');
}

/** RFC 8785 canonical JSON, so that two values written in another key order compare equal. */
export function canonicalJson(value: unknown): string {
  return canonicalize(value) ?? 'null';
}

function decide(command: MonitoringTestCommand, state: MonitoringTestState): MonitoringTestEvent[] {
  const { testStreamId, at, actor } = command;
  switch (command.type) {
    case 'DefineTest': {
      const { testId } = command.definition;
      // A shipped test's id stays the shipped test's: a custom one of the same id would make results ambiguous.
      if (shippedTest(testId) || state.kind !== 'none')
        throw new DomainError('test-id-taken', `a test ${testId} already exists`, { testId });
      return [
        {
          type: 'MonitoringTestDefined',
          data: { testStreamId, testId, version: 1, definition: command.definition, definedAt: at, actor },
        },
      ];
    }
    case 'ChangeTest': {
      if (state.kind === 'none') throw testNotFound(command.testId);
      if (command.definition.testId !== state.testId)
        throw new DomainError('test-id-mismatch', `the definition's testId is not ${state.testId}`, {
          testId: state.testId,
          definitionTestId: command.definition.testId,
        });
      // Saving the same definition again records no version nobody can tell apart from the last.
      if (canonicalJson(command.definition) === canonicalJson(state.definition)) return [];
      const changeSummary = optionalText('changeSummary', command.changeSummary, CHANGE_SUMMARY_MAX);
      return [
        {
          type: 'MonitoringTestChanged',
          data: {
            testStreamId,
            testId: state.testId,
            version: state.version + 1,
            definition: command.definition,
            ...(changeSummary ? { changeSummary } : {}),
            changedAt: at,
            actor,
          },
        },
      ];
    }
  }
}

function evolve(state: MonitoringTestState, event: MonitoringTestEvent): MonitoringTestState {
  const { testId, version, definition } = event.data;
  return { kind: 'test', testId, version, definition };
}

/**
 * A tenant's own test (stream `monitoring-test`, id `monitoringTestStreamId(tenantId, testId)`): defined once
 * under an id no shipped test has, then changed in versions; results name the version they were evaluated with.
 */
export const monitoringTestDecider: Decider<MonitoringTestCommand, MonitoringTestEvent, MonitoringTestState> =
  {
    initialState: () => ({ kind: 'none' }),
    evolve,
    decide,
  };

/** The custom test aggregate, shaped as `@attest/command-pipeline`'s AggregateDeclaration. */
export const monitoringTestAggregate = {
  streamType: MONITORING_TEST_STREAM_TYPE,
  decider: monitoringTestDecider,
  streamIdOf: (command: MonitoringTestCommand) => command.testStreamId,
  // The pipeline knows only the derived stream id, not the test id.
  notFound: () => testNotFound(),
};
