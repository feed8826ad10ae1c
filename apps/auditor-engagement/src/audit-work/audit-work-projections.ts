import type { PoolClient } from 'pg';
import type {
  BridgeLetterIssuedData,
  ExceptionRaisedData,
  ManagementResponseRecordedData,
  PopulationFrozenData,
  RequestAcceptedData,
  RequestCommentedData,
  RequestCreatedData,
  RequestOverdueData,
  RequestReturnedData,
  RequestSubmittedData,
  SampleSelectedData,
  TestResultRecordedData,
} from '@attest/engagement-domain';
import { sqlIdent, type Projection, type RecordedEvent } from '@attest/event-store';

/*
 * The read model of the audit work in `engagement_read`: requests, populations, samples, test results with their
 * exceptions, and the bridge letters (the issued documents' bytes are in `engagement_files`, written with the
 * event). Every row is keyed by tenant first; `stream_version` is the aggregate's version (a request's ETag) and
 * guards each update, so an event applied again changes nothing.
 */

/**
 * Requests with their current state: status, the latest submission (what it links, and whether a person or the
 * system answered it: the fulfilment share counts the latter) and every step in `history`, oldest first.
 */
export function auditRequestsProjection(): Projection {
  return {
    name: 'audit-requests',
    eventTypes: [
      'RequestCreated',
      'RequestSubmitted',
      'RequestAccepted',
      'RequestReturned',
      'RequestOverdue',
      'RequestCommented',
    ],
    async setup(tx, schema) {
      const s = sqlIdent(schema);
      await tx.query(`CREATE TABLE IF NOT EXISTS ${s}.audit_requests (
        tenant_id text NOT NULL,
        request_id text NOT NULL,
        engagement_id text NOT NULL,
        origin text NOT NULL,
        control_id text,
        evidence_type text,
        sample_id text,
        occurrence_id text,
        title text NOT NULL,
        description text NOT NULL,
        owner jsonb NOT NULL,
        due_on text NOT NULL,
        status text NOT NULL,
        evidence jsonb NOT NULL,
        submitted_by text,
        overdue_on text,
        created_at text NOT NULL,
        created_by jsonb NOT NULL,
        history jsonb NOT NULL,
        stream_version integer NOT NULL,
        PRIMARY KEY (tenant_id, request_id))`);
      // Added with RequestCreated's `raisedFor`: a table set up before lacks them, and its rows come from events
      // without it, so NULL is what those events say.
      await tx.query(`ALTER TABLE ${s}.audit_requests
        ADD COLUMN IF NOT EXISTS raised_for text,
        ADD COLUMN IF NOT EXISTS missed_occurrence jsonb`);
      await tx.query(
        `CREATE INDEX IF NOT EXISTS audit_requests_by_engagement ON ${s}.audit_requests
           (tenant_id, engagement_id, created_at, request_id)`,
      );
    },
    async reset(tx, schema) {
      await tx.query(`TRUNCATE ${sqlIdent(schema)}.audit_requests`);
    },
    async apply(tx, schema, events) {
      const s = sqlIdent(schema);
      for (const e of events) await applyRequestEvent(tx, s, e);
    },
  };
}

async function applyRequestEvent(tx: PoolClient, s: string, e: RecordedEvent): Promise<void> {
  if (e.type === 'RequestCreated') {
    const d = e.data as RequestCreatedData;
    await tx.query(
      `INSERT INTO ${s}.audit_requests (tenant_id, request_id, engagement_id, origin, control_id, evidence_type,
         sample_id, occurrence_id, raised_for, missed_occurrence, title, description, owner, due_on, status, evidence,
         created_at, created_by, history, stream_version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 'open', '[]', $15, $16, $17, $18)
       ON CONFLICT DO NOTHING`,
      [
        e.tenantId,
        d.requestId,
        d.engagementId,
        d.origin,
        d.controlId ?? null,
        d.evidenceType ?? null,
        d.sampleId ?? null,
        d.occurrenceId ?? null,
        d.raisedFor ?? null,
        d.missedOccurrence ? JSON.stringify(d.missedOccurrence) : null,
        d.title,
        d.description,
        JSON.stringify(d.owner),
        d.dueOn,
        d.createdAt,
        JSON.stringify(d.actor),
        JSON.stringify([{ step: 'created', at: d.createdAt, actor: d.actor }]),
        e.streamVersion,
      ],
    );
    return;
  }
  const { step, set, params } = requestChange(e);
  const base = [
    e.tenantId,
    (e.data as { requestId: string }).requestId,
    e.streamVersion,
    JSON.stringify(step),
  ];
  await tx.query(
    `UPDATE ${s}.audit_requests SET ${[...set, 'history = history || jsonb_build_array($4::jsonb)', 'stream_version = $3'].join(', ')}
     WHERE tenant_id = $1 AND request_id = $2 AND stream_version < $3`,
    [...base, ...params],
  );
}

