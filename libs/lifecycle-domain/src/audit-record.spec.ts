import { DomainError } from '@attest/decider';
import {
  auditRecordDecider,
  auditStreamIdOf,
  lifecycleEventId,
  type RecordLifecycleEvent,
} from './audit-record';

const AUDIT = 'audit-0b9f3a52-6c1e-4d2a-9f0e-1a2b3c4d5e6f-2026';

const phaseChanged = (auditId: string) => ({
  type: 'AuditPhaseChanged',
  data: {
    auditStreamId: auditStreamIdOf(auditId),
    auditId,
    period: '2026',
    from: 'readiness',
    to: 'control-mapping',
    reason: 'done',
    changedAt: '2026-01-05T00:00:00.000Z',
  },
});

const command = (overrides: Partial<RecordLifecycleEvent> = {}): RecordLifecycleEvent => ({
  auditId: AUDIT,
  workflowId: AUDIT,
  step: 'phase-1',
  event: phaseChanged(AUDIT),
  ...overrides,
});

describe('audit record', () => {
  it('records the event under an id of its workflow step, the same every time the step is decided again', () => {
    const first = auditRecordDecider.decide(command(), auditRecordDecider.initialState());
    const again = auditRecordDecider.decide(command(), auditRecordDecider.evolve({ recorded: 0 }, first[0]));
    expect(first).toEqual([{ ...phaseChanged(AUDIT), eventId: lifecycleEventId(AUDIT, 'phase-1') }]);
    expect(again).toEqual(first);
  });

  it('gives each step and each workflow its own event id, and each audit its own stream', () => {
    const ids = new Set([
      lifecycleEventId(AUDIT, 'phase-1'),
      lifecycleEventId(AUDIT, 'phase-2'),
      lifecycleEventId(`${AUDIT}-observation`, 'phase-1'),
    ]);
    expect(ids.size).toBe(3);
    expect(lifecycleEventId(AUDIT, 'phase-1')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(auditStreamIdOf(AUDIT)).toBe(auditStreamIdOf(AUDIT));
    expect(auditStreamIdOf(AUDIT)).not.toBe(auditStreamIdOf(AUDIT.replace('2026', '2027')));
  });

  it("refuses an event about another audit than the stream's", () => {
    const other = AUDIT.replace('2026', '2027');
    const refusal = (c: RecordLifecycleEvent) => {
      try {
        auditRecordDecider.decide(c, auditRecordDecider.initialState());
      } catch (e) {
        return (e as DomainError).code;
      }
      return 'recorded';
    };
    expect(refusal(command({ event: phaseChanged(other) }))).toBe('lifecycle-event-misaddressed');
    const wrongStream = phaseChanged(AUDIT);
    wrongStream.data.auditStreamId = auditStreamIdOf(other);
    expect(refusal(command({ event: wrongStream }))).toBe('lifecycle-event-misaddressed');
  });
});
