import { audienceIncludes, type EmploymentType, type PolicyAudience } from '@attest/control-mapping-domain';
import { addCalendarMonths } from '@attest/deadlines';
import { addDays, dateOf } from './calendar';

/** What the obligations need to know about a person of the directory. */
export interface ObligatedPerson {
  personId: string;
  startDate: string;
  endDate?: string;
  role: string;
  department: string;
  employmentType: EmploymentType;
}

/** A policy with a version in force, and who must accept it. */
export interface PublishedPolicy {
  policyId: string;
  title: string;
  audience: PolicyAudience;
  publishedVersion: string;
  contentSha256: string;
  /** When the version in force was published (ISO 8601). */
  publishedAt: string;
}

export interface PolicyAcceptanceRecord {
  policyId: string;
  version: string;
  personId: string;
  acceptedAt: string;
}

export interface AcceptanceObligationConfig {
  /** Days a person has to accept: after starting (or the publication, if later), a new version, or the yearly renewal opening. */
  joinerAcceptanceDays: number;
  /** Months after a person's last acceptance of a policy when they must accept it again. */
  reacceptanceMonths: number;
}

export const DEFAULT_ACCEPTANCE_OBLIGATION_CONFIG: AcceptanceObligationConfig = {
  joinerAcceptanceDays: 30,
  reacceptanceMonths: 12,
};

export type AcceptanceObligationStatus = 'pending' | 'overdue' | 'satisfied';

/** One person's obligation to accept the version in force of one policy. */
export interface AcceptanceObligation {
  personId: string;
  policyId: string;
  version: string;
  /** YYYY-MM-DD: the last day to accept (for a satisfied obligation, of the next acceptance). */
  dueDate: string;
  status: AcceptanceObligationStatus;
  /** Their last acceptance of the policy, any version. */
  lastAcceptedAt?: string;
}

export interface AcceptanceObligationInput {
  people: ObligatedPerson[];
  policies: PublishedPolicy[];
  acceptances: PolicyAcceptanceRecord[];
  config: AcceptanceObligationConfig;
  now: Date | string;
}

/**
 * Who must accept which policy, and by when (calendar dates, UTC). Each policy with a version in force binds the
 * people its audience includes, except those whose end date has come. An obligation opens on a day and is due
 * `joinerAcceptanceDays` after it; it is overdue from the day after:
 *
 * - never accepted the policy: opens on their start date, or the publication day of the version in force if later;
 * - accepted the version in force: opens `reacceptanceMonths` after their last acceptance (any version) — until
 *   then it is satisfied;
 * - accepted only an older version: opens on the publication day of the version in force (their start date if
 *   later), or the yearly renewal day if that comes first.
 *
 * Sorted by due date, then person, then policy.
 */
export function acceptanceObligations(input: AcceptanceObligationInput): AcceptanceObligation[] {
  const { config } = input;
  const today = dateOf(input.now);
  const lastAcceptance = new Map<string, { at: string; versions: Set<string> }>();
  for (const a of input.acceptances) {
    const key = `${a.personId}|${a.policyId}`;
    const seen = lastAcceptance.get(key) ?? { at: a.acceptedAt, versions: new Set<string>() };
    seen.versions.add(a.version);
    if (a.acceptedAt > seen.at) seen.at = a.acceptedAt;
    lastAcceptance.set(key, seen);
  }

  const obligations: AcceptanceObligation[] = [];
  for (const person of input.people) {
    if (person.endDate !== undefined && person.endDate <= today) continue;
    for (const policy of input.policies) {
      if (!audienceIncludes(policy.audience, person)) continue;
      const published = dateOf(policy.publishedAt);
      const firstDay = person.startDate > published ? person.startDate : published;
      const last = lastAcceptance.get(`${person.personId}|${policy.policyId}`);
      let opens = firstDay;
      let owed = true;
      if (last) {
        const renewal = addCalendarMonths(dateOf(last.at), config.reacceptanceMonths);
        if (last.versions.has(policy.publishedVersion)) {
          opens = renewal;
          owed = today >= renewal;
        } else if (renewal < firstDay) opens = renewal;
      }
      const dueDate = addDays(opens, config.joinerAcceptanceDays);
      obligations.push({
        personId: person.personId,
        policyId: policy.policyId,
        version: policy.publishedVersion,
        dueDate,
        status: !owed ? 'satisfied' : today > dueDate ? 'overdue' : 'pending',
        ...(last ? { lastAcceptedAt: last.at } : {}),
      });
    }
  }
  return obligations.sort(
    (a, b) =>
      compare(a.dueDate, b.dueDate) || compare(a.personId, b.personId) || compare(a.policyId, b.policyId),
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
