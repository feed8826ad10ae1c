import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ACCESS_MATRIX_FILE, renderAccessMatrixDocument, SERVICES } from './access-matrix-document';

const root = join(__dirname, '../../..');

describe('docs/api/access.md', () => {
  it('is current with the services’ documents (regenerate: npx nx run api-tools:access-matrix)', () => {
    expect(readFileSync(join(root, ACCESS_MATRIX_FILE), 'utf8')).toBe(renderAccessMatrixDocument(root));
  });

  it('gives every operation of every service a permission or marks it public: none is left undeclared', () => {
    const text = renderAccessMatrixDocument(root);
    for (const service of SERVICES) expect(text).toContain(`## ${service}`);
    expect(text).not.toMatch(/\| none \|/);
  });
});
