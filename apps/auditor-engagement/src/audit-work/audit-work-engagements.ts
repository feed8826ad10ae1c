import { Injectable } from '@nestjs/common';
import { engagementNotFound } from '@attest/engagement-domain';
import { EngagementReadModel } from '../read-model/engagement-read-model';
import type { AuditedEngagement } from './audit-work-engagement';

/** Engagement statuses in which requests still answer themselves: before the report. */
const OPEN_STATUSES = ['planned', 'fieldwork'] as const;

/**
 * The engagements as the audit work reads them: the engagement with its firm (name, sample-size table) and its
 * invited auditors, from the engagements' read model, within one tenant. An auditor acting through a grant reaches
 * only the engagement of the grant (the guard refused the others before any handler ran).
 */
@Injectable()
export class AuditWorkEngagements {
  constructor(private readonly engagements: EngagementReadModel) {}

  async of(tenantId: string, engagementId: string): Promise<AuditedEngagement> {
    const engagement = await this.engagements.engagement(tenantId, engagementId);
    const firm = engagement && (await this.engagements.firm(tenantId, engagement.firmId));
    if (!engagement || !firm) throw engagementNotFound(engagementId);
    return {
      engagementId,
      name: engagement.name,
      type: engagement.type,
      ...(engagement.asOf === undefined ? {} : { asOf: engagement.asOf }),
      ...(engagement.window === undefined ? {} : { window: engagement.window }),
      status: engagement.status,
      scope: engagement.scope,
      firm: { firmId: firm.firmId, name: firm.name, sampleSizeTable: firm.sampleSizeTable },
      auditors: engagement.auditors.map(({ name, role }) => ({ name, role })),
      reportId: engagement.reports[engagement.reports.length - 1]?.reportId,
    };
  }

  /** The tenant's engagements whose requests may still answer themselves. */
  async openFor(tenantId: string): Promise<AuditedEngagement[]> {
    const open: AuditedEngagement[] = [];
    for (const status of OPEN_STATUSES)
      for (let after: [string, string] | undefined; ;) {
        const page = await this.engagements.engagements(tenantId, { status }, { after, limit: 500 });
        for (const e of page) open.push(await this.of(tenantId, e.engagementId));
        if (page.length < 500) break;
        after = [page[page.length - 1].plannedAt, page[page.length - 1].engagementId];
      }
    return open;
  }
}
