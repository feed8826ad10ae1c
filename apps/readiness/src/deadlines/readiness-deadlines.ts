import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { Deadline } from '@attest/deadlines';
import { READ_MODEL_SCHEMA, READINESS_POOL } from '../readiness-options';
import { ReadinessQueries } from '../read-model/readiness-queries';

/**
 * The readiness deadlines of a tenant as the read models hold them: open remediation tasks by due date, open risks
 * by review date, and the next annual risk assessment (due as the last completed one set it; none ever completed:
 * nothing is due yet).
 */
@Injectable()
export class ReadinessDeadlines {
  constructor(
    @Inject(READINESS_POOL) private readonly pool: Pool,
    private readonly queries: ReadinessQueries,
  ) {}

  /** The tenant's deadlines due on or before `until` (YYYY-MM-DD): the rest are not due soon yet. */
  async of(tenantId: string, until: string): Promise<Deadline[]> {
    const [tasks, risks, assessment] = await Promise.all([
      this.remediationTasks(tenantId, until),
      this.queries.risksWithReviewDue(tenantId, until),
      this.queries.latestRiskAssessment(tenantId),
    ]);
    return [
      ...tasks,
      ...risks.map((risk): Deadline => ({
        kind: 'risk-review',
        riskId: risk.riskId,
        dueDate: risk.reviewDate,
      })),
      ...(assessment && assessment.nextAssessmentDue <= until
        ? [
            {
              kind: 'risk-assessment',
              riskAssessmentId: assessment.riskAssessmentId,
              dueDate: assessment.nextAssessmentDue,
            } satisfies Deadline,
          ]
        : []),
    ];
  }

  private async remediationTasks(tenantId: string, until: string): Promise<Deadline[]> {
    const r = await this.pool.query<{ task_id: string; assessment_id: string; due_date: string }>(
      `SELECT task_id, assessment_id, to_char(due_date, 'YYYY-MM-DD') AS due_date
       FROM ${READ_MODEL_SCHEMA}.remediation_tasks
       WHERE tenant_id = $1 AND status NOT IN ('done', 'cancelled') AND due_date <= $2::date
       ORDER BY due_date, task_id`,
      [tenantId, until],
    );
    return r.rows.map((row) => ({
      kind: 'remediation-task',
      taskId: row.task_id,
      assessmentId: row.assessment_id,
      dueDate: row.due_date,
    }));
  }
}
