import type { CoverageMatrix, CoveringControl, MissingPointOfFocus } from './coverage-matrix';

export const COVERAGE_CSV_COLUMNS = [
  'category',
  'criterion',
  'point_of_focus',
  'title',
  'status',
  'implemented_controls',
  'not_implemented_controls',
  'left_to_organization',
  'missing',
  'not_applicable_justification',
] as const;

function cell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function codes(controls: CoveringControl[], implemented: boolean): string {
  return controls
    .filter((c) => (c.implementation === 'implemented') === implemented)
    .map((c) => c.code)
    .join(' ');
}

/** What a criterion still misses, as `<ref>:<reason>` separated by spaces, e.g. `CC1.1.3:no-control`. */
function missingCell(missing: MissingPointOfFocus[]): string {
  return missing.map((m) => `${m.pointOfFocusRef}:${m.reason}`).join(' ');
}

/**
 * The matrix as CSV (RFC 4180: quoted where needed, CRLF line ends): a row per criterion (point_of_focus empty,
 * `missing` filled) followed by a row per point of focus (the justification of one explained as not applicable);
 * controls as space-separated codes, split by implemented or not.
 */
export function coverageMatrixCsv(matrix: CoverageMatrix): string {
  const rows: string[][] = [[...COVERAGE_CSV_COLUMNS]];
  for (const c of matrix.criteria) {
    rows.push([
      c.category,
      c.criterion,
      '',
      c.shortTitle,
      c.status,
      codes(c.controls, true),
      codes(c.controls, false),
      '',
      missingCell(c.missing),
      '',
    ]);
    for (const p of c.pointsOfFocus)
      rows.push([
        c.category,
        c.criterion,
        p.ref,
        p.heading,
        p.status,
        codes(p.controls, true),
        codes(p.controls, false),
        p.leftToOrganization ?? '',
        '',
        p.notApplicable?.justification ?? '',
      ]);
  }
  return rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

/** The matrix as JSON text (2-space indent): the same document `GET /coverage` returns. */
export function coverageMatrixJson(matrix: CoverageMatrix): string {
  return JSON.stringify(matrix, null, 2);
}
