import type { PoolClient } from 'pg';
import { sqlIdent, type Projection, type RecordedEvent } from '@attest/event-store';
import type { ReadinessEvent } from '@attest/readiness-domain';

/**
 * The remediation plan: every task with its current status, owner and due date, and its history. Rows are keyed by
 * (tenant_id, task_id), and every statement names the tenant of the recorded event.
 */
export const remediationTaskProjection: Projection = {
  name: 'remediation-tasks',
  eventTypes: [
    'RemediationTaskCreated',
    'RemediationTaskStatusChanged',
    'RemediationTaskReplanned',
    'RemediationTaskCompleted',
  ],

  async setup(tx: PoolClient, schema: string) {
    const s = sqlIdent(schema);
    await tx.query(`
      CREATE TABLE IF NOT EXISTS ${s}.remediation_tasks (
        tenant_id text NOT NULL,
        task_id uuid NOT NULL,
        assessment_id uuid NOT NULL,
        title text NOT NULL,
        description text,
        priority text NOT NULL,
        priority_rank integer NOT NULL,
        status text NOT NULL,
        owner jsonb NOT NULL,
        due_date date NOT NULL,
        gap_ids uuid[] NOT NULL,
        points_of_focus jsonb NOT NULL,
        proposed_catalog_control_ids jsonb NOT NULL,
        external_ticket jsonb,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        completed_at timestamptz,
        resolution text,
        resolution_notes text,
        control_ids jsonb,
        risk_id uuid,
        history jsonb NOT NULL,
        stream_version integer NOT NULL,
        PRIMARY KEY (tenant_id, task_id)
      );
      CREATE INDEX IF NOT EXISTS remediation_tasks_tenant ON ${s}.remediation_tasks (tenant_id, assessment_id);
      CREATE INDEX IF NOT EXISTS remediation_tasks_plan ON ${s}.remediation_tasks
        (tenant_id, (status IN ('done', 'cancelled')), priority_rank, due_date, title, task_id);
    `);
  },

  async reset(tx: PoolClient, schema: string) {
    await tx.query(`TRUNCATE ${sqlIdent(schema)}.remediation_tasks`);
  },

  async apply(tx: PoolClient, schema: string, events: RecordedEvent[]) {
    const s = sqlIdent(schema);
    for (const recorded of events) {
      const event = { type: recorded.type, data: recorded.data } as ReadinessEvent;
      switch (event.type) {
        case 'RemediationTaskCreated': {
          const d = event.data;
          await tx.query(
            `INSERT INTO ${s}.remediation_tasks (task_id, tenant_id, assessment_id, title, description, priority,
               priority_rank, status, owner, due_date, gap_ids, points_of_focus, proposed_catalog_control_ids,
               external_ticket, created_at, updated_at, history, stream_version)
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', $8, $9, $10, $11, $12, $13, $14, $14, $15, $16)
             ON CONFLICT (tenant_id, task_id) DO NOTHING`,
            [
              d.taskId,
              recorded.tenantId,
              d.assessmentId,
              d.title,
              d.description ?? null,
              d.priority,
              PRIORITY_RANK[d.priority],
              JSON.stringify(d.owner),
              d.dueDate,
              d.gapIds,
              JSON.stringify(d.pointsOfFocus ?? []),
              JSON.stringify(d.proposedCatalogControlIds ?? []),
              d.externalTicket ? JSON.stringify(d.externalTicket) : null,
              d.createdAt,
              JSON.stringify([{ at: d.createdAt, change: 'created', status: 'open', actor: d.actor }]),
              recorded.streamVersion,
            ],
          );
          break;
        }
        case 'RemediationTaskStatusChanged': {
          const d = event.data;
          await tx.query(
            `UPDATE ${s}.remediation_tasks SET status = $3, updated_at = $4,
               completed_at = CASE WHEN $5::text = 'done' THEN NULL ELSE completed_at END,
               resolution = CASE WHEN $5::text = 'done' THEN NULL ELSE resolution END,
               history = history || $6::jsonb, stream_version = $7
             WHERE tenant_id = $1 AND task_id = $2`,
            [
              recorded.tenantId,
              d.taskId,
              d.to,
              d.changedAt,
              d.from,
              JSON.stringify([
                {
                  at: d.changedAt,
                  change: 'status',
                  from: d.from,
                  status: d.to,
                  reason: d.reason,
                  actor: d.actor,
                },
              ]),
              recorded.streamVersion,
            ],
          );
          break;
        }
        case 'RemediationTaskReplanned': {
          const d = event.data;
          await tx.query(
            `UPDATE ${s}.remediation_tasks SET owner = COALESCE($3::jsonb, owner), due_date = COALESCE($4::date, due_date),
               updated_at = $5, history = history || $6::jsonb, stream_version = $7
             WHERE tenant_id = $1 AND task_id = $2`,
            [
              recorded.tenantId,
              d.taskId,
              d.owner ? JSON.stringify(d.owner) : null,
              d.dueDate ?? null,
              d.replannedAt,
              JSON.stringify([
                {
                  at: d.replannedAt,
                  change: 'plan',
                  owner: d.owner,
                  dueDate: d.dueDate,
                  reason: d.reason,
                  actor: d.actor,
                },
              ]),
              recorded.streamVersion,
            ],
          );
          break;
        }
        case 'RemediationTaskCompleted': {
          const d = event.data;
          await tx.query(
            `UPDATE ${s}.remediation_tasks SET status = 'done', updated_at = $3, completed_at = $3, resolution = $4,
               resolution_notes = $5, control_ids = $6, risk_id = $7, history = history || $8::jsonb,
               stream_version = $9
             WHERE tenant_id = $1 AND task_id = $2`,
            [
              recorded.tenantId,
              d.taskId,
              d.completedAt,
              d.resolution,
              d.resolutionNotes ?? null,
              d.controlIds ? JSON.stringify(d.controlIds) : null,
              d.riskId ?? null,
              JSON.stringify([
                {
                  at: d.completedAt,
                  change: 'completed',
                  status: 'done',
                  resolution: d.resolution,
                  actor: d.actor,
                },
              ]),
              recorded.streamVersion,
            ],
          );
          break;
        }
        default:
          break;
      }
    }
  },
};

/** Sorts the plan: critical first. */
export const PRIORITY_RANK: Record<string, number> = { critical: 0, high: 1, medium: 2, low: 3 };
