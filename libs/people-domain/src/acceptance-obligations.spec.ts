import {
  acceptanceObligations,
  DEFAULT_ACCEPTANCE_OBLIGATION_CONFIG,
  type AcceptanceObligationInput,
  type ObligatedPerson,
  type PolicyAcceptanceRecord,
  type PublishedPolicy,
} from './acceptance-obligations';
import { addCalendarMonths } from '@attest/deadlines';
import { ANA_ID, BEN_ID } from './test-fixtures';

const POLICY = 'a3b4c5d6-e7f8-4a9b-8c0d-1e2f3a4b5c6d';
const OTHER_POLICY = 'b4c5d6e7-f8a9-4b0c-9d1e-2f3a4b5c6d7e';

const ana: ObligatedPerson = {
  personId: ANA_ID,
  startDate: '2026-03-02',
  role: 'Engineer',
  department: 'Engineering',
  employmentType: 'employee',
};
const ben: ObligatedPerson = { ...ana, personId: BEN_ID, department: 'Sales', role: 'Account executive' };
const security: PublishedPolicy = {
  policyId: POLICY,
  title: 'Information security',
  audience: { scope: 'everyone' },
  publishedVersion: '1.0.0',
  contentSha256: 'a'.repeat(64),
  publishedAt: '2026-01-15T09:00:00.000Z',
};
const accepted = (at: string, version = '1.0.0', personId = ANA_ID): PolicyAcceptanceRecord => ({
  policyId: POLICY,
  version,
  personId,
  acceptedAt: at,
});

function obligations(now: string, input: Partial<AcceptanceObligationInput> = {}) {
  return acceptanceObligations({
    people: [ana],
    policies: [security],
    acceptances: [],
    config: DEFAULT_ACCEPTANCE_OBLIGATION_CONFIG,
    now,
    ...input,
  });
}
const statusOn = (now: string, input: Partial<AcceptanceObligationInput> = {}) =>
  obligations(now, input).map((o) => [o.status, o.dueDate]);

describe('policy acceptance obligations', () => {
  it('gives a joiner the configured number of days from their start, then makes them overdue', () => {
    expect(obligations('2026-03-02T08:00:00Z')).toEqual([
      { personId: ANA_ID, policyId: POLICY, version: '1.0.0', dueDate: '2026-04-01', status: 'pending' },
    ]);
    expect(statusOn('2026-04-01T23:59:59Z')).toEqual([['pending', '2026-04-01']]);
    expect(statusOn('2026-04-02T00:00:00Z')).toEqual([['overdue', '2026-04-01']]);
    const tenDays = { config: { joinerAcceptanceDays: 10, reacceptanceMonths: 12 } };
    expect(statusOn('2026-03-13T00:00:00Z', tenDays)).toEqual([['overdue', '2026-03-12']]);
  });

  it('counts from the publication when the policy is published after the person started', () => {
    const later = { ...security, publishedAt: '2026-05-20T16:00:00.000Z' };
    expect(statusOn('2026-05-21T00:00:00Z', { policies: [later] })).toEqual([['pending', '2026-06-19']]);
  });

  it('binds nobody once their end date has come: leaving clears an overdue acceptance', () => {
    expect(statusOn('2026-04-02T00:00:00Z', { people: [{ ...ana, endDate: '2026-04-30' }] })).toEqual([
      ['overdue', '2026-04-01'],
    ]);
    expect(obligations('2026-04-02T00:00:00Z', { people: [{ ...ana, endDate: '2026-04-02' }] })).toEqual([]);
  });

  it('is satisfied by an acceptance of the version in force until the yearly renewal opens', () => {
    const acceptances = [accepted('2026-03-10T12:00:00.000Z')];
    expect(obligations('2027-03-09T23:00:00Z', { acceptances })).toEqual([
      {
        personId: ANA_ID,
        policyId: POLICY,
        version: '1.0.0',
        dueDate: '2027-04-09',
        status: 'satisfied',
        lastAcceptedAt: '2026-03-10T12:00:00.000Z',
      },
    ]);
    expect(statusOn('2027-03-10T00:00:00Z', { acceptances })).toEqual([['pending', '2027-04-09']]);
    expect(statusOn('2027-04-10T00:00:00Z', { acceptances })).toEqual([['overdue', '2027-04-09']]);
    const renewed = [...acceptances, accepted('2027-03-20T08:00:00.000Z')];
    expect(statusOn('2027-04-10T00:00:00Z', { acceptances: renewed })).toEqual([['satisfied', '2028-04-19']]);
    const halfYearly = { acceptances, config: { joinerAcceptanceDays: 30, reacceptanceMonths: 6 } };
    expect(statusOn('2026-09-10T00:00:00Z', halfYearly)).toEqual([['pending', '2026-10-10']]);
  });

  it('asks again for a new version within the days after its publication, or from the renewal if earlier', () => {
    const v11 = { ...security, publishedVersion: '1.1.0', publishedAt: '2026-06-01T10:00:00.000Z' };
    const acceptances = [accepted('2026-03-10T12:00:00.000Z')];
    expect(statusOn('2026-06-01T12:00:00Z', { policies: [v11], acceptances })).toEqual([
      ['pending', '2026-07-01'],
    ]);
    expect(statusOn('2026-07-02T00:00:00Z', { policies: [v11], acceptances })).toEqual([
      ['overdue', '2026-07-01'],
    ]);
    const longAgo = [accepted('2025-03-01T12:00:00.000Z')];
    expect(statusOn('2026-06-01T12:00:00Z', { policies: [v11], acceptances: longAgo })).toEqual([
      ['overdue', '2026-03-31'],
    ]);
  });

  it('binds only the people the audience includes, each on their own acceptances', () => {
    const engineering: PublishedPolicy = {
      ...security,
      policyId: OTHER_POLICY,
      audience: { scope: 'selected', departments: ['engineering'] },
    };
    const result = obligations('2026-03-05T00:00:00Z', {
      people: [ana, ben],
      policies: [security, engineering],
      acceptances: [accepted('2026-03-04T09:00:00.000Z', '1.0.0', BEN_ID)],
    });
    expect(result.map((o) => [o.personId, o.policyId, o.status])).toEqual([
      [ANA_ID, POLICY, 'pending'],
      [ANA_ID, OTHER_POLICY, 'pending'],
      [BEN_ID, POLICY, 'satisfied'],
    ]);
  });
});

describe('calendar months', () => {
  it('falls back to the last day of a shorter month', () => {
    expect(addCalendarMonths('2028-02-29', 12)).toBe('2029-02-28');
    expect(addCalendarMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addCalendarMonths('2026-03-10', 12)).toBe('2027-03-10');
  });
});
