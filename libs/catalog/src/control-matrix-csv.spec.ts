import { attestCatalog } from './catalog';
import { controlMatrixCsv, csvField, csvRow } from './control-matrix-csv';
import { smallCatalog } from './testing';

/** A strict RFC 4180 reader, to check that what we write reads back field for field. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    const next = text[i + 1];
    if (quoted && ch === '"' && next === '"') {
      field += '"';
      i += 2;
      continue;
    }
    if (quoted) {
      if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') {
      quoted = true;
    } else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && next === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 1;
    } else if (ch === '"' || ch === '\n' || ch === '\r') {
      throw new Error(`bare ${JSON.stringify(ch)} at ${i}`);
    } else {
      field += ch;
    }
    i += 1;
  }
  if (field !== '' || row.length > 0) throw new Error('missing final CRLF');
  return rows;
}

describe('csvField', () => {
  it('quotes only what needs quoting and doubles quotes', () => {
    expect(csvField('plain text')).toBe('plain text');
    expect(csvField('a, b')).toBe('"a, b"');
    expect(csvField('the "best" one')).toBe('"the ""best"" one"');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('')).toBe('');
    expect(csvRow(['x', 'y,z', '"'])).toBe('x,"y,z",""""');
  });
});

describe('controlMatrixCsv', () => {
  it('worked example: one row per control, an X per criterion it addresses', () => {
    const catalog = smallCatalog();
    catalog.controls[0].name = 'Code of conduct, signed "yearly"';
    expect(controlMatrixCsv(catalog)).toBe(
      [
        'id,name,domain,frequency,owner,CC1.1,CC1.2,A1.1,P1.1',
        'AVL-01,AVL-01 name,availability,annual,security-lead,,,X,',
        'GOV-01,"Code of conduct, signed ""yearly""",governance,annual,security-lead,X,,,',
        'GOV-02,GOV-02 name,governance,annual,security-lead,X,X,,',
        'PRV-01,PRV-01 name,privacy,annual,security-lead,,,,X',
        '',
      ].join('\r\n'),
    );
  });

  it('the shipped catalog: every control, the 61 criteria as columns, reading back as written', () => {
    const rows = parseCsv(controlMatrixCsv());
    const [header, ...body] = rows;
    expect(header).toEqual([
      'id',
      'name',
      'domain',
      'frequency',
      'owner',
      ...attestCatalog.criteria.map((c) => c.id),
    ]);
    expect(header).toHaveLength(5 + 61);
    expect(body).toHaveLength(attestCatalog.controls.length);
    for (const row of body) {
      const control = attestCatalog.controls.find((c) => c.id === row[0]);
      expect(row.slice(1, 5)).toEqual([
        control?.name,
        control?.domain,
        control?.frequency,
        control?.ownerRole,
      ]);
      const marked = header.slice(5).filter((_id, i) => row[5 + i] === 'X');
      expect(marked).toEqual(
        attestCatalog.criteria.map((c) => c.id).filter((id) => control?.criteria.includes(id)),
      );
    }
  });
});
