import { Inject, Injectable } from '@nestjs/common';
import { ERASED_VALUE } from '@attest/event-contracts';
import { sqlIdent } from '@attest/event-store';
import {
  personNotFound,
  type DirectoryEntry,
  type ObligatedPerson,
  type Person,
  type PolicyAcceptanceRecord,
} from '@attest/people-domain';
import { CONTROL_MAPPING_OPTIONS, READ_MODEL_SCHEMA, type ResolvedOptions } from '../control-mapping-options';
import type { PageRead, Versioned } from '../read-model/control-mapping-read-model';

export type PersonStatus = 'active' | 'left';

/** A person as the API shows them: their record, whether they have left (by today's date), and their departure. */
export interface PersonView {
  personId: string;
  employeeNumber?: string;
  displayName: string;
  email: string;
  employmentType: Person['employmentType'];
  startDate: string;
  endDate?: string;
  departureReason?: string;
  managerPersonId?: string;
  role: string;
  department: string;
  subjectId?: string;
  status: PersonStatus;
  joinedAt: string;
}

function viewOf(person: Person, today: string): PersonView {
  const { kind: _kind, departure, ...record } = person;
  return {
    ...record,
    ...(departure ? { endDate: departure.endDate } : {}),
    ...(departure?.reason ? { departureReason: departure.reason } : {}),
    status: departure && departure.endDate <= today ? 'left' : 'active',
  };
}

const s = sqlIdent(READ_MODEL_SCHEMA);

/** Queries over the people directory (and the acceptance records obligations are computed from), per tenant. */
@Injectable()
export class PeopleReadModel {
  constructor(@Inject(CONTROL_MAPPING_OPTIONS) private readonly options: ResolvedOptions) {}

  private get pool() {
    return this.options.pool;
  }

  /** The person with their ETag; `today` (YYYY-MM-DD) says whether they have left. */
  async person(tenantId: string, personId: string, today: string): Promise<Versioned<PersonView>> {
    const r = await this.pool.query<{ state: Person; stream_version: number }>(
      `SELECT state, stream_version FROM ${s}.people WHERE tenant_id = $1 AND person_id = $2`,
      [tenantId, personId],
    );
    if (!r.rows[0]) throw personNotFound(personId);
    return { view: viewOf(r.rows[0].state, today), version: r.rows[0].stream_version };
  }

  async exists(tenantId: string, personId: string): Promise<boolean> {
    const r = await this.pool.query(`SELECT 1 FROM ${s}.people WHERE tenant_id = $1 AND person_id = $2`, [
      tenantId,
      personId,
    ]);
    return r.rowCount === 1;
  }

  /** The directory by name (then id), of one status if asked, a page at a time. */
  async people(
    tenantId: string,
    filter: { status?: PersonStatus; today: string },
    page: PageRead<readonly [string, string]>,
  ): Promise<PersonView[]> {
    const params: unknown[] = [tenantId];
    const conditions = ['tenant_id = $1'];
    if (filter.status === 'left')
      conditions.push(`end_date IS NOT NULL AND end_date <= $${params.push(filter.today)}`);
    if (filter.status === 'active')
      conditions.push(`(end_date IS NULL OR end_date > $${params.push(filter.today)})`);
    if (page.after)
      conditions.push(
        `(display_name, person_id) > ($${params.push(page.after[0])}, $${params.push(page.after[1])})`,
      );
    const r = await this.pool.query<{ state: Person }>(
      `SELECT state FROM ${s}.people WHERE ${conditions.join(' AND ')}
       ORDER BY display_name, person_id LIMIT $${params.push(page.limit)}`,
      params,
    );
    return r.rows.map((row) => viewOf(row.state, filter.today));
  }

  /**
   * Who holds these identifiers (for uniqueness); with none given, everyone (an import matches its rows against the
   * whole directory). Erased values identify nobody.
   */
  async directory(
    tenantId: string,
    ids: { email?: string; employeeNumber?: string } = {},
  ): Promise<DirectoryEntry[]> {
    const some = ids.email !== undefined || ids.employeeNumber !== undefined;
    const r = await this.pool.query<{ person_id: string; email: string; employee_number: string | null }>(
      `SELECT person_id, email, employee_number FROM ${s}.people
       WHERE tenant_id = $1 AND (NOT $2 OR email = $3 OR employee_number = $4)`,
      [tenantId, some, ids.email ?? null, ids.employeeNumber ?? null],
    );
    return r.rows.map((row) => ({
      personId: row.person_id,
      email: row.email === ERASED_VALUE ? '' : row.email,
      ...(row.employee_number && row.employee_number !== ERASED_VALUE
        ? { employeeNumber: row.employee_number }
        : {}),
    }));
  }

  /** The person a signed-in user is, by the identity provider's subject recorded on their record. */
  async personForSubject(
    tenantId: string,
    subjectId: string,
  ): Promise<{ personId: string; displayName: string; email: string } | undefined> {
    const r = await this.pool.query<{ person_id: string; display_name: string; email: string }>(
      `SELECT person_id, display_name, email FROM ${s}.people WHERE tenant_id = $1 AND subject_id = $2
       ORDER BY person_id LIMIT 1`,
      [tenantId, subjectId],
    );
    const row = r.rows[0];
    return row && { personId: row.person_id, displayName: row.display_name, email: row.email };
  }

  /** Everyone of the directory, as acceptance obligations see them. */
  async obligatedPeople(tenantId: string): Promise<ObligatedPerson[]> {
    const r = await this.pool.query<{ state: Person }>(`SELECT state FROM ${s}.people WHERE tenant_id = $1`, [
      tenantId,
    ]);
    return r.rows.map(({ state: p }) => ({
      personId: p.personId,
      startDate: p.startDate,
      ...(p.departure ? { endDate: p.departure.endDate } : {}),
      role: p.role,
      department: p.department,
      employmentType: p.employmentType,
    }));
  }

  /** Every acceptance of the tenant's policies (the policies projection's records). */
  async acceptances(tenantId: string): Promise<PolicyAcceptanceRecord[]> {
    const r = await this.pool.query<{
      policy_id: string;
      version: string;
      person_id: string;
      accepted_at: string;
    }>(
      `SELECT policy_id, version, person_id, accepted_at FROM ${s}.policy_acceptances WHERE tenant_id = $1`,
      [tenantId],
    );
    return r.rows.map((row) => ({
      policyId: row.policy_id,
      version: row.version,
      personId: row.person_id,
      acceptedAt: row.accepted_at,
    }));
  }
}
