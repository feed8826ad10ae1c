import { checkedSpec, priya, T0 } from './decider-test-support';
import type { ExceptionAccepted } from './monitoring-events';
import {
  exceptionHolds,
  monitoringExceptionDecider,
  type MonitoringExceptionCommand,
} from './monitoring-exception-decider';

const EXCEPTION = 'e4c6f8a0-5d71-4293-be4f-6a8b0c2d3e5f';
const spec = checkedSpec(monitoringExceptionDecider, EXCEPTION);
const sweep = { type: 'system' as const, id: 'system:monitoring-sweep' };

const accept = (expiresOn: string, reason = 'Decommissioned in Q3'): MonitoringExceptionCommand => ({
  type: 'AcceptException',
  exceptionId: EXCEPTION,
  testId: 'postgresql-log-connections-enabled',
  resourceId: 'legacy-db.internal:5432',
  reason,
  expiresOn,
  at: T0,
  actor: priya,
});
const accepted: ExceptionAccepted = {
  type: 'ExceptionAccepted',
  data: {
    exceptionId: EXCEPTION,
    testId: 'postgresql-log-connections-enabled',
    resourceId: 'legacy-db.internal:5432',
    reason: 'Decommissioned in Q3',
    expiresOn: '2026-09-30',
    acceptedAt: T0,
    actor: priya,
  },
};
const expire = (at: string): MonitoringExceptionCommand => ({
  type: 'ExpireException',
  exceptionId: EXCEPTION,
  at,
  actor: sweep,
});

describe('exceptions', () => {
  it('accepts a failing resource until a day, with the approver as actor', () => {
    spec.given([]).when(accept('2026-09-30')).then([accepted]);
    spec.given([accepted]).when(accept('2026-09-30')).thenRefuses('exception-exists');
  });

  it('expires after the day of acceptance and within 12 months of it', () => {
    spec
      .given([])
      .when(accept('2027-07-01'))
      .then([{ ...accepted, data: { ...accepted.data, expiresOn: '2027-07-01' } }]);
    for (const expiresOn of ['2026-07-01', '2026-06-30', '2027-07-02', '2026-09-31', '30/09/2026'])
      expect(
        spec.given([]).when(accept(expiresOn)).thenRefuses('invalid-exception-expiry').details,
      ).toMatchObject({
        expiresOn,
        latest: '2027-07-01',
      });
  });

  it('refuses a blank reason', () => {
    spec.given([]).when(accept('2026-09-30', ' \n')).thenRefuses('text-required');
  });

  it('expires on its expiry day, once, and not before', () => {
    spec.given([accepted]).when(expire('2026-09-29T23:59:59.000Z')).then([]);
    const expired = spec
      .given([accepted])
      .when(expire('2026-09-30T00:05:00.000Z'))
      .then([
        {
          type: 'ExceptionExpired',
          data: {
            exceptionId: EXCEPTION,
            testId: 'postgresql-log-connections-enabled',
            resourceId: 'legacy-db.internal:5432',
            expiresOn: '2026-09-30',
            expiredAt: '2026-09-30T00:05:00.000Z',
            actor: sweep,
          },
        },
      ]);
    spec
      .given([accepted, ...expired])
      .when(expire('2026-10-02T00:00:00.000Z'))
      .then([]);
    spec.given([]).when(expire('2026-10-02T00:00:00.000Z')).thenRefuses('exception-not-found');
  });

  it('holds before its expiry day and not once recorded expired', () => {
    expect(exceptionHolds({ expiresOn: '2026-09-30', expired: false }, '2026-09-29')).toBe(true);
    expect(exceptionHolds({ expiresOn: '2026-09-30', expired: false }, '2026-09-30')).toBe(false);
    expect(exceptionHolds({ expiresOn: '2026-09-30', expired: true }, '2026-08-01')).toBe(false);
  });
});
