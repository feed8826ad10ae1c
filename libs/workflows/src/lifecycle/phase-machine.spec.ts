import type { DomainEventSignal } from '../lifecycle-contract';
import { LIFECYCLE_EVENT_TYPES as T } from '../lifecycle-contract';
import type { LifecycleConfig, LifecycleState } from './lifecycle-state';
import { extendDeadline, extensionRefusals } from './phase-deadlines';
import {
  applyDomainEvent,
  auditTypeRefusals,
  blockersOf,
  chooseAuditType,
  nextPeriodOf,
  nextWakeAt,
  observedControls,
  passTime,
  startLifecycle,
} from './phase-machine';

const DAY = 86_400_000;
const T0 = Date.parse('2026-01-05T09:00:00Z');
const config: LifecycleConfig = {
  phaseDeadlineMs: { readiness: 30 * DAY, 'audit-type-decision': 14 * DAY },
  reminderBeforeMs: 7 * DAY,
  bridgeLetterReminderAfterMs: 90 * DAY,
  observationGraceDays: 5,
};

let ids = 0;
function event(type: string, data: Record<string, unknown>, eventId = `event-${++ids}`): DomainEventSignal {
  return { eventId, type, tenantId: 'tenant-a', time: new Date(T0).toISOString(), data };
}

function start(): LifecycleState {
  return startLifecycle({ tenantId: 'tenant-a', period: '2026' }, T0, config).state;
}

function apply(state: LifecycleState, ...events: DomainEventSignal[]): LifecycleState {
  return events.reduce((s, e) => applyDomainEvent(s, e, T0, config).state, state);
}

const completed = (conclusions: Record<string, string>) =>
  event(T.assessmentCompleted, {
    criteria: Object.entries(conclusions).map(([criterionId, conclusion]) => ({ criterionId, conclusion })),
  });
const criticalTask = (taskId: string, title: string) =>
  event(T.remediationTaskCreated, { taskId, title, priority: 'critical' });
const adopted = (controlId: string, frequency: string) =>
  event(T.controlAdopted, { controlId, code: controlId.toUpperCase(), frequency });

