import { escapeHtml as e } from '@attest/readiness-domain';
import type { Block, DocumentModel } from './document-blocks';

/** Renders a document as one self-contained HTML page (inline styles, no scripts, no external resources). */
export function renderDocumentHtml(doc: DocumentModel): string {
  const anchors = headingAnchors(doc.blocks);
  const contents = doc.tableOfContents ? tableOfContents(doc.blocks, anchors) : '';
  const body = doc.blocks.map((block, i) => blockHtml(block, anchors.get(i))).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${e(doc.title)}</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1f2933;line-height:1.45}
h1{margin-bottom:.2rem}h2{margin-top:2.5rem;border-bottom:2px solid #e4e7eb}h3{margin-top:1.8rem}.subtitle{color:#52606d;margin:0}
table{border-collapse:collapse;width:100%;margin:.6rem 0 1.4rem}th,td{text-align:left;padding:.3rem .55rem;border-bottom:1px solid #e4e7eb;vertical-align:top}p,th,td{white-space:pre-line}
th{background:#f5f7fa}table.small{font-size:.85rem}dl{display:grid;grid-template-columns:max-content auto;gap:.15rem 1rem}dt{font-weight:600}dd{margin:0;overflow-wrap:anywhere}
.notice{background:#fef0c7;padding:.5rem 1rem;border-radius:.3rem}.note{color:#52606d;font-style:italic}.small,.colophon{color:#52606d;font-size:.85rem}
nav ol{padding-left:1.2rem}nav li.l2{margin-left:1.2rem;list-style:circle}
</style>
</head>
<body>
<h1>${e(doc.title)}</h1>
${doc.subtitle.map((line) => `<p class="subtitle">${e(line)}</p>`).join('\n')}
${doc.notice ? `<p class="notice">${e(doc.notice)}</p>` : ''}
${contents}
${body}
<p class="colophon">${e(doc.colophon)}</p>
</body>
</html>
`;
}

/** Stable in-page anchors for the headings, so the table of contents can link to them. */
function headingAnchors(blocks: readonly Block[]): Map<number, string> {
  const anchors = new Map<number, string>();
  blocks.forEach((block, i) => {
    if (block.kind === 'heading') anchors.set(i, `h${anchors.size + 1}`);
  });
  return anchors;
}

function tableOfContents(blocks: readonly Block[], anchors: Map<number, string>): string {
  const items = blocks.flatMap((block, i) =>
    block.kind === 'heading' && block.level <= 2
      ? [`<li class="l${block.level}"><a href="#${anchors.get(i)}">${e(block.text)}</a></li>`]
      : [],
  );
  return `<nav><h2>Contents</h2><ol>\n${items.join('\n')}\n</ol></nav>`;
}

function blockHtml(block: Block, anchor: string | undefined): string {
  switch (block.kind) {
    case 'heading':
      // The document title is the page's h1, so block levels start at h2.
      return `<h${block.level + 1} id="${anchor}">${e(block.text)}</h${block.level + 1}>`;
    case 'paragraph':
      return `<p${block.tone ? ` class="${block.tone}"` : ''}>${e(block.text)}</p>`;
    case 'list':
      return `<ul>${block.items.map((item) => `<li>${e(item)}</li>`).join('')}</ul>`;
    case 'fields':
      return `<dl>${block.fields.map(([label, value]) => `<dt>${e(label)}</dt><dd>${e(value)}</dd>`).join('')}</dl>`;
    case 'table': {
      const head = block.header.map((cell) => `<th>${e(cell)}</th>`).join('');
      const rows = block.rows.map((row) => `<tr>${row.map((cell) => `<td>${e(cell)}</td>`).join('')}</tr>`);
      return `<table${block.small ? ' class="small"' : ''}><thead><tr>${head}</tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table>`;
    }
  }
}
