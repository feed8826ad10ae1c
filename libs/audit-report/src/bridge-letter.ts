import type { DocumentModel } from './document-blocks';
import { renderDocumentHtml } from './html-document';
import { renderDocumentPdf } from './pdf-document';
import type { BridgeLetterModel } from './report-model';
import { periodWords, reportTypeWords } from './report-wording';

/** The management bridge letter (gap letter): what management states about the time after the report's period. */
function bridgeLetterDocument(b: BridgeLetterModel): DocumentModel {
  const report = `SOC 2 ${reportTypeWords(b.engagement)} report of ${b.engagement.firm.name} on ${b.organization.name} ${periodWords(b.engagement)}`;
  return {
    title: `Bridge letter: ${b.organization.name}`,
    subtitle: [`Covering ${b.coversFrom} to ${b.coversTo}`, `Issued ${b.issuedAt}`],
    tableOfContents: false,
    blocks: [
      { kind: 'paragraph', text: 'To the user entities of our system and their auditors:' },
      {
        kind: 'paragraph',
        text: `The most recent report on our system is the ${report}. This letter covers the time from ${b.coversFrom} to ${b.coversTo}, which no service auditor's report covers yet.`,
      },
      {
        kind: 'paragraph',
        text: b.significantChanges.length
          ? 'To the best of our knowledge, the controls described in that report have continued to operate as described, and there have been no significant changes to the system other than these:'
          : 'To the best of our knowledge, the controls described in that report have continued to operate as described, and there have been no significant changes to the system.',
      },
      ...(b.significantChanges.length
        ? [
            {
              kind: 'table' as const,
              header: ['Date', 'Change'],
              widths: [1, 5],
              rows: b.significantChanges.map((c) => [c.date, c.description]),
            },
          ]
        : []),
      {
        kind: 'paragraph',
        text: `This letter is a statement of management. It is not an opinion of ${b.engagement.firm.name} or of any service auditor, and it does not replace a service auditor's report.`,
      },
      { kind: 'paragraph', text: `${b.signatory}\nfor the management of ${b.organization.name}` },
    ],
    colophon: `Generated ${b.issuedAt} by Attest for engagement ${b.engagement.engagementId}.`,
  };
}

export function renderBridgeLetterHtml(b: BridgeLetterModel): string {
  return renderDocumentHtml(bridgeLetterDocument(b));
}

export function renderBridgeLetterPdf(b: BridgeLetterModel): Promise<Buffer> {
  return renderDocumentPdf(bridgeLetterDocument(b));
}
