import type { INestApplication } from '@nestjs/common';
import type { Pool } from 'pg';
import { sqlIdent } from '@attest/event-store';
import { cursorKey, keyPart } from '../http/pagination';
import type { Principal } from '../identity/principal';
import { principalOf } from '../identity/request-principal';

/** One request a principal made through an engagement grant. */
export interface AuditorAccess {
  accessId: number;
  tenantId: string;
  /** The engagement whose grant the request used (null: the route named none and several grants applied). */
  engagementId: string | null;
  actorId: string;
  email: string | null;
  method: string;
  /** The route template, e.g. `/v1/engagements/:engagementId/requests`. */
  route: string;
  /** The path requested (no query). */
  path: string;
  status: number;
  at: string;
}

/** Newest first: `(at, accessId)` descending. */
export type AuditorAccessSortKey = [at: string, accessId: number];
export const auditorAccessSortKey = (a: AuditorAccess): AuditorAccessSortKey => [a.at, a.accessId];
export const isAuditorAccessSortKey = cursorKey<AuditorAccessSortKey>(
  keyPart.instant,
  keyPart.integer(1, Number.MAX_SAFE_INTEGER),
);

/** Whether the principal acts in its tenant only through a grant (an auditor of a CPA firm, not the company). */
export function actsThroughGrant(principal: Principal): boolean {
  const here = principal.memberships.filter((m) => m.tenant === principal.tenant);
  return here.length > 0 && here.every((m) => m.source === 'grant');
}

/**
 * The record of every request an auditor makes into a client's tenant through an engagement grant — reads and
 * writes, answered or refused — in `<schema>.auditor_access`, for the company to review. Not events: requests are
 * not domain facts, and the log must hold refused ones too.
 */
export class AuditorAccessLog {
  private readonly table: string;

  constructor(
    private readonly pool: Pool,
    readonly schema: string,
  ) {
    this.table = `${sqlIdent(schema)}.auditor_access`;
  }

  async setUp(): Promise<void> {
    await this.pool.query(`CREATE SCHEMA IF NOT EXISTS ${sqlIdent(this.schema)}`);
    await this.pool.query(`CREATE TABLE IF NOT EXISTS ${this.table} (
      access_id bigserial PRIMARY KEY,
      tenant_id text NOT NULL,
      engagement_id text,
      actor_id text NOT NULL,
      email text,
      method text NOT NULL,
      route text NOT NULL,
      path text NOT NULL,
      status integer NOT NULL,
      at timestamptz NOT NULL)`);
    await this.pool.query(
      `CREATE INDEX IF NOT EXISTS auditor_access_by_engagement ON ${this.table}
       (tenant_id, engagement_id, at DESC, access_id DESC)`,
    );
  }

  async record(entry: Omit<AuditorAccess, 'accessId'>): Promise<void> {
    await this.pool.query(
      `INSERT INTO ${this.table} (tenant_id, engagement_id, actor_id, email, method, route, path, status, at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        entry.tenantId,
        entry.engagementId,
        entry.actorId,
        entry.email,
        entry.method,
        entry.route,
        entry.path,
        entry.status,
        entry.at,
      ],
    );
  }

  /** The tenant's log, newest first, of one engagement or (engagementId undefined) of all. */
  async list(
    tenantId: string,
    filter: { engagementId?: string },
    page: { after?: AuditorAccessSortKey; limit: number },
  ): Promise<AuditorAccess[]> {
    const [at, accessId] = page.after ?? [null, null];
    const r = await this.pool.query<AccessRow>(
      `SELECT * FROM ${this.table}
       WHERE tenant_id = $1 AND ($2::text IS NULL OR engagement_id = $2)
         AND ($3::timestamptz IS NULL OR (at, access_id) < ($3::timestamptz, $4::bigint))
       ORDER BY at DESC, access_id DESC LIMIT $5`,
      [tenantId, filter.engagementId ?? null, at, accessId, page.limit],
    );
    return r.rows.map((row) => ({
      accessId: Number(row.access_id),
      tenantId: row.tenant_id,
      engagementId: row.engagement_id,
      actorId: row.actor_id,
      email: row.email,
      method: row.method,
      route: row.route,
      path: row.path,
      status: row.status,
      at: row.at.toISOString(),
    }));
  }
}

interface AccessRow {
  access_id: string;
  tenant_id: string;
  engagement_id: string | null;
  actor_id: string;
  email: string | null;
  method: string;
  route: string;
  path: string;
  status: number;
  at: Date;
}

interface HttpRequest {
  method: string;
  originalUrl?: string;
  url: string;
  route?: { path?: string };
  params?: Record<string, string | undefined>;
}
interface HttpResponse {
  statusCode: number;
  once(event: 'finish', listener: () => void): void;
}

/**
 * Records, once each answer is sent (whatever its status), every request of a principal acting through an
 * engagement grant into `log`. Installed as Express middleware before the app initialises (so before every route):
 * the principal, which the authentication guard attaches later, is read when the response finishes. A failure to
 * record is reported to `onError` (the answer has left by then). A request naming an engagement the auditor holds
 * no grant for is answered 404 before any principal exists, so it is not the client's to review.
 */
export function recordAuditorAccess(
  app: INestApplication,
  log: AuditorAccessLog,
  onError: (error: unknown) => void,
): void {
  app.use((request: HttpRequest, response: HttpResponse, next: () => void) => {
    response.once('finish', () => {
      const principal = principalOf(request);
      if (!principal || !actsThroughGrant(principal)) return;
      const grants = principal.memberships.filter((m) => m.tenant === principal.tenant);
      const engagementId =
        request.params?.['engagementId'] ?? (grants.length === 1 ? (grants[0].engagementId ?? null) : null);
      log
        .record({
          tenantId: principal.tenant,
          engagementId,
          actorId: principal.actorId,
          email: principal.email ?? null,
          method: request.method,
          route: request.route?.path ?? '(no route)',
          path: (request.originalUrl ?? request.url).split('?')[0],
          status: response.statusCode,
          at: new Date().toISOString(),
        })
        .catch(onError);
    });
    next();
  });
}
