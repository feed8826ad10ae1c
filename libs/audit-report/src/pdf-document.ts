import PdfPrinter from 'pdfmake';
import vfs from 'pdfmake/build/vfs_fonts';
import type { Content, TableCell, TDocumentDefinitions } from 'pdfmake/interfaces';
import type { Block, DocumentModel } from './document-blocks';

/**
 * Renders a document as PDF with pdfmake: a table of contents with page numbers (pdfmake's own `toc`), headings,
 * tables that repeat their header on each page, page numbers in the footer. The Roboto fonts ship inside pdfmake's
 * package and are embedded with a Unicode map, so nothing is fetched at runtime and `pdftotext` reads the text back.
 */
export async function renderDocumentPdf(doc: DocumentModel): Promise<Buffer> {
  const definition: TDocumentDefinitions = {
    info: { title: doc.title, creator: 'Attest', producer: 'Attest' },
    pageSize: 'A4',
    pageMargins: [48, 56, 48, 56],
    defaultStyle: { font: 'Roboto', fontSize: 9.5, lineHeight: 1.15 },
    styles: STYLES,
    footer: (page: number, pages: number) => ({
      text: `${doc.title} · page ${page} of ${pages}`,
      style: 'small',
      alignment: 'center',
      margin: [0, 20, 0, 0],
    }),
    content: [
      { text: doc.title, style: 'title' },
      ...doc.subtitle.map((line): Content => ({ text: line, style: 'subtitle' })),
      ...(doc.notice ? [{ text: doc.notice, style: 'notice' } as Content] : []),
      ...(doc.tableOfContents
        ? [{ toc: { title: { text: 'Contents', style: 'h1' }, numberStyle: 'tocNumber' } } as Content]
        : []),
      ...doc.blocks.map(blockContent),
      { text: doc.colophon, style: 'small', margin: [0, 16, 0, 0] },
    ],
  };
  const pdf = printer().createPdfKitDocument(definition);
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
  pdf.end();
  return done;
}

const STYLES: TDocumentDefinitions['styles'] = {
  title: { fontSize: 20, bold: true, margin: [0, 0, 0, 6] },
  subtitle: { fontSize: 10, color: '#52606d' },
  notice: { fontSize: 10, background: '#fef0c7', margin: [0, 10, 0, 10] },
  h1: { fontSize: 15, bold: true, margin: [0, 0, 0, 8] },
  h2: { fontSize: 12.5, bold: true, margin: [0, 14, 0, 6] },
  h3: { fontSize: 10.5, bold: true, margin: [0, 10, 0, 4] },
  note: { italics: true, color: '#52606d' },
  small: { fontSize: 7.5, color: '#52606d' },
  tableHeader: { bold: true, fillColor: '#f0f2f5' },
  tocNumber: { color: '#52606d' },
};

let cachedPrinter: PdfPrinter | undefined;

/** One printer per process: decoding the bundled fonts is the costly part. */
function printer(): PdfPrinter {
  const font = (file: string) => Buffer.from(vfs[file], 'base64');
  cachedPrinter ??= new PdfPrinter({
    Roboto: {
      normal: font('Roboto-Regular.ttf'),
      bold: font('Roboto-Medium.ttf'),
      italics: font('Roboto-Italic.ttf'),
      bolditalics: font('Roboto-MediumItalic.ttf'),
    },
  });
  return cachedPrinter;
}

function blockContent(block: Block): Content {
  switch (block.kind) {
    case 'heading':
      return {
        text: block.text,
        style: `h${block.level}`,
        tocItem: block.level <= 2,
        tocMargin: [(block.level - 1) * 14, 1, 0, 1],
        // Each section (level 1) starts a page, as in a printed report.
        ...(block.level === 1 ? { pageBreak: 'before' as const } : {}),
      };
    case 'paragraph':
      return { text: block.text, style: block.tone, margin: [0, 0, 0, 6] };
    case 'list':
      return { ul: block.items, margin: [0, 0, 0, 6] };
    case 'fields':
      // Lines of "label: value" rather than a two-column table: pdfmake lays out text far faster than table cells,
      // which counts with a block per control in large engagements.
      return {
        stack: block.fields.map(([label, value]) => ({ text: [{ text: `${label}: `, bold: true }, value] })),
        margin: [0, 0, 0, 6],
      };
    case 'table': {
      const total = (block.widths ?? block.header.map(() => 1)).reduce((sum, w) => sum + w, 0);
      return {
        table: {
          headerRows: 1,
          dontBreakRows: false,
          widths: (block.widths ?? block.header.map(() => 1)).map((w) => `${(100 * w) / total}%`),
          body: [
            block.header.map((cell): TableCell => ({ text: cell, style: 'tableHeader' })),
            ...block.rows.map((row) => row.map((cell): TableCell => cell)),
          ],
        },
        layout: 'lightHorizontalLines',
        fontSize: block.small ? 7.5 : 8.5,
        margin: [0, 0, 0, 10],
      };
    }
  }
}
