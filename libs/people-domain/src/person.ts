import { DomainError, type Decider } from '@attest/decider';
import { EMPLOYMENT_TYPES, type Actor } from '@attest/control-mapping-domain';
import { isCalendarDate } from './calendar';
import type {
  PersonDetailChanges,
  PersonDetails,
  PersonDetailsChangedData,
  PersonEvent,
} from './person-events';

/** A person of the directory as their stream tells it. */
export interface Person extends PersonDetails {
  kind: 'person';
  personId: string;
  joinedAt: string;
  /** Recorded once; the end date may lie ahead (notice given). */
  departure?: { endDate: string; reason?: string; leftAt: string };
}

export type PersonState = { kind: 'none' } | Person;

/**
 * Someone of the directory who holds an e-mail address or employee number, as the app's read model knows them.
 * Uniqueness spans streams, so the app passes the holders it found and the decider refuses a clash.
 */
export interface DirectoryEntry {
  personId: string;
  email: string;
  employeeNumber?: string;
}

interface CommandBase {
  personId: string;
  at: string;
  actor: Actor;
}

export type PersonCommand =
  | (CommandBase & { type: 'JoinPerson'; details: PersonDetails; holders: DirectoryEntry[] })
  | (CommandBase & {
      type: 'ChangePersonDetails';
      /** The values as they should be; an absent field stays as it is, a `null` manager is removed. */
      details: PersonDetailChanges;
      holders: DirectoryEntry[];
    })
  | (CommandBase & { type: 'RecordDeparture'; endDate: string; reason?: string });

/** The refusals of the people directory, with the HTTP status a service answers them with. */
export const PERSON_REFUSALS = {
  'person-not-found': 404,
  'person-exists': 409,
  'person-email-taken': 409,
  'employee-number-taken': 409,
  'person-already-left': 409,
  'end-before-start': 422,
  'manager-is-self': 422,
  'manager-not-found': 422,
  'invalid-person-details': 422,
  'people-import-invalid': 422,
} as const;

export function personNotFound(personId: string): DomainError {
  return new DomainError('person-not-found', `no person ${personId} in the people directory`, { personId });
}

