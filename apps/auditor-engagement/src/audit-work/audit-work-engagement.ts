import type {
  DateWindow,
  EngagementStatus,
  EngagementType,
  SampleSizeTable,
  Scope,
} from '@attest/engagement-domain';
import { DomainError } from '@attest/decider';

/** What the audit work reads of an engagement (from the engagements' read model). */
export interface AuditedEngagement {
  engagementId: string;
  name: string;
  type: EngagementType;
  asOf?: string;
  window?: DateWindow;
  status: EngagementStatus;
  scope: Scope;
  firm: { firmId: string; name: string; sampleSizeTable: SampleSizeTable };
  auditors: { name: string; role: 'lead' | 'staff' }[];
  /** The issued report's id (absent before the issue). */
  reportId?: string;
}

/**
 * The period the engagement's evidence must cover: the Type II window, or the Type I as-of day (evidence covering
 * that day shows the design was in place).
 */
export function periodOf(engagement: AuditedEngagement): DateWindow {
  if (engagement.window) return engagement.window;
  const day = engagement.asOf as string;
  return { from: day, to: day };
}

/** Audit work writes only while the auditors work: fieldwork, and reporting for the last results. */
export function assertWorking(engagement: AuditedEngagement, allowed: readonly EngagementStatus[]): void {
  if (!allowed.includes(engagement.status))
    throw new DomainError(
      'engagement-status-conflict',
      `engagement ${engagement.engagementId} is ${engagement.status}; this needs it ${allowed.join(' or ')}`,
      { engagementId: engagement.engagementId, status: engagement.status },
    );
}

/** A control the engagement does not cover: 404, as the engagement's controls are all the auditor may see. */
export function controlNotInScope(controlId: string): DomainError {
  return new DomainError('control-not-in-scope', `control ${controlId} is not in the engagement's scope`, {
    controlId,
  });
}

export function assertInScope(engagement: AuditedEngagement, controlId: string): void {
  if (!engagement.scope.controlIds.includes(controlId)) throw controlNotInScope(controlId);
}
