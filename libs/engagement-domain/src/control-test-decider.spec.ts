import { controlTestDecider, type ControlTestCommand, type EngagementSnapshot } from './control-test-decider';
import { checkedSpec, CONTROL_A, dana, ENGAGEMENT, priya, T0, T1 } from './decider-test-support';
import type { ControlTestEvent } from './engagement-events';
import { controlTestStreamId, exceptionIdOf } from './engagement-ids';

const STREAM = controlTestStreamId(ENGAGEMENT, CONTROL_A);
const spec = checkedSpec(controlTestDecider, STREAM);
const RESULT = 'd3f5b7d9-1e3a-4c5e-8f7a-9b1d3f5b7d9e';
const RESULT_2 = 'e4a6c8e0-2f4b-4d6f-9a8b-0c2e4a6c8e0f';
const DAY = 'test:pg-logging:2026-01-05';
const typeTwo: EngagementSnapshot = { type: 'type-2', status: 'fieldwork' };

const record = (
  over: Partial<Extract<ControlTestCommand, { type: 'RecordTestResult' }>> = {},
): ControlTestCommand => ({
  type: 'RecordTestResult',
  engagementId: ENGAGEMENT,
  controlId: CONTROL_A,
  resultId: RESULT,
  procedure: 'inspection',
  occurrenceId: DAY,
  result: 'no-exception',
  engagement: typeTwo,
  selectedOccurrenceIds: [DAY],
  at: T0,
  actor: dana,
  ...over,
});
const base = { controlTestId: STREAM, engagementId: ENGAGEMENT, controlId: CONTROL_A };
const clean: ControlTestEvent = {
  type: 'TestResultRecorded',
  data: {
    ...base,
    resultId: RESULT,
    procedure: 'inspection',
    occurrenceId: DAY,
    result: 'no-exception',
    testedAt: T0,
    actor: dana,
  },
};
const EXCEPTION = exceptionIdOf(RESULT_2);
const withException: ControlTestEvent[] = [
  {
    type: 'TestResultRecorded',
    data: {
      ...base,
      resultId: RESULT_2,
      procedure: 're-performance',
      occurrenceId: DAY,
      result: 'exception',
      description: 'Logging was off on one replica.',
      testedAt: T0,
      actor: dana,
    },
  },
  {
    type: 'ExceptionRaised',
    data: {
      ...base,
      exceptionId: EXCEPTION,
      resultId: RESULT_2,
      occurrenceId: DAY,
      description: 'Logging was off on one replica.',
      raisedAt: T0,
      actor: dana,
    },
  },
];
const respond = (response = 'Replica rebuilt; images are checked now.'): ControlTestCommand => ({
  type: 'RecordManagementResponse',
  engagementId: ENGAGEMENT,
  controlId: CONTROL_A,
  exceptionId: EXCEPTION,
  response,
  at: T1,
  actor: priya,
});

describe('control testing', () => {
  it('records a Type II result on a sampled item, once per result id', () => {
    spec.given([]).when(record()).then([clean]);
    spec.given([clean]).when(record()).then([]);
    spec
      .given([])
      .when(record({ occurrenceId: 'test:pg-logging:2026-01-06' }))
      .thenRefuses('occurrence-not-sampled');
    spec
      .given([])
      .when(record({ occurrenceId: undefined }))
      .thenRefuses('occurrence-not-sampled');
  });

  it('records a Type I result on the control itself, never on a sample item', () => {
    const typeOne: EngagementSnapshot = { type: 'type-1', status: 'reporting' };
    const { occurrenceId: _day, ...data } = clean.data as Extract<
      ControlTestEvent,
      { type: 'TestResultRecorded' }
    >['data'];
    spec
      .given([])
      .when(record({ engagement: typeOne, occurrenceId: undefined, selectedOccurrenceIds: [] }))
      .then([{ type: 'TestResultRecorded', data }]);
    spec
      .given([])
      .when(record({ engagement: typeOne }))
      .thenRefuses('invalid-test-result');
  });

  it('takes results only in fieldwork and reporting', () => {
    for (const status of ['planned', 'issued'] as const)
      spec
        .given([])
        .when(record({ engagement: { type: 'type-2', status } }))
        .thenRefuses('testing-closed');
  });

  it('raises an exception with a result that found one, which needs a description', () => {
    spec
      .given([clean])
      .when(
        record({
          resultId: RESULT_2,
          procedure: 're-performance',
          result: 'exception',
          description: 'Logging was off on one replica.',
        }),
      )
      .then(withException);
    spec
      .given([])
      .when(record({ result: 'exception' }))
      .thenRefuses('text-required');
  });

  it('raises an exception found outside a result, once', () => {
    const raise: ControlTestCommand = {
      type: 'RaiseException',
      engagementId: ENGAGEMENT,
      controlId: CONTROL_A,
      exceptionId: RESULT,
      description: 'The access review of Q1 was not signed off.',
      engagement: typeTwo,
      at: T0,
      actor: dana,
    };
    const raised = spec
      .given([])
      .when(raise)
      .then([
        {
          type: 'ExceptionRaised',
          data: {
            ...base,
            exceptionId: RESULT,
            description: 'The access review of Q1 was not signed off.',
            raisedAt: T0,
            actor: dana,
          },
        },
      ]);
    spec.given(raised).when(raise).thenRefuses('exception-exists');
  });

  it('records one management response per existing exception', () => {
    const responded = spec
      .given(withException)
      .when(respond())
      .then([
        {
          type: 'ManagementResponseRecorded',
          data: {
            ...base,
            exceptionId: EXCEPTION,
            response: 'Replica rebuilt; images are checked now.',
            respondedAt: T1,
            actor: priya,
          },
        },
      ]);
    spec
      .given([...withException, ...responded])
      .when(respond('Another response'))
      .thenRefuses('management-response-exists');
    spec.given([clean]).when(respond()).thenRefuses('exception-not-found');
    spec.given(withException).when(respond(' ')).thenRefuses('text-required');
  });
});
