import { deciderSpec } from '@attest/decider';
import { personDecider, personDetailsProblems, type PersonCommand } from './person';
import { ANA_ID, anaDetails, anaJoined, BEN_ID, expectContractValid, hr, T0, T1 } from './test-fixtures';

const spec = deciderSpec(personDecider);
const base = { personId: ANA_ID, at: T1, actor: hr };
const join = (
  details = anaDetails,
  holders: { personId: string; email: string; employeeNumber?: string }[] = [],
) => ({ type: 'JoinPerson', personId: ANA_ID, details, holders, at: T0, actor: hr }) satisfies PersonCommand;

describe('a person of the people directory', () => {
  it('joins with their details, the e-mail address stored lowercase', () => {
    const events = spec
      .given([])
      .when(join({ ...anaDetails, email: ' Ana.Ortiz@Lumen.example ' }))
      .then([anaJoined]);
    expectContractValid(events);
  });

  it('cannot take an e-mail address or employee number someone else holds; their own is no clash', () => {
    spec
      .given([])
      .when(join(anaDetails, [{ personId: BEN_ID, email: 'ana.ortiz@lumen.example' }]))
      .thenRefuses('person-email-taken');
    spec
      .given([])
      .when(join(anaDetails, [{ personId: BEN_ID, email: 'ben@lumen.example', employeeNumber: 'E-100' }]))
      .thenRefuses('employee-number-taken');
    spec
      .given([anaJoined])
      .when({
        type: 'ChangePersonDetails',
        ...base,
        details: { role: 'Staff engineer' },
        holders: [{ personId: ANA_ID, email: 'ana.ortiz@lumen.example', employeeNumber: 'E-100' }],
      })
      .then([
        {
          type: 'PersonDetailsChanged',
          data: { personId: ANA_ID, changes: { role: 'Staff engineer' }, changedAt: T1, actor: hr },
        },
      ]);
  });

  it('refuses details that break the rules, naming each field', () => {
    const refusal = spec
      .given([])
      .when(join({ ...anaDetails, email: 'ana', startDate: '2026-02-30', role: ' ' }))
      .thenRefuses('invalid-person-details');
    expect(refusal.details.problems).toEqual([
      { field: 'role', problem: 'is blank' },
      { field: 'email', problem: 'is not an e-mail address' },
      { field: 'startDate', problem: 'is not a date YYYY-MM-DD' },
    ]);
    expect(personDetailsProblems(anaDetails)).toEqual([]);
    spec
      .given([])
      .when(join({ ...anaDetails, managerPersonId: ANA_ID }))
      .thenRefuses('manager-is-self');
  });

  it('records only the details that differ, and nothing when nothing does; a manager can be removed', () => {
    const [withManager] = personDecider.decide(join({ ...anaDetails, managerPersonId: BEN_ID }), {
      kind: 'none',
    });
    const change = (details: object): PersonCommand => ({
      type: 'ChangePersonDetails',
      ...base,
      details,
      holders: [],
    });
    spec
      .given([anaJoined])
      .when(change({ ...anaDetails, email: 'ANA.ORTIZ@lumen.example' }))
      .then([]);
    const events = spec
      .given([withManager])
      .when(change({ ...anaDetails, department: 'Platform', managerPersonId: null }))
      .then([
        {
          type: 'PersonDetailsChanged',
          data: {
            personId: ANA_ID,
            changes: { managerPersonId: null, department: 'Platform' },
            changedAt: T1,
            actor: hr,
          },
        },
      ]);
    expectContractValid(events);
    expect(
      personDecider.evolve(personDecider.evolve({ kind: 'none' }, withManager), events[0]),
    ).not.toHaveProperty('managerPersonId');
  });

  it('leaves once, never before starting', () => {
    const events = spec
      .given([anaJoined])
      .when({ type: 'RecordDeparture', ...base, endDate: '2026-06-30', reason: 'Resigned' })
      .then([
        {
          type: 'PersonLeft',
          data: { personId: ANA_ID, endDate: '2026-06-30', reason: 'Resigned', leftAt: T1, actor: hr },
        },
      ]);
    expectContractValid(events);
    spec
      .given([anaJoined, ...events])
      .when({ type: 'RecordDeparture', ...base, endDate: '2026-07-31' })
      .thenRefuses('person-already-left');
    spec
      .given([anaJoined])
      .when({ type: 'RecordDeparture', ...base, endDate: '2026-03-01' })
      .thenRefuses('end-before-start');
    spec
      .given([anaJoined, ...events])
      .when({ type: 'ChangePersonDetails', ...base, details: { startDate: '2026-07-01' }, holders: [] })
      .thenRefuses('end-before-start');
  });

  it('is not found before joining', () => {
    spec
      .given([])
      .when({ type: 'RecordDeparture', ...base, endDate: '2026-06-30' })
      .thenRefuses('person-not-found');
  });
});
