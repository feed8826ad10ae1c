import { DomainError } from '@attest/decider';

export const EMPLOYMENT_TYPES = ['employee', 'contractor'] as const;
export type EmploymentType = (typeof EMPLOYMENT_TYPES)[number];

/**
 * Who must accept a policy: everyone in the people directory (the default), or the people selected by role,
 * department and/or employment type. A selected person matches every list given (AND across lists) and any value
 * of each list (OR within it): `{ departments: ['engineering'], employmentTypes: ['contractor'] }` is the
 * engineering contractors.
 */
export type PolicyAudience =
  | { scope: 'everyone' }
  | { scope: 'selected'; roles?: string[]; departments?: string[]; employmentTypes?: EmploymentType[] };

/** What a person of the directory is matched on. */
export interface AudienceMember {
  role?: string;
  department?: string;
  employmentType?: EmploymentType;
}

/** Roles and departments are names people type: compared trimmed and case-insensitively. */
const key = (name: string) => name.trim().toLowerCase();

/** A list without blanks, each value trimmed, once, sorted. */
function sortedUnique<T extends string>(values: readonly T[] | undefined): T[] {
  return [...new Set((values ?? []).map((v) => v.trim() as T).filter((v) => v !== ''))].sort();
}

/**
 * The audience in one canonical form (lists trimmed, without blanks, deduplicated, sorted; empty lists dropped), so two ways of
 * writing the same audience compare equal. A selection that selects nothing is refused (`audience-empty`).
 */
export function normalizeAudience(audience: PolicyAudience): PolicyAudience {
  if (audience.scope === 'everyone') return { scope: 'everyone' };
  const lists = {
    roles: sortedUnique(audience.roles),
    departments: sortedUnique(audience.departments),
    employmentTypes: sortedUnique(audience.employmentTypes),
  };
  const given = Object.entries(lists).filter(([, values]) => values.length > 0);
  if (given.length === 0)
    throw new DomainError(
      'audience-empty',
      'a selected audience names at least one role, department or employment type',
    );
  return { scope: 'selected', ...Object.fromEntries(given) };
}

export function sameAudience(a: PolicyAudience, b: PolicyAudience): boolean {
  return JSON.stringify(normalizeAudience(a)) === JSON.stringify(normalizeAudience(b));
}

/** Whether a person of the directory is one who must accept a policy with this audience. */
export function audienceIncludes(audience: PolicyAudience, person: AudienceMember): boolean {
  if (audience.scope === 'everyone') return true;
  const matches = (values: readonly string[] | undefined, value: string | undefined) =>
    !values?.length || (value !== undefined && values.some((v) => key(v) === key(value)));
  return (
    matches(audience.roles, person.role) &&
    matches(audience.departments, person.department) &&
    matches(audience.employmentTypes, person.employmentType)
  );
}
