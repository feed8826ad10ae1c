import { DomainError } from '@attest/decider';
import type { ImplementationStatus } from './control-events';

export const IMPLEMENTATION_STATUSES: readonly ImplementationStatus[] = [
  'not-started',
  'in-progress',
  'implemented',
];

/**
 * The implementation status moves one step at a time:
 *
 * | from        | to          | allowed                                                        |
 * | ----------- | ----------- | -------------------------------------------------------------- |
 * | not-started | in-progress | yes                                                            |
 * | in-progress | implemented | yes, with `implementedOn` (the date it started operating) and |
 * |             |             | an owner assigned (`owner-required` otherwise)                 |
 * | implemented | in-progress | yes, with a reason (`notes`): it stopped operating as designed |
 * | in-progress | not-started | yes, with a reason (`notes`): the work was stopped             |
 * | not-started | implemented | no: it passes through in-progress                              |
 * | implemented | not-started | no: it passes through in-progress                              |
 *
 * A control marked not applicable keeps its status and cannot change it until the decision is revoked.
 */
export const IMPLEMENTATION_TRANSITIONS: Readonly<
  Record<ImplementationStatus, Partial<Record<ImplementationStatus, 'forward' | 'back-with-reason'>>>
> = {
  'not-started': { 'in-progress': 'forward' },
  'in-progress': { implemented: 'forward', 'not-started': 'back-with-reason' },
  implemented: { 'in-progress': 'back-with-reason' },
};

/** Refuses a transition the table does not allow: `status-unchanged`, `invalid-transition`, `reason-required`. */
export function assertTransition(
  from: ImplementationStatus,
  to: ImplementationStatus,
  notes: string | undefined,
): 'forward' | 'back-with-reason' {
  if (from === to) throw new DomainError('status-unchanged', `the control is already ${to}`, { status: to });
  const kind = IMPLEMENTATION_TRANSITIONS[from][to];
  if (!kind)
    throw new DomainError('invalid-transition', `a control cannot go from ${from} to ${to}`, {
      from,
      to,
      allowed: Object.keys(IMPLEMENTATION_TRANSITIONS[from]),
    });
  if (kind === 'back-with-reason' && !notes?.trim())
    throw new DomainError('reason-required', `going back from ${from} to ${to} needs a reason in notes`, {
      from,
      to,
    });
  return kind;
}
