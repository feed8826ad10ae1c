import type { ControlConclusion, Procedure, ReportEngagement, ReportTestResult } from './report-model';

/** Shared wording of the report formats (HTML, PDF, control matrix, bridge letter). */

export const PROCEDURE_WORDS: Record<Procedure, string> = {
  inquiry: 'Inquiry',
  observation: 'Observation',
  inspection: 'Inspection',
  're-performance': 'Re-performance',
};

export const CONCLUSION_WORDS: Record<ControlConclusion, string> = {
  'no-exceptions-noted': 'No exceptions noted',
  'exceptions-noted': 'Exceptions noted',
  'not-tested': 'Not tested',
};

export const RESULT_WORDS: Record<ReportTestResult['result'], string> = {
  'no-exception': 'No exception',
  exception: 'Exception',
};

export function reportTypeWords(engagement: ReportEngagement): string {
  return engagement.type === 'type-1' ? 'Type I' : 'Type II';
}

/** "as of 2025-06-30" (Type I) or "for the period 2025-01-01 to 2025-06-30" (Type II). */
export function periodWords(engagement: ReportEngagement): string {
  if (engagement.type === 'type-1') return `as of ${engagement.asOf ?? '(date not set)'}`;
  return engagement.window
    ? `for the period ${engagement.window.from} to ${engagement.window.to}`
    : 'for the period (not set)';
}

/** A share (0–1) as a percentage with one decimal, or the words for "no share" (e.g. untested). */
export function percent(share: number | null, none = 'n/a'): string {
  return share === null ? none : `${(share * 100).toFixed(1)}%`;
}