/** A field of a person's record that breaks a rule, and why (the CSV import reports them per row). */
export interface DetailProblem {
  field: keyof PersonDetails;
  problem: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const NAME_MAX = 200;

/** The rules every person's record keeps, whoever writes it (API or import). */
export function personDetailsProblems(details: PersonDetails): DetailProblem[] {
  const problems: DetailProblem[] = [];
  const text = (field: 'displayName' | 'role' | 'department', value: string) => {
    if (!value.trim()) problems.push({ field, problem: 'is blank' });
    else if (value.length > NAME_MAX)
      problems.push({ field, problem: `is longer than ${NAME_MAX} characters` });
  };
  text('displayName', details.displayName);
  text('role', details.role);
  text('department', details.department);
  if (!EMAIL.test(details.email) || details.email.length > 320)
    problems.push({ field: 'email', problem: 'is not an e-mail address' });
  if (!(EMPLOYMENT_TYPES as readonly string[]).includes(details.employmentType))
    problems.push({ field: 'employmentType', problem: `is not one of ${EMPLOYMENT_TYPES.join(', ')}` });
  if (!isCalendarDate(details.startDate))
    problems.push({ field: 'startDate', problem: 'is not a date YYYY-MM-DD' });
  if (details.employeeNumber !== undefined && !/^\S{1,64}$/.test(details.employeeNumber))
    problems.push({ field: 'employeeNumber', problem: 'is not 1 to 64 characters without spaces' });
  return problems;
}

/** E-mail addresses are compared as the directory stores them: trimmed, lowercase. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * A person of the organization's people directory (stream type `person`, stream id = personId): joins with their
 * HR details, has them changed (only what differs is recorded), and leaves once, never before starting.
 */
export const personDecider: Decider<PersonCommand, PersonEvent, PersonState> = {
  initialState: () => ({ kind: 'none' }),
  evolve: evolvePerson,
  decide: decidePerson,
};

export function evolvePerson(state: PersonState, event: PersonEvent): PersonState {
  switch (event.type) {
    case 'PersonJoined': {
      const { actor: _actor, joinedAt, ...details } = event.data;
      return { kind: 'person', ...details, joinedAt };
    }
    case 'PersonDetailsChanged': {
      if (state.kind === 'none') return state;
      const { managerPersonId, ...rest } = event.data.changes;
      const next: Person = { ...state, ...rest };
      if (managerPersonId === null) delete next.managerPersonId;
      else if (managerPersonId !== undefined) next.managerPersonId = managerPersonId;
      return next;
    }
    case 'PersonLeft': {
      if (state.kind === 'none') return state;
      const d = event.data;
      return {
        ...state,
        departure: { endDate: d.endDate, ...(d.reason ? { reason: d.reason } : {}), leftAt: d.leftAt },
      };
    }
  }
}

function existing(state: PersonState, personId: string): Person {
  if (state.kind === 'none') throw personNotFound(personId);
  return state;
}

function assertValid(personId: string, details: PersonDetails): void {
  const problems = personDetailsProblems(details);
  if (problems.length)
    throw new DomainError(
      'invalid-person-details',
      problems.map((p) => `${p.field} ${p.problem}`).join('; '),
      { personId, problems },
    );
  if (details.managerPersonId === personId)
    throw new DomainError('manager-is-self', 'a person cannot be their own manager', { personId });
}

/** Refuses an e-mail address or employee number another person of the directory holds. */
function assertUnique(personId: string, details: PersonDetails, holders: DirectoryEntry[]): void {
  const others = holders.filter((h) => h.personId !== personId);
  const byEmail = others.find((h) => h.email === details.email);
  if (byEmail)
    throw new DomainError('person-email-taken', 'another person of the directory has this e-mail address', {
      personId: byEmail.personId,
    });
  const byNumber =
    details.employeeNumber !== undefined && others.find((h) => h.employeeNumber === details.employeeNumber);
  if (byNumber)
    throw new DomainError(
      'employee-number-taken',
      'another person of the directory has this employee number',
      {
        personId: byNumber.personId,
      },
    );
}

function assertEndNotBeforeStart(personId: string, startDate: string, endDate: string): void {
  if (endDate < startDate)
    throw new DomainError('end-before-start', `end date ${endDate} is before start date ${startDate}`, {
      personId,
      startDate,
      endDate,
    });
}

const DETAIL_FIELDS = [
  'employeeNumber',
  'displayName',
  'email',
  'employmentType',
  'startDate',
  'managerPersonId',
  'role',
  'department',
  'subjectId',
] as const satisfies readonly (keyof PersonDetails)[];

function decidePerson(command: PersonCommand, state: PersonState): PersonEvent[] {
  switch (command.type) {
    case 'JoinPerson': {
      if (state.kind !== 'none')
        throw new DomainError('person-exists', `person ${command.personId} already exists`, {
          personId: command.personId,
        });
      const details = { ...command.details, email: normalizeEmail(command.details.email) };
      assertValid(command.personId, details);
      assertUnique(command.personId, details, command.holders);
      return [
        {
          type: 'PersonJoined',
          data: { personId: command.personId, ...details, joinedAt: command.at, actor: command.actor },
        },
      ];
    }
    case 'ChangePersonDetails': {
      const person = existing(state, command.personId);
      const proposed = command.details.email
        ? { ...command.details, email: normalizeEmail(command.details.email) }
        : command.details;
      const changes: PersonDetailChanges = {};
      for (const field of DETAIL_FIELDS) {
        const value = proposed[field];
        if (value === undefined || value === (person[field] ?? null)) continue;
        (changes as Record<string, unknown>)[field] = value;
      }
      if (Object.keys(changes).length === 0) return [];
      const event = changed(command, changes);
      const after = evolvePerson(person, event) as Person;
      assertValid(person.personId, after);
      assertUnique(person.personId, after, command.holders);
      if (after.departure) assertEndNotBeforeStart(person.personId, after.startDate, after.departure.endDate);
      return [event];
    }
    case 'RecordDeparture': {
      const person = existing(state, command.personId);
      if (person.departure)
        throw new DomainError('person-already-left', `the person left on ${person.departure.endDate}`, {
          personId: person.personId,
          endDate: person.departure.endDate,
        });
      if (!isCalendarDate(command.endDate))
        throw new DomainError('invalid-person-details', 'endDate is not a date YYYY-MM-DD', {
          personId: person.personId,
        });
      assertEndNotBeforeStart(person.personId, person.startDate, command.endDate);
      return [
        {
          type: 'PersonLeft',
          data: {
            personId: person.personId,
            endDate: command.endDate,
            ...(command.reason ? { reason: command.reason } : {}),
            leftAt: command.at,
            actor: command.actor,
          },
        },
      ];
    }
  }
}

function changed(
  command: { personId: string; at: string; actor: Actor },
  changes: PersonDetailChanges,
): PersonEvent & { data: PersonDetailsChangedData } {
  return {
    type: 'PersonDetailsChanged',
    data: { personId: command.personId, changes, changedAt: command.at, actor: command.actor },
  };
}
