import type { Actor, EmploymentType } from '@attest/control-mapping-domain';

/** The stream type of a person of the people directory (stream id = personId). */
export const PERSON_STREAM_TYPE = 'person';

/** What the directory records about a person, as HR knows it. */
export interface PersonDetails {
  /** The person's number in the HR system, when it has one; unique in the organization. */
  employeeNumber?: string;
  displayName: string;
  /** Work e-mail address, lowercase; unique in the organization. */
  email: string;
  employmentType: EmploymentType;
  /** First working day, YYYY-MM-DD. */
  startDate: string;
  managerPersonId?: string;
  role: string;
  department: string;
  /** Their user id at the identity provider (the token's `sub`): links what they do in Attest to this record. */
  subjectId?: string;
}

export interface PersonJoinedData extends PersonDetails {
  personId: string;
  joinedAt: string;
  actor: Actor;
}

/** The new values of the fields that changed; a manager that is no longer there is `null`. */
export type PersonDetailChanges = Partial<Omit<PersonDetails, 'managerPersonId'>> & {
  managerPersonId?: string | null;
};

export interface PersonDetailsChangedData {
  personId: string;
  changes: PersonDetailChanges;
  changedAt: string;
  actor: Actor;
}

export interface PersonLeftData {
  personId: string;
  /** Last working day, YYYY-MM-DD; may lie ahead (notice given). */
  endDate: string;
  reason?: string;
  leftAt: string;
  actor: Actor;
}

type Ev<T extends string, D> = { type: T; data: D };

/** Events of a person's stream (stream type `person`, stream id = personId). */
export type PersonEvent =
  | Ev<'PersonJoined', PersonJoinedData>
  | Ev<'PersonDetailsChanged', PersonDetailsChangedData>
  | Ev<'PersonLeft', PersonLeftData>;
