import type { PoolClient } from 'pg';
import { evolvePerson, type Person, type PersonEvent, type PersonState } from '@attest/people-domain';
import { sqlIdent, type Projection } from '@attest/event-store';
import {
  dropOutdatedTables,
  foldStateRow,
  markTables,
  versioned,
} from '../read-model/control-mapping-projections';

/**
 * The people directory: one row per person with their record as the domain folds it (`state`), plus the columns
 * the API filters and looks people up by (e-mail address, employee number, identity-provider subject, end date).
 * Values are revealed (or `[erased]` once a person is forgotten). Keyed by tenant first.
 */
export function peopleProjection(): Projection {
  const tables = ['people'];
  return {
    name: versioned('people'),
    eventTypes: ['PersonJoined', 'PersonDetailsChanged', 'PersonLeft'],
    async setup(tx, schema) {
      const s = sqlIdent(schema);
      await dropOutdatedTables(tx, schema, tables);
      // Dates are YYYY-MM-DD text: they order as text, and "left" compares end_date with today's date.
      await tx.query(`CREATE TABLE IF NOT EXISTS ${s}.people (
        tenant_id text NOT NULL,
        person_id text NOT NULL,
        display_name text NOT NULL,
        email text NOT NULL,
        employee_number text,
        subject_id text,
        end_date text,
        state jsonb NOT NULL,
        updated_at timestamptz NOT NULL,
        stream_version integer NOT NULL,
        PRIMARY KEY (tenant_id, person_id))`);
      await tx.query(
        `CREATE INDEX IF NOT EXISTS people_by_name ON ${s}.people (tenant_id, display_name, person_id)`,
      );
      await tx.query(`CREATE INDEX IF NOT EXISTS people_by_email ON ${s}.people (tenant_id, email)`);
      await tx.query(`CREATE INDEX IF NOT EXISTS people_by_subject ON ${s}.people (tenant_id, subject_id)`);
      await markTables(tx, schema, tables);
    },
    async reset(tx, schema) {
      await tx.query(`TRUNCATE ${sqlIdent(schema)}.people`);
    },
    async apply(tx, schema, events) {
      const s = sqlIdent(schema);
      for (const e of events) {
        const personId = (e.data as { personId: string }).personId;
        const state = await foldStateRow<PersonState, PersonEvent>(
          tx,
          `${s}.people`,
          'person_id',
          personId,
          e,
          evolvePerson,
        );
        if (state.kind === 'person')
          await writePerson(tx, s, e.tenantId, state, e.recordedAt, e.streamVersion);
      }
    },
  };
}

async function writePerson(
  tx: PoolClient,
  s: string,
  tenantId: string,
  person: Person,
  recordedAt: string,
  streamVersion: number,
): Promise<void> {
  await tx.query(
    `INSERT INTO ${s}.people (tenant_id, person_id, display_name, email, employee_number, subject_id, end_date,
       state, updated_at, stream_version)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT (tenant_id, person_id) DO UPDATE SET display_name = EXCLUDED.display_name,
       email = EXCLUDED.email, employee_number = EXCLUDED.employee_number, subject_id = EXCLUDED.subject_id,
       end_date = EXCLUDED.end_date, state = EXCLUDED.state, updated_at = EXCLUDED.updated_at,
       stream_version = EXCLUDED.stream_version`,
    [
      tenantId,
      person.personId,
      person.displayName,
      person.email,
      person.employeeNumber ?? null,
      person.subjectId ?? null,
      person.departure?.endDate ?? null,
      JSON.stringify(person),
      recordedAt,
      streamVersion,
    ],
  );
}
