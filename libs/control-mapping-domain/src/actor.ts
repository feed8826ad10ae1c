/** Who caused an event, as every control-mapping payload names it (`actor` in the contract schemas). */
export interface Actor {
  type: 'user' | 'api-client' | 'system';
  id: string;
  displayName?: string;
}

/** A person of the organization's people directory (owner, approver, acceptor). */
export interface Person {
  personId: string;
  displayName?: string;
  email?: string;
}

/** The actor of reactions to readiness events (remediation progress), documented in the README. */
export const READINESS_SYSTEM_ACTOR: Actor = {
  type: 'system',
  id: 'system:readiness',
  displayName: 'Readiness remediation',
};

/** The calendar date (YYYY-MM-DD, UTC) of an ISO 8601 time. */
export function dateOf(isoTime: string): string {
  return new Date(isoTime).toISOString().slice(0, 10);
}
