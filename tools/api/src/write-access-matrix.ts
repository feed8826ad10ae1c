import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ACCESS_MATRIX_FILE, renderAccessMatrixDocument } from './access-matrix-document';

const root = join(__dirname, '../../..');
writeFileSync(join(root, ACCESS_MATRIX_FILE), renderAccessMatrixDocument(root));
process.stdout.write(`wrote ${ACCESS_MATRIX_FILE}\n`);
