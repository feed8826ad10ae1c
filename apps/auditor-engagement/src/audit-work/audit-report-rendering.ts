import { createHash } from 'node:crypto';
import {
  controlMatrixCsv,
  controlMatrixXlsx,
  oscalAssessmentPlan,
  oscalAssessmentResults,
  renderBridgeLetterHtml,
  renderBridgeLetterPdf,
  renderReportHtml,
  renderReportPdf,
  type AuditReportModel,
  type BridgeLetterModel,
} from '@attest/audit-report';
import type { ReportFormat } from '@attest/engagement-domain';
import type { StoredFile } from './engagement-files';

const MEDIA_TYPES: Record<ReportFormat, { mediaType: string; extension: string }> = {
  html: { mediaType: 'text/html; charset=utf-8', extension: 'html' },
  pdf: { mediaType: 'application/pdf', extension: 'pdf' },
  csv: { mediaType: 'text/csv; charset=utf-8', extension: 'csv' },
  xlsx: { mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', extension: 'xlsx' },
  'oscal-ap': { mediaType: 'application/json', extension: 'oscal-ap.json' },
  'oscal-ar': { mediaType: 'application/json', extension: 'oscal-ar.json' },
};

export function sha256Hex(body: Buffer): string {
  return createHash('sha256').update(body).digest('hex');
}

function file(body: Buffer, format: ReportFormat, baseName: string): StoredFile {
  const { mediaType, extension } = MEDIA_TYPES[format];
  return { mediaType, fileName: `${baseName}.${extension}`, sha256: sha256Hex(body), body };
}

/** The report in one format, rendered from the model now. */
export async function renderReport(model: AuditReportModel, format: ReportFormat): Promise<StoredFile> {
  const baseName = `soc2-report-${model.engagement.engagementId}`;
  const text = (value: string) => Buffer.from(value, 'utf8');
  switch (format) {
    case 'html':
      return file(text(renderReportHtml(model)), format, baseName);
    case 'pdf':
      return file(await renderReportPdf(model), format, baseName);
    case 'csv':
      return file(text(controlMatrixCsv(model)), format, `control-matrix-${model.engagement.engagementId}`);
    case 'xlsx':
      return file(await controlMatrixXlsx(model), format, `control-matrix-${model.engagement.engagementId}`);
    case 'oscal-ap':
      return file(text(JSON.stringify(oscalAssessmentPlan(model), null, 2)), format, baseName);
    case 'oscal-ar':
      return file(text(JSON.stringify(oscalAssessmentResults(model), null, 2)), format, baseName);
  }
}

/** The bridge letter as PDF (what the event's hash covers) and HTML. */
export async function renderBridgeLetter(
  model: BridgeLetterModel,
  letterId: string,
): Promise<{ pdf: StoredFile; html: StoredFile }> {
  const baseName = `bridge-letter-${letterId}`;
  return {
    pdf: file(await renderBridgeLetterPdf(model), 'pdf', baseName),
    html: file(Buffer.from(renderBridgeLetterHtml(model), 'utf8'), 'html', baseName),
  };
}
