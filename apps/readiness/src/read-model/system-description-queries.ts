import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { Actor, SystemDescription } from '@attest/readiness-domain';
import { cursorKey, keyPart } from '@attest/service-kit';
import { READ_MODEL_SCHEMA, READINESS_POOL } from '../readiness-options';
import type { PageRead } from './readiness-queries';

const S = READ_MODEL_SCHEMA;

/** The revisions, newest first: by revision descending. */
export type RevisionKey = [revision: number];
export const isRevisionKey = cursorKey<RevisionKey>(keyPart.integer(0, 2_147_483_647));

export interface SystemDescriptionRevisionRow {
  assessmentId: string;
  revision: number;
  systemDescription: SystemDescription;
  changeSummary: string | null;
  revisedAt: string;
  revisedBy: Actor;
}

/** The system description revisions of an assessment, always within one tenant. */
@Injectable()
export class SystemDescriptionQueries {
  constructor(@Inject(READINESS_POOL) private readonly pool: Pool) {}

  /** The current revision and the assessment's stream version (its ETag); null when the tenant has no such assessment. */
  async current(
    tenantId: string,
    assessmentId: string,
  ): Promise<{ revision: SystemDescriptionRevisionRow; version: number } | null> {
    const r = await this.pool.query(
      `SELECT r.*, a.stream_version FROM ${S}.assessments a
       JOIN ${S}.system_description_revisions r USING (tenant_id, assessment_id)
       WHERE a.tenant_id = $1 AND a.assessment_id = $2
       ORDER BY r.revision DESC LIMIT 1`,
      [tenantId, assessmentId],
    );
    const row = r.rows[0];
    return row ? { revision: revisionRow(row), version: row.stream_version } : null;
  }

  /** A page of the revisions, newest first; null when the tenant has no such assessment. */
  async revisions(
    tenantId: string,
    assessmentId: string,
    page: PageRead<RevisionKey>,
  ): Promise<SystemDescriptionRevisionRow[] | null> {
    const exists = await this.pool.query(
      `SELECT 1 FROM ${S}.assessments WHERE tenant_id = $1 AND assessment_id = $2`,
      [tenantId, assessmentId],
    );
    if (exists.rowCount === 0) return null;
    const [before] = page.after ?? [null];
    const r = await this.pool.query(
      `SELECT * FROM ${S}.system_description_revisions
       WHERE tenant_id = $1 AND assessment_id = $2 AND ($3::int IS NULL OR revision < $3::int)
       ORDER BY revision DESC LIMIT $4`,
      [tenantId, assessmentId, before, page.limit],
    );
    return r.rows.map(revisionRow);
  }
}

function revisionRow(row: Record<string, never>): SystemDescriptionRevisionRow {
  return {
    assessmentId: row['assessment_id'],
    revision: row['revision'],
    systemDescription: row['system_description'],
    changeSummary: row['change_summary'],
    revisedAt: new Date(row['revised_at']).toISOString(),
    revisedBy: row['revised_by'],
  };
}
