import { renderDocumentHtml } from './html-document';
import { renderDocumentPdf } from './pdf-document';
import { reportDocument } from './report-document';
import type { AuditReportModel } from './report-model';

/** The draft SOC 2 report as one self-contained HTML page, every test result listed. */
export function renderReportHtml(model: AuditReportModel): string {
  return renderDocumentHtml(reportDocument(model, 'rows'));
}

/** The draft SOC 2 report as PDF with a table of contents; results are counted per procedure, samples listed. */
export function renderReportPdf(model: AuditReportModel): Promise<Buffer> {
  return renderDocumentPdf(reportDocument(model, 'summary'));
}
