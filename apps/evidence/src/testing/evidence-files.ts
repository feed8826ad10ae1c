// Files the integration tests upload: real formats, small.
import type { TestFile } from './evidence-test-app';

/** A one-page PDF (what magic-bytes detection and a PDF reader see as one). */
export function pdfFile(text = 'Access review Q1', fileName = 'access-review.pdf'): TestFile {
  const bytes = Buffer.from(
    `%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n% ${text}\ntrailer << /Root 1 0 R >>\n%%EOF\n`,
    'latin1',
  );
  return { bytes, fileName, mediaType: 'application/pdf' };
}

/** A 1×1 PNG. */
export function pngFile(fileName = 'screenshot.png', mediaType = 'image/png'): TestFile {
  const bytes = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
    'base64',
  );
  return { bytes, fileName, mediaType };
}

/** A CSV export of `rows` lines. */
export function csvFile(rows = 3, fileName = 'users.csv'): TestFile {
  const lines = ['user,role,last_login'];
  for (let i = 0; i < rows; i++) lines.push(`user${i}@acme.example,engineer,2026-03-0${(i % 9) + 1}`);
  return { bytes: Buffer.from(`${lines.join('\n')}\n`, 'utf8'), fileName, mediaType: 'text/csv' };
}