/** What a request event changes (parameters from $5 on) and the step it adds to the history. */
function requestChange(e: RecordedEvent): { step: object; set: string[]; params: unknown[] } {
  switch (e.type) {
    case 'RequestSubmitted': {
      const d = e.data as RequestSubmittedData;
      return {
        step: {
          step: d.resubmission ? 'resubmitted' : 'submitted',
          at: d.submittedAt,
          actor: d.actor,
          submittedBy: d.submittedBy,
          evidence: d.evidence,
          ...(d.note === undefined ? {} : { note: d.note }),
        },
        set: ["status = 'submitted'", 'evidence = $5', 'submitted_by = $6'],
        params: [JSON.stringify(d.evidence), d.submittedBy],
      };
    }
    case 'RequestAccepted': {
      const d = e.data as RequestAcceptedData;
      return {
        step: { step: 'accepted', at: d.acceptedAt, actor: d.actor },
        set: ["status = 'accepted'"],
        params: [],
      };
    }
    case 'RequestReturned': {
      const d = e.data as RequestReturnedData;
      return {
        step: { step: 'returned', at: d.returnedAt, actor: d.actor, comment: d.comment },
        set: ["status = 'returned'"],
        params: [],
      };
    }
    case 'RequestOverdue': {
      const d = e.data as RequestOverdueData;
      return {
        step: { step: 'overdue', at: d.overdueAt, actor: d.actor, dueOn: d.dueOn },
        set: ['overdue_on = $5'],
        params: [d.dueOn],
      };
    }
    default: {
      const d = e.data as RequestCommentedData;
      return {
        step: { step: 'commented', at: d.commentedAt, actor: d.actor, comment: d.comment },
        set: [],
        params: [],
      };
    }
  }
}

/** Frozen populations, with their listing (the re-performance document serves it as frozen). */
export function populationsProjection(): Projection {
  return {
    name: 'populations',
    eventTypes: ['PopulationFrozen'],
    async setup(tx, schema) {
      await tx.query(`CREATE TABLE IF NOT EXISTS ${sqlIdent(schema)}.populations (
        tenant_id text NOT NULL,
        population_id text NOT NULL,
        engagement_id text NOT NULL,
        control_id text NOT NULL,
        window_from text NOT NULL,
        window_to text NOT NULL,
        frozen_at text NOT NULL,
        size integer NOT NULL,
        hash text NOT NULL,
        listing jsonb NOT NULL,
        frozen_by jsonb NOT NULL,
        PRIMARY KEY (tenant_id, population_id))`);
    },
    async reset(tx, schema) {
      await tx.query(`TRUNCATE ${sqlIdent(schema)}.populations`);
    },
    async apply(tx, schema, events) {
      for (const e of events) {
        const d = e.data as PopulationFrozenData;
        await tx.query(
          `INSERT INTO ${sqlIdent(schema)}.populations (tenant_id, population_id, engagement_id, control_id,
             window_from, window_to, frozen_at, size, hash, listing, frozen_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING`,
          [
            e.tenantId,
            d.populationId,
            d.engagementId,
            d.controlId,
            d.window.from,
            d.window.to,
            d.frozenAt,
            d.size,
            d.hash,
            JSON.stringify(d.listing),
            JSON.stringify(d.actor),
          ],
        );
      }
    },
  };
}

/** Selected samples: the seed, the basis of the size and the items drawn. */
export function samplesProjection(): Projection {
  return {
    name: 'samples',
    eventTypes: ['SampleSelected'],
    async setup(tx, schema) {
      await tx.query(`CREATE TABLE IF NOT EXISTS ${sqlIdent(schema)}.samples (
        tenant_id text NOT NULL,
        sample_id text NOT NULL,
        engagement_id text NOT NULL,
        population_id text NOT NULL,
        control_id text NOT NULL,
        population_hash text NOT NULL,
        seed text NOT NULL,
        algorithm text NOT NULL,
        size integer NOT NULL,
        basis jsonb NOT NULL,
        selected jsonb NOT NULL,
        selected_at text NOT NULL,
        selected_by jsonb NOT NULL,
        PRIMARY KEY (tenant_id, sample_id))`);
    },
    async reset(tx, schema) {
      await tx.query(`TRUNCATE ${sqlIdent(schema)}.samples`);
    },
    async apply(tx, schema, events) {
      for (const e of events) {
        const d = e.data as SampleSelectedData;
        await tx.query(
          `INSERT INTO ${sqlIdent(schema)}.samples (tenant_id, sample_id, engagement_id, population_id, control_id,
             population_hash, seed, algorithm, size, basis, selected, selected_at, selected_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT DO NOTHING`,
          [
            e.tenantId,
            d.sampleId,
            d.engagementId,
            d.populationId,
            d.controlId,
            d.populationHash,
            d.seed,
            d.algorithm,
            d.size,
            JSON.stringify(d.basis),
            JSON.stringify(d.selected),
            d.selectedAt,
            JSON.stringify(d.actor),
          ],
        );
      }
    },
  };
}

