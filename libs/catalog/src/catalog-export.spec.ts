import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXPORT_FILES, writeCatalogExport } from './catalog-export';

describe('writeCatalogExport', () => {
  const dirs: string[] = [];
  const exportTo = () => {
    const dir = mkdtempSync(join(tmpdir(), 'attest-catalog-export-'));
    dirs.push(dir);
    writeCatalogExport(join(dir, 'out'));
    return join(dir, 'out');
  };
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('writes the control matrix and both OSCAL catalogs, byte for byte the same on every run', () => {
    const [a, b] = [exportTo(), exportTo()];
    expect(readdirSync(a).sort()).toEqual(Object.values(EXPORT_FILES).sort());
    for (const file of Object.values(EXPORT_FILES)) {
      expect(readFileSync(join(a, file), 'utf8')).toBe(readFileSync(join(b, file), 'utf8'));
    }
    const criteria = JSON.parse(readFileSync(join(a, EXPORT_FILES.criteriaOscal), 'utf8'));
    expect(criteria.catalog.metadata['oscal-version']).toBe('1.1.3');
    expect(readFileSync(join(a, EXPORT_FILES.controlMatrix), 'utf8')).toMatch(
      /^id,name,domain,frequency,owner,CC1\.1,/,
    );
  });
});
