/**
 * `npx nx run catalog:export`: writes the control matrix (CSV) and the OSCAL catalogs of the criteria and of the
 * control library to the folder given as first argument (default dist/catalog, relative to the working directory).
 */
import { resolve } from 'node:path';
import { attestCatalog } from './catalog';
import { writeCatalogExport } from './catalog-export';

const outDir = resolve(process.argv[2] ?? 'dist/catalog');
const written = writeCatalogExport(outDir);
console.log(
  `[catalog] exported catalog ${attestCatalog.release.version} (${attestCatalog.release.released}):`,
);
for (const path of written) console.log(`  ${path}`);
