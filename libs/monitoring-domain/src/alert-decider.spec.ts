import { alertDecider, type AlertCommand } from './alert-decider';
import {
  checkedSpec,
  CONTROL_A,
  monitoringSystem,
  priya,
  RUN_1,
  RUN_2,
  T0,
  T1,
  TENANT,
} from './decider-test-support';
import type { AlertRaised, AlertResolved } from './monitoring-events';
import { alertIdOf } from './monitoring-ids';

const TEST_ID = 'postgresql-log-connections-enabled';
const DB = 'db.internal:5432';
const ALERT = alertIdOf(TENANT, TEST_ID, DB, T0);
const spec = checkedSpec(alertDecider, ALERT);

const raise: AlertCommand = {
  type: 'RaiseAlert',
  alertId: ALERT,
  testId: TEST_ID,
  resourceType: 'postgresql.server',
  resourceId: DB,
  severity: 'medium',
  controlIds: [CONTROL_A, CONTROL_A],
  runId: RUN_1,
  details: { logConnections: false },
  at: T0,
  actor: monitoringSystem,
};
const raised: AlertRaised = {
  type: 'AlertRaised',
  data: {
    alertId: ALERT,
    testId: TEST_ID,
    resourceType: 'postgresql.server',
    resourceId: DB,
    severity: 'medium',
    controlIds: [CONTROL_A],
    runId: RUN_1,
    details: { logConnections: false },
    raisedAt: T0,
    actor: monitoringSystem,
  },
};
const resolve: AlertCommand = {
  type: 'ResolveAlert',
  alertId: ALERT,
  resolution: 'recovered',
  runId: RUN_2,
  at: T1,
  actor: monitoringSystem,
};
const resolved: AlertResolved = {
  type: 'AlertResolved',
  data: { alertId: ALERT, resolution: 'recovered', runId: RUN_2, resolvedAt: T1, actor: monitoringSystem },
};
const snooze = (until: string, reason = 'Fix ships on Friday'): AlertCommand => ({
  type: 'SnoozeAlert',
  alertId: ALERT,
  until,
  reason,
  at: T1,
  actor: priya,
});

describe('alerts', () => {
  it('derives one alert id per failure: same inputs, same id; a later failure, another', () => {
    expect(alertIdOf(TENANT, TEST_ID, DB, T0)).toBe(ALERT);
    expect(alertIdOf(TENANT, TEST_ID, DB, T1)).not.toBe(ALERT);
    expect(alertIdOf('tenant-other', TEST_ID, DB, T0)).not.toBe(ALERT);
  });

  it('raises an alert once, however often the failure is seen', () => {
    spec.given([]).when(raise).then([raised]);
    spec.given([raised]).when(raise).then([]);
  });

  it('records an acknowledgement with its note, once', () => {
    const ack: AlertCommand = {
      type: 'AcknowledgeAlert',
      alertId: ALERT,
      note: 'On it',
      at: T1,
      actor: priya,
    };
    const acknowledged = spec
      .given([raised])
      .when(ack)
      .then([
        {
          type: 'AlertAcknowledged',
          data: { alertId: ALERT, note: 'On it', acknowledgedAt: T1, actor: priya },
        },
      ]);
    spec
      .given([raised, ...acknowledged])
      .when(ack)
      .then([]);
  });

  it('snoozes for up to 30 days with a reason', () => {
    const until = '2026-07-31T07:00:00.000Z';
    spec
      .given([raised])
      .when(snooze(until))
      .then([
        {
          type: 'AlertSnoozed',
          data: { alertId: ALERT, until, reason: 'Fix ships on Friday', snoozedAt: T1, actor: priya },
        },
      ]);
    spec.given([raised]).when(snooze('2026-07-31T07:00:01.000Z')).thenRefuses('invalid-snooze');
    spec.given([raised]).when(snooze(T0)).thenRefuses('invalid-snooze');
    spec.given([raised]).when(snooze('next friday')).thenRefuses('invalid-snooze');
    spec.given([raised]).when(snooze(until, '  ')).thenRefuses('text-required');
  });

  it('resolves once, and refuses acknowledging or snoozing a resolved alert', () => {
    spec.given([raised]).when(resolve).then([resolved]);
    spec.given([raised, resolved]).when(resolve).then([]);
    spec.given([raised, resolved]).when(snooze('2026-07-02T07:00:00.000Z')).thenRefuses('alert-resolved');
    spec
      .given([raised, resolved])
      .when({ type: 'AcknowledgeAlert', alertId: ALERT, at: T1, actor: priya })
      .thenRefuses('alert-resolved');
  });

  it('resolves as excepted without a run', () => {
    spec
      .given([raised])
      .when({ type: 'ResolveAlert', alertId: ALERT, resolution: 'excepted', at: T1, actor: priya })
      .then([
        {
          type: 'AlertResolved',
          data: { alertId: ALERT, resolution: 'excepted', resolvedAt: T1, actor: priya },
        },
      ]);
  });

  it('refuses what is done to an alert the tenant does not have', () => {
    spec.given([]).when(resolve).thenRefuses('alert-not-found');
    spec.given([]).when(snooze('2026-07-02T07:00:00.000Z')).thenRefuses('alert-not-found');
  });
});
