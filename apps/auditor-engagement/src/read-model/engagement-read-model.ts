import type { Pool } from 'pg';
import type {
  Actor,
  DateWindow,
  EngagementStatus,
  EngagementType,
  EngagementWarning,
  FirmAuditor,
  IssuedFile,
  SampleSizeTable,
  Scope,
} from '@attest/engagement-domain';
import { sqlIdent } from '@attest/event-store';
import { cursorKey, keyPart } from '@attest/service-kit';

export interface FirmView {
  firmId: string;
  name: string;
  sampleSizeTable: SampleSizeTable;
  auditors: FirmAuditor[];
  registeredAt: string;
  registeredBy: Actor;
  version: number;
}

export interface EngagementView {
  engagementId: string;
  firmId: string;
  name: string;
  type: EngagementType;
  asOf?: string;
  window?: DateWindow;
  warnings: EngagementWarning[];
  scope: Scope;
  status: EngagementStatus;
  /** `acceptedAt`: once the auditor accepted the invitation (what other services admit them by). */
  auditors: (FirmAuditor & { invitedAt: string; acceptedAt?: string })[];
  reports: { reportId: string; files: IssuedFile[]; issuedAt: string }[];
  plannedAt: string;
  plannedBy: Actor;
  version: number;
}

/** Lists in creation order: `(registeredAt | plannedAt, id)`. */
export type CreatedSortKey = [at: string, id: string];
export const isCreatedSortKey = cursorKey<CreatedSortKey>(keyPart.text, keyPart.text);
export const firmSortKey = (f: FirmView): CreatedSortKey => [f.registeredAt, f.firmId];
export const engagementSortKey = (e: EngagementView): CreatedSortKey => [e.plannedAt, e.engagementId];

/** Queries over firms and engagements (schema `engagement_read`), always within one tenant. */
export class EngagementReadModel {
  private readonly s: string;

  constructor(
    private readonly db: Pick<Pool, 'query'>,
    schema: string,
  ) {
    this.s = sqlIdent(schema);
  }

  async firm(tenantId: string, firmId: string): Promise<FirmView | null> {
    const r = await this.db.query<FirmRow>(
      `SELECT * FROM ${this.s}.firms WHERE tenant_id = $1 AND firm_id = $2`,
      [tenantId, firmId],
    );
    return r.rows[0] ? firmView(r.rows[0]) : null;
  }

  async firms(tenantId: string, page: { after?: CreatedSortKey; limit: number }): Promise<FirmView[]> {
    const [at, id] = page.after ?? [null, null];
    const r = await this.db.query<FirmRow>(
      `SELECT * FROM ${this.s}.firms WHERE tenant_id = $1
         AND ($2::text IS NULL OR (registered_at COLLATE "C", firm_id COLLATE "C") > ($2::text, $3::text))
       ORDER BY registered_at COLLATE "C", firm_id COLLATE "C" LIMIT $4`,
      [tenantId, at, id, page.limit],
    );
    return r.rows.map(firmView);
  }

  async engagement(tenantId: string, engagementId: string): Promise<EngagementView | null> {
    const r = await this.db.query<EngagementRow>(
      `SELECT * FROM ${this.s}.engagements WHERE tenant_id = $1 AND engagement_id = $2`,
      [tenantId, engagementId],
    );
    return r.rows[0] ? engagementView(r.rows[0]) : null;
  }

  /** The tenant's engagements in planning order; `engagementIds` limits them (an auditor's grants). */
  async engagements(
    tenantId: string,
    filter: { status?: EngagementStatus; engagementIds?: readonly string[] },
    page: { after?: CreatedSortKey; limit: number },
  ): Promise<EngagementView[]> {
    const [at, id] = page.after ?? [null, null];
    const r = await this.db.query<EngagementRow>(
      `SELECT * FROM ${this.s}.engagements WHERE tenant_id = $1
         AND ($2::text IS NULL OR status = $2)
         AND ($3::text[] IS NULL OR engagement_id = ANY($3::text[]))
         AND ($4::text IS NULL OR (planned_at COLLATE "C", engagement_id COLLATE "C") > ($4::text, $5::text))
       ORDER BY planned_at COLLATE "C", engagement_id COLLATE "C" LIMIT $6`,
      [tenantId, filter.status ?? null, filter.engagementIds ?? null, at, id, page.limit],
    );
    return r.rows.map(engagementView);
  }
}

interface FirmRow {
  firm_id: string;
  name: string;
  sample_size_table: SampleSizeTable;
  auditors: FirmAuditor[];
  registered_at: string;
  registered_by: Actor;
  stream_version: number;
}

function firmView(row: FirmRow): FirmView {
  return {
    firmId: row.firm_id,
    name: row.name,
    sampleSizeTable: row.sample_size_table,
    auditors: row.auditors,
    registeredAt: row.registered_at,
    registeredBy: row.registered_by,
    version: row.stream_version,
  };
}

interface EngagementRow {
  engagement_id: string;
  firm_id: string;
  name: string;
  type: EngagementType;
  as_of: string | null;
  observation_window: DateWindow | null;
  warnings: EngagementWarning[];
  scope: Scope;
  status: EngagementStatus;
  auditors: EngagementView['auditors'];
  reports: EngagementView['reports'];
  planned_at: string;
  planned_by: Actor;
  stream_version: number;
}

function engagementView(row: EngagementRow): EngagementView {
  return {
    engagementId: row.engagement_id,
    firmId: row.firm_id,
    name: row.name,
    type: row.type,
    ...(row.as_of === null ? {} : { asOf: row.as_of }),
    ...(row.observation_window === null ? {} : { window: row.observation_window }),
    warnings: row.warnings,
    scope: row.scope,
    status: row.status,
    auditors: row.auditors,
    reports: row.reports,
    plannedAt: row.planned_at,
    plannedBy: row.planned_by,
    version: row.stream_version,
  };
}
