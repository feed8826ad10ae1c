import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '@attest/decider';
import { sqlIdent } from '@attest/event-store';
import { EVIDENCE_OPTIONS, READ_MODEL_SCHEMA, type ResolvedOptions } from '../evidence-options';

/** A year and a day: an observation window's check reads at most a year at once (a leap year's included). */
export const CONTROL_ACTIVITY_MAX_DAYS = 367;

/** Why a version counts for a day: its period covers the day, and/or it was submitted that day. */
export type ActivityReason = 'period' | 'submitted';

/** One evidence version of a control that counts for a day. */
export interface ActivityEvidence {
  itemId: string;
  version: number;
  title: string;
  period: { from: string; to: string };
  recordedAt: string;
  reasons: ActivityReason[];
}

/** A day of the range: how many versions count for it, and which. */
export interface ActivityDay {
  date: string;
  count: number;
  evidence: ActivityEvidence[];
}

export interface ControlActivityView {
  controlId: string;
  from: string;
  to: string;
  days: ActivityDay[];
}

interface Row {
  day: string;
  item_id: string;
  version: number;
  title: string;
  period: { from: string; to: string };
  recorded_at: string;
  by_period: boolean;
  by_submission: boolean;
}

function invalidRange(message: string, from: string, to: string): DomainError {
  return new DomainError('invalid-period', message, { from, to });
}

/**
 * The evidence of a control's occurrences, day by day: the observation workflow asks whether a control due on a day
 * (a quarterly access review, a daily backup) has evidence of that occurrence. A version of an item linked to the
 * control counts for each day its period covers and for the day it was submitted (UTC), so a point-in-time
 * snapshot counts on the day it was taken, and a report covering the quarter counts on each of the quarter's days.
 * Disposed items count: their content is gone, the fact that the evidence existed is not.
 */
@Injectable()
export class ControlActivity {
  constructor(@Inject(EVIDENCE_OPTIONS) private readonly options: ResolvedOptions) {}

  async of(tenantId: string, controlId: string, from: string, to: string): Promise<ControlActivityView> {
    if (to < from) throw invalidRange('the range ends before it begins', from, to);
    const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000 + 1;
    if (days > CONTROL_ACTIVITY_MAX_DAYS)
      throw invalidRange(`a range covers at most ${CONTROL_ACTIVITY_MAX_DAYS} days`, from, to);
    const s = sqlIdent(READ_MODEL_SCHEMA);
    const r = await this.options.pool.query<Row>(
      `WITH days AS (
         SELECT to_char(d, 'YYYY-MM-DD') AS day FROM generate_series($3::date, $4::date, interval '1 day') AS d)
       SELECT days.day, v.item_id, v.version, i.title, v.period, v.recorded_at,
              (v.period->>'from' <= days.day AND v.period->>'to' >= days.day) AS by_period,
              (left(v.recorded_at, 10) = days.day) AS by_submission
       FROM ${s}.items i
       JOIN ${s}.item_versions v ON v.tenant_id = i.tenant_id AND v.item_id = i.item_id
       JOIN days ON (v.period->>'from' <= days.day AND v.period->>'to' >= days.day)
                 OR left(v.recorded_at, 10) = days.day
       WHERE i.tenant_id = $1 AND i.control_ids @> ARRAY[$2::text]
       ORDER BY days.day, v.recorded_at, v.item_id, v.version`,
      [tenantId, controlId, from, to],
    );
    const byDay = new Map<string, ActivityEvidence[]>();
    for (const row of r.rows) {
      const evidence = byDay.get(row.day) ?? [];
      evidence.push({
        itemId: row.item_id,
        version: row.version,
        title: row.title,
        period: row.period,
        recordedAt: row.recorded_at,
        reasons: [
          ...(row.by_period ? (['period'] as const) : []),
          ...(row.by_submission ? (['submitted'] as const) : []),
        ],
      });
      byDay.set(row.day, evidence);
    }
    return {
      controlId,
      from,
      to,
      days: datesFrom(from, days).map((date) => {
        const evidence = byDay.get(date) ?? [];
        return { date, count: evidence.length, evidence };
      }),
    };
  }
}

function datesFrom(from: string, count: number): string[] {
  const start = Date.parse(`${from}T00:00:00Z`);
  return Array.from({ length: count }, (_, i) => new Date(start + i * 86_400_000).toISOString().slice(0, 10));
}
