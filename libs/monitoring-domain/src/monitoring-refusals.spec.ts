import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MONITORING_REFUSALS } from './monitoring-refusals';

/** The library's source files (not specs), recursively. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sources(join(dir, entry.name))
      : entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

describe('monitoring refusals', () => {
  it('gives every refusal the library raises an HTTP status (an unlisted one would answer 500)', () => {
    const raised = new Set(
      sources(__dirname).flatMap((file) =>
        [...readFileSync(file, 'utf8').matchAll(/new DomainError\(\s*'([a-z-]+)'/g)].map((m) => m[1]),
      ),
    );
    expect(raised.size).toBeGreaterThan(10);
    expect([...raised].filter((code) => !(code in MONITORING_REFUSALS))).toEqual([]);
  });
});
