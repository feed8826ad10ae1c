import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENGAGEMENT_REFUSALS } from './engagement-refusals';

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

describe('engagement refusals', () => {
  const raised = new Set(
    sources(__dirname).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/new DomainError\(\s*'([a-z0-9-]+)'/g)].map((m) => m[1]),
    ),
  );

  it('gives every refusal the library raises an HTTP status (an unlisted one would answer 500)', () => {
    expect(raised.size).toBeGreaterThan(20);
    expect([...raised].filter((code) => !(code in ENGAGEMENT_REFUSALS))).toEqual([]);
  });

  it('lists only refusals the library raises (the free-text ones come from @attest/decider)', () => {
    expect(Object.keys(ENGAGEMENT_REFUSALS).filter((code) => !raised.has(code))).toEqual([
      'text-required',
      'text-too-long',
    ]);
  });
});