describe('audit lifecycle phase machine', () => {
  it('moves through readiness, mapping and remediation as the events arrive, recording each phase change', () => {
    let state = apply(start(), criticalTask('t1', 'Enable MFA'), completed({ 'CC6.1': 'met' }));
    expect(state.phase).toBe('control-mapping');
    state = apply(state, adopted('c1', 'quarterly'));
    expect(state.phase).toBe('remediation');
    const done = applyDomainEvent(state, event(T.remediationTaskCompleted, { taskId: 't1' }), T0, config);
    expect(done.state.phase).toBe('audit-type-decision');
    expect(done.effects).toContainEqual(
      expect.objectContaining({ kind: 'phase-changed', from: 'remediation' }),
    );
  });

  it('settles events that arrived before their phase: a control adopted during readiness counts later', () => {
    const state = apply(start(), adopted('c1', 'monthly'), completed({}));
    // No critical task is open, so remediation is passed at once too.
    expect(state.phase).toBe('audit-type-decision');
    expect(state.timeline.filter((e) => e.kind === 'phase-changed').map((e) => e.summary)).toEqual([
      'audit lifecycle started in readiness',
      expect.stringMatching(/^readiness → control-mapping/),
      expect.stringMatching(/^control-mapping → remediation/),
      expect.stringMatching(/^remediation → audit-type-decision/),
    ]);
  });

  it('applies a redelivered event once', () => {
    const task = criticalTask('t1', 'Enable MFA');
    const first = applyDomainEvent(start(), task, T0, config);
    const again = applyDomainEvent(first.state, { ...task }, T0, config);
    expect(again.duplicate).toBe(true);
    expect(again.state).toBe(first.state);
  });

  it('ignores an event of another organization', () => {
    const state = start();
    const other = applyDomainEvent(state, { ...completed({}), tenantId: 'tenant-b' }, T0, config);
    expect(other.state.phase).toBe('readiness');
  });

  it('refuses the audit type while a critical task is open or a criterion not met, naming them', () => {
    const state = apply(
      start(),
      criticalTask('t1', 'Enable MFA'),
      completed({ 'CC6.1': 'not-met', 'CC7.2': 'met' }),
    );
    const withMapping = apply(state, adopted('c1', 'daily'));
    expect(auditTypeRefusals(withMapping, { type: 'type-2' })).toEqual([
      'critical remediation tasks are open: "Enable MFA" (t1)',
      'criteria are not met: CC6.1',
    ]);
    const remediated = apply(
      withMapping,
      event(T.remediationTaskCompleted, { taskId: 't1' }),
      completed({ 'CC6.1': 'met', 'CC7.2': 'met' }),
    );
    expect(auditTypeRefusals(remediated, { type: 'type-2' })).toEqual([]);
    expect(blockersOf(remediated)).toEqual([expect.objectContaining({ kind: 'awaiting-decision' })]);
  });

  it('refuses a decision before the controls are mapped and a second decision', () => {
    expect(auditTypeRefusals(start(), { type: 'type-1' })).toEqual([
      'the audit is in phase readiness; the audit type is chosen once the controls are mapped',
    ]);
    const decided = chooseAuditType(
      apply(start(), adopted('c1', 'daily'), completed({})),
      { type: 'type-1' },
      T0,
      config,
    );
    expect(decided.state.phase).toBe('auditor-engagement');
    expect(auditTypeRefusals(decided.state, { type: 'type-2' })).toEqual([
      'the audit type is already chosen: type-1',
    ]);
  });

  it('starts the observation for a planned Type II engagement and ends it the day after the window', () => {
    let state = apply(start(), adopted('c1', 'quarterly'), adopted('c2', 'monthly'), completed({}));
    state = chooseAuditType(state, { type: 'type-2' }, T0, config).state;
    const planned = applyDomainEvent(
      state,
      event(T.engagementPlanned, {
        engagementId: 'e1',
        type: 'type-2',
        window: { from: '2026-02-01', to: '2026-07-31' },
        scope: { controlIds: ['c1', 'c9'] },
      }),
      T0,
      config,
    );
    expect(planned.state.phase).toBe('observation');
    expect(planned.effects.map((e) => e.kind)).toEqual(['phase-changed', 'start-observation']);
    expect(observedControls(planned.state)).toEqual({
      controls: [{ controlId: 'c1', code: 'C1', frequency: 'quarterly' }],
      withoutFrequency: ['c9'],
    });
    const windowEnd = Date.parse('2026-08-01T00:00:00Z');
    expect(nextWakeAt(planned.state, config)).toBe(windowEnd);
    expect(passTime(planned.state, windowEnd - 1, config).state.phase).toBe('observation');
    expect(passTime(planned.state, windowEnd, config).state.phase).toBe('fieldwork');
  });

  it('plays a window from when observation starts when a window day is configured shorter (the demo)', () => {
    const played: LifecycleConfig = { ...config, observationDayMs: 5_000 };
    let state = apply(start(), adopted('c1', 'daily'), completed({}));
    state = chooseAuditType(state, { type: 'type-2' }, T0, played).state;
    const observing = applyDomainEvent(
      state,
      event(T.engagementPlanned, {
        engagementId: 'e1',
        type: 'type-2',
        window: { from: '2026-01-01', to: '2026-01-07' },
      }),
      T0,
      played,
    ).state;
    expect(observing.observationClock).toEqual({ from: new Date(T0).toISOString(), dayMs: 5_000 });
    // Seven window days of five seconds each from the start of observation, not the calendar days of the window.
    expect(nextWakeAt(observing, played)).toBe(T0 + 35_000);
    expect(passTime(observing, T0 + 34_999, played).state.phase).toBe('observation');
    expect(passTime(observing, T0 + 35_000, played).state.phase).toBe('fieldwork');
  });

  it('reminds reminderBefore a deadline and escalates at it, the overdue count cleared when the phase moves on', () => {
    const state = start();
    const due = T0 + 30 * DAY;
    expect(nextWakeAt(state, config)).toBe(due - 7 * DAY);
    const reminded = passTime(state, due - 7 * DAY, config);
    expect(reminded.effects).toEqual([
      expect.objectContaining({
        kind: 'deadline-approaching',
        phase: 'readiness',
        dueAt: new Date(due).toISOString(),
      }),
    ]);
    expect(nextWakeAt(reminded.state, config)).toBe(due);
    const missed = passTime(reminded.state, due, config);
    expect(missed.effects.map((e) => e.kind)).toEqual(['deadline-missed']);
    expect(missed.state.overdueCount).toBe(1);
    expect(blockersOf(missed.state)).toContainEqual(expect.objectContaining({ kind: 'deadline-missed' }));
    const moved = applyDomainEvent(missed.state, completed({}), due + DAY, config);
    expect(moved.state.overdueCount).toBe(0);
    expect(moved.state.deadlines.readiness?.status).toBe('missed');
  });

  it('extends a deadline ahead or now, refusing a past phase, a past date or no reason', () => {
    const state = apply(start(), completed({}));
    expect(
      extensionRefusals(state, { phase: 'readiness', dueAt: '2026-01-01T00:00:00Z', reason: ' ' }, T0),
    ).toEqual([
      'phase readiness is over',
      'dueAt 2026-01-01T00:00:00Z is not in the future',
      'a reason is required',
    ]);
    const extended = extendDeadline(
      state,
      { phase: 'audit-type-decision', dueAt: '2026-06-30T00:00:00Z', reason: 'board meets in June' },
      T0,
    ).state;
    const decisionPhase = apply(extended, adopted('c1', 'daily'));
    expect(decisionPhase.phase).toBe('audit-type-decision');
    expect(decisionPhase.deadlines['audit-type-decision']).toEqual({
      dueAt: '2026-06-30T00:00:00.000Z',
      status: 'pending',
      extension: { reason: 'board meets in June', extendedAt: new Date(T0).toISOString() },
    });
  });

  it('names the next period after a year, a half or a quarter', () => {
    expect(nextPeriodOf('2026', '2027-03-01T00:00:00Z')).toBe('2027');
    expect(nextPeriodOf('2026-h2', '2027-03-01T00:00:00Z')).toBe('2027-h1');
    expect(nextPeriodOf('2026-q2', '2026-08-01T00:00:00Z')).toBe('2026-q3');
    expect(nextPeriodOf('pilot', '2027-03-01T00:00:00Z')).toBe('2028');
  });
});
