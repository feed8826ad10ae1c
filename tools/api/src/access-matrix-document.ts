import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderAccessMatrix, routeAccessOf } from '@attest/service-kit';

/** The services whose committed OpenAPI documents (docs/api/<service>.openapi.json) make up the access matrix. */
export const SERVICES = [
  'readiness',
  'control-mapping',
  'evidence',
  'monitoring',
  'auditor-engagement',
] as const;

export const ACCESS_MATRIX_FILE = 'docs/api/access.md';

/**
 * docs/api/access.md as the committed OpenAPI documents declare it: each operation's `x-attest-permission` or
 * `x-attest-public`, crossed with the one permission table. The documents are themselves checked current against
 * the code by each service's OpenAPI test, so the matrix follows the code.
 */
export function renderAccessMatrixDocument(root: string): string {
  const services = Object.fromEntries(
    SERVICES.map((service) => [
      service,
      routeAccessOf(JSON.parse(readFileSync(join(root, 'docs/api', `${service}.openapi.json`), 'utf8'))),
    ]),
  );
  return renderAccessMatrix(services);
}
