import { DomainError } from '@attest/decider';
import { checkContentMatchesMediaType, evidenceMediaType } from './evidence-media-type';

const PNG = Buffer.from([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52,
]);
const PDF = Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n', 'latin1');
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0]);
const GIF = Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1');
const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0, 8, 0]);
const GZIP = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]);
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function codeOf(declared: string, head: Buffer): string | null {
  try {
    checkContentMatchesMediaType(declared, head);
    return null;
  } catch (err) {
    if (err instanceof DomainError) return err.code;
    throw err;
  }
}

describe('evidenceMediaType', () => {
  it('takes an allowed type without its parameters, in lower case', () => {
    expect(evidenceMediaType('Text/Plain; charset=utf-8')).toBe('text/plain');
  });

  it.each(['text/html', 'application/x-msdownload', 'image/svg+xml', ''])('refuses %s (415)', (type) => {
    expect(() => evidenceMediaType(type)).toThrow(
      expect.objectContaining({ code: 'unsupported-media-type' }),
    );
  });
});

describe('checkContentMatchesMediaType', () => {
  it.each([
    ['image/png', PNG],
    ['application/pdf', PDF],
    ['image/jpeg', JPEG],
    ['image/gif', GIF],
    ['application/zip', ZIP],
    [DOCX, ZIP],
    [XLSX, ZIP],
    ['application/gzip', GZIP],
    ['application/json', Buffer.from('{"roles":[{"name":"app_admin"}]}')],
    ['application/x-ndjson', Buffer.from('{"a":1}\n{"b":2}\n')],
    ['text/csv', Buffer.from('user,role\nalice,admin\n')],
    ['text/markdown', Buffer.from('# Access review\n\nAll accounts reviewed.')],
    ['application/yaml', Buffer.from('apiVersion: v1\nkind: Pod\n')],
    ['text/plain', Buffer.from('Zugriffsprüfung abgeschlossen ✓')],
    ['text/plain', Buffer.alloc(0)],
  ])('accepts %s content declared as such', (declared, head) => {
    expect(codeOf(declared, head)).toBeNull();
  });

  it('accepts text whose head ends in the middle of a character (the head is cut from a longer file)', () => {
    const text = Buffer.from('Prüfung ✓');
    expect(codeOf('text/plain', text.subarray(0, text.length - 1))).toBeNull();
  });

  it.each([
    ['a PNG declared as a PDF', 'application/pdf', PNG],
    ['a PDF declared as a PNG', 'image/png', PDF],
    ['a zip declared as a PDF', 'application/pdf', ZIP],
    ['a PNG declared as text', 'text/plain', PNG],
    ['a PDF declared as text', 'text/plain', Buffer.from('%PDF-1.4 looks like text')],
    ['a gzip declared as JSON', 'application/json', GZIP],
    ['invalid UTF-8 declared as CSV', 'text/csv', Buffer.from([0x61, 0x2c, 0xff, 0xfe, 0x62])],
    ['text with a NUL declared as text', 'text/plain', Buffer.from('abc\u0000def')],
    ['an empty file declared as a PDF', 'application/pdf', Buffer.alloc(0)],
  ])('refuses %s as content-type-mismatch', (_case, declared, head) => {
    expect(codeOf(declared, head)).toBe('content-type-mismatch');
  });

  it('names what the content looks like', () => {
    expect(() => checkContentMatchesMediaType('application/pdf', PNG)).toThrow(/looks like image\/png/);
  });

  it('refuses a type evidence may not have before looking at the content', () => {
    expect(codeOf('text/html', Buffer.from('<html></html>'))).toBe('unsupported-media-type');
  });
});
