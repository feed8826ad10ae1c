import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { attestCatalog, type Catalog } from './catalog';
import { controlMatrixCsv } from './control-matrix-csv';
import { controlLibraryOscalCatalog, criteriaOscalCatalog } from './oscal-export';

export const EXPORT_FILES = {
  controlMatrix: 'control-matrix.csv',
  criteriaOscal: 'tsc-criteria.oscal.json',
  controlLibraryOscal: 'control-library.oscal.json',
} as const;

/** Writes the control matrix and both OSCAL catalogs to a folder; the same catalog always gives the same bytes. */
export function writeCatalogExport(outDir: string, catalog: Catalog = attestCatalog): string[] {
  mkdirSync(outDir, { recursive: true });
  const files: [string, string][] = [
    [EXPORT_FILES.controlMatrix, controlMatrixCsv(catalog)],
    [EXPORT_FILES.criteriaOscal, JSON.stringify(criteriaOscalCatalog(catalog), null, 2) + '\n'],
    [EXPORT_FILES.controlLibraryOscal, JSON.stringify(controlLibraryOscalCatalog(catalog), null, 2) + '\n'],
  ];
  return files.map(([name, content]) => {
    const path = join(outDir, name);
    writeFileSync(path, content, 'utf8');
    return path;
  });
}