/** Test results and exceptions per control of an engagement, each exception with its management response. */
export function controlTestsProjection(): Projection {
  return {
    name: 'control-tests',
    eventTypes: ['TestResultRecorded', 'ExceptionRaised', 'ManagementResponseRecorded'],
    async setup(tx, schema) {
      const s = sqlIdent(schema);
      await tx.query(`CREATE TABLE IF NOT EXISTS ${s}.test_results (
        tenant_id text NOT NULL,
        result_id text NOT NULL,
        engagement_id text NOT NULL,
        control_id text NOT NULL,
        procedure text NOT NULL,
        occurrence_id text,
        result text NOT NULL,
        description text,
        tested_at text NOT NULL,
        tested_by jsonb NOT NULL,
        PRIMARY KEY (tenant_id, result_id))`);
      await tx.query(
        `CREATE INDEX IF NOT EXISTS test_results_by_control ON ${s}.test_results (tenant_id, engagement_id, control_id)`,
      );
      await tx.query(`CREATE TABLE IF NOT EXISTS ${s}.test_exceptions (
        tenant_id text NOT NULL,
        exception_id text NOT NULL,
        engagement_id text NOT NULL,
        control_id text NOT NULL,
        result_id text,
        occurrence_id text,
        description text NOT NULL,
        raised_at text NOT NULL,
        raised_by jsonb NOT NULL,
        management_response jsonb,
        PRIMARY KEY (tenant_id, exception_id))`);
    },
    async reset(tx, schema) {
      const s = sqlIdent(schema);
      await tx.query(`TRUNCATE ${s}.test_results, ${s}.test_exceptions`);
    },
    async apply(tx, schema, events) {
      const s = sqlIdent(schema);
      for (const e of events) {
        if (e.type === 'TestResultRecorded') {
          const d = e.data as TestResultRecordedData;
          await tx.query(
            `INSERT INTO ${s}.test_results (tenant_id, result_id, engagement_id, control_id, procedure, occurrence_id,
               result, description, tested_at, tested_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING`,
            [
              e.tenantId,
              d.resultId,
              d.engagementId,
              d.controlId,
              d.procedure,
              d.occurrenceId ?? null,
              d.result,
              d.description ?? null,
              d.testedAt,
              JSON.stringify(d.actor),
            ],
          );
        } else if (e.type === 'ExceptionRaised') {
          const d = e.data as ExceptionRaisedData;
          await tx.query(
            `INSERT INTO ${s}.test_exceptions (tenant_id, exception_id, engagement_id, control_id, result_id,
               occurrence_id, description, raised_at, raised_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING`,
            [
              e.tenantId,
              d.exceptionId,
              d.engagementId,
              d.controlId,
              d.resultId ?? null,
              d.occurrenceId ?? null,
              d.description,
              d.raisedAt,
              JSON.stringify(d.actor),
            ],
          );
        } else {
          const d = e.data as ManagementResponseRecordedData;
          await tx.query(
            `UPDATE ${s}.test_exceptions SET management_response = $3
             WHERE tenant_id = $1 AND exception_id = $2 AND management_response IS NULL`,
            [
              e.tenantId,
              d.exceptionId,
              JSON.stringify({ response: d.response, respondedAt: d.respondedAt, actor: d.actor }),
            ],
          );
        }
      }
    },
  };
}

/** Bridge letters (the issued report is on the engagement's row). */
export function bridgeLettersProjection(): Projection {
  return {
    name: 'bridge-letters',
    eventTypes: ['BridgeLetterIssued'],
    async setup(tx, schema) {
      await tx.query(`CREATE TABLE IF NOT EXISTS ${sqlIdent(schema)}.bridge_letters (
        tenant_id text NOT NULL,
        letter_id text NOT NULL,
        engagement_id text NOT NULL,
        covers_from text NOT NULL,
        covers_to text NOT NULL,
        sha256 text NOT NULL,
        issued_at text NOT NULL,
        issued_by jsonb NOT NULL,
        PRIMARY KEY (tenant_id, letter_id))`);
    },
    async reset(tx, schema) {
      await tx.query(`TRUNCATE ${sqlIdent(schema)}.bridge_letters`);
    },
    async apply(tx, schema, events) {
      for (const e of events) {
        const d = e.data as BridgeLetterIssuedData;
        await tx.query(
          `INSERT INTO ${sqlIdent(schema)}.bridge_letters (tenant_id, letter_id, engagement_id, covers_from,
             covers_to, sha256, issued_at, issued_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
          [
            e.tenantId,
            d.letterId,
            d.engagementId,
            d.coversFrom,
            d.coversTo,
            d.sha256,
            d.issuedAt,
            JSON.stringify(d.actor),
          ],
        );
      }
    },
  };
}

/** The audit work's projections, for the service's ProjectionLifecycle. */
export const AUDIT_WORK_PROJECTIONS: readonly Projection[] = [
  auditRequestsProjection(),
  populationsProjection(),
  samplesProjection(),
  controlTestsProjection(),
  bridgeLettersProjection(),
];
