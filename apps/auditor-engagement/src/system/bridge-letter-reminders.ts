import { Injectable } from '@nestjs/common';
import type { CommandContext } from '@attest/command-pipeline';
import { DomainError } from '@attest/decider';
import { bridgeLetterRequestId } from '@attest/engagement-domain';
import { AuditWorkEngagements } from '../audit-work/audit-work-engagements';
import type { RequestView } from '../audit-work/audit-work-views';
import { RequestList } from '../audit-work/request-list';

/**
 * The reminder the audit lifecycle sends a while after an issued Type II report (its bridge-letter reminder): a
 * request on the engagement's list, due like any other, asking management for the bridge letter that covers the days
 * since the window's end. The request is the reminder's record: the company sees it with the others, the deadline
 * sweep marks it overdue, and its id derives from (engagement, window end), so a repeated reminder finds it.
 *
 * The request is the auditor-wide kind (origin `auditor`, no control) marked `raisedFor: bridge-letter`:
 * RequestCreated.v1's origin enum is closed, its `raisedFor` extensible.
 * Nothing answers it by itself; management issues the letter (POST …/bridge-letter) and answers the request.
 */
@Injectable()
export class BridgeLetterReminders {
  constructor(
    private readonly requests: RequestList,
    private readonly engagements: AuditWorkEngagements,
  ) {}

  /** Raises the engagement's bridge-letter request; answers it and whether this call created it. */
  async remind(
    context: CommandContext,
    engagementId: string,
  ): Promise<{ request: RequestView; created: boolean }> {
    const engagement = await this.engagements.of(context.tenantId, engagementId);
    // The engagement decider's rule for the letter itself (IssueBridgeLetter): only after a Type II report.
    if (engagement.type !== 'type-2' || engagement.status !== 'issued' || !engagement.window)
      throw new DomainError(
        'bridge-letter-not-allowed',
        'a bridge letter follows the issued report of a Type II engagement',
        { engagementId, type: engagement.type, status: engagement.status },
      );
    const coveredUntil = engagement.window.to;
    const requestId = bridgeLetterRequestId(engagementId, coveredUntil);
    const created = await this.requests.createAll(context, engagement, [
      {
        requestId,
        origin: 'auditor',
        raisedFor: 'bridge-letter',
        title: `Management's bridge letter for the days after ${coveredUntil}`,
        description:
          `The report on ${engagement.name} covers the period up to ${coveredUntil}. Issue management's bridge ` +
          'letter for the days since then (POST …/bridge-letter), so readers of the report see no gap until the ' +
          'next report.',
        owner: {},
        evidence: [],
      },
    ]);
    return {
      request: await this.requests.requestOf(context.tenantId, engagementId, requestId),
      created: created.length > 0,
    };
  }
}
