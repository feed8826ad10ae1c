import { csvRow } from '@attest/catalog';
import ExcelJS from 'exceljs';
import type { AuditReportModel, ReportControl } from './report-model';
import { CONCLUSION_WORDS, PROCEDURE_WORDS } from './report-wording';

/** The control matrix: one row per control in scope, what an auditor's workpapers and a customer's review use. */
const COLUMNS = [
  { header: 'Control', width: 14 },
  { header: 'Name', width: 40 },
  { header: 'Criteria', width: 24 },
  { header: 'Frequency', width: 12 },
  { header: 'Procedures', width: 30 },
  { header: 'Population size', width: 10 },
  { header: 'Sample size', width: 10 },
  { header: 'Tests performed', width: 10 },
  { header: 'Exceptions', width: 10 },
  { header: 'Deviation rate', width: 10 },
  { header: 'Conclusion', width: 20 },
  { header: 'Control ID', width: 38 },
] as const;

type MatrixRow = [
  string,
  string,
  string,
  string,
  string,
  number | null,
  number | null,
  number,
  number,
  number | null,
  string,
  string,
];

function matrixRows(m: AuditReportModel): MatrixRow[] {
  return m.controls.map((c: ReportControl) => [
    c.code,
    c.name,
    c.criteria.join(', '),
    c.frequency,
    c.procedures.map((p) => PROCEDURE_WORDS[p]).join(', '),
    c.population?.size ?? null,
    c.sample?.size ?? null,
    c.results.length,
    c.exceptions.length,
    c.deviationRate,
    CONCLUSION_WORDS[c.conclusion],
    c.controlId,
  ]);
}

/** RFC 4180 CSV with a header row; empty cells where a control has no population, sample or rate. */
export function controlMatrixCsv(m: AuditReportModel): string {
  const lines = [
    COLUMNS.map((c) => c.header),
    ...matrixRows(m).map((row) =>
      row.map((cell) =>
        typeof cell === 'string' ? neutralizeFormula(cell) : cell === null ? '' : String(cell),
      ),
    ),
  ];
  return lines.map(csvRow).join('\r\n') + '\r\n';
}

/**
 * A spreadsheet opens a cell starting with = + - @ (or a tab/CR) as a formula; names come from users, so such
 * text is prefixed with an apostrophe, which spreadsheets show as text (OWASP's advice for CSV injection).
 */
function neutralizeFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** The same matrix as an XLSX workbook (one sheet, header row frozen, numbers as numbers, rates as percentages). */
export async function controlMatrixXlsx(m: AuditReportModel): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Attest';
  workbook.created = new Date(m.generatedAt);
  const sheet = workbook.addWorksheet('Control matrix', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = COLUMNS.map((c) => ({ header: c.header, width: c.width }));
  sheet.getRow(1).font = { bold: true };
  // Cells written as values, never formulas: exceljs stores strings as strings, so no injection here.
  sheet.addRows(matrixRows(m));
  sheet.getColumn(10).numFmt = '0.0%';
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
