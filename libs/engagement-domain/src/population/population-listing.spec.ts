import { createHash } from 'node:crypto';
import type { Occurrence } from '../engagement-events';
import { canonicalListing, freezeListing, populationHash } from './population-listing';

const day = (n: number): Occurrence => ({
  occurrenceId: `test:T1:2026-01-${String(n).padStart(2, '0')}`,
  kind: 'test-run-day',
  occurredAt: `2026-01-${String(n).padStart(2, '0')}T23:00:00.000Z`,
  label: `Day ${n}`,
  evidence: [
    {
      kind: 'test-run',
      id: `run-${n}`,
      label: 'Run',
      at: `2026-01-${String(n).padStart(2, '0')}T23:00:00.000Z`,
    },
  ],
});

describe('canonicalListing', () => {
  it('sorts occurrences by id and their evidence by kind, id and version, leaving absent fields out', () => {
    const listing = canonicalListing([
      day(3),
      {
        occurrenceId: 'joiner:p-1',
        kind: 'joiner',
        occurredAt: '2026-01-02T00:00:00.000Z',
        label: 'Joiner',
        evidence: [
          { kind: 'policy-acceptance', id: 'POL-2', version: 1, label: 'b' },
          { kind: 'policy-acceptance', id: 'POL-1', version: 2, label: 'a', at: undefined },
          { kind: 'policy-acceptance', id: 'POL-1', version: 1, label: 'a' },
        ],
      },
      day(1),
    ]);
    expect(listing.map((o) => o.occurrenceId)).toEqual([
      'joiner:p-1',
      'test:T1:2026-01-01',
      'test:T1:2026-01-03',
    ]);
    expect(listing[0].evidence).toEqual([
      { kind: 'policy-acceptance', id: 'POL-1', version: 1, label: 'a' },
      { kind: 'policy-acceptance', id: 'POL-1', version: 2, label: 'a' },
      { kind: 'policy-acceptance', id: 'POL-2', version: 1, label: 'b' },
    ]);
    expect(Object.keys(listing[0].evidence[1])).not.toContain('at');
  });

  it('refuses an occurrence listed twice', () => {
    expect(() => canonicalListing([day(1), day(2), day(1)])).toThrow(
      'The population lists occurrence test:T1:2026-01-01 twice',
    );
  });

  it('refuses numbers that are not integers, which the hash could not be re-computed over without JCS', () => {
    const fractional = {
      ...day(1),
      evidence: [{ kind: 'evidence-item' as const, id: 'i', version: 1.5, label: 'x' }],
    };
    expect(() => canonicalListing([fractional])).toThrow('evidence version must be an integer');
  });
});

describe('populationHash', () => {
  it('is SHA-256 of the listing as compact JSON with sorted keys (RFC 8785)', () => {
    const listing = canonicalListing([day(1)]);
    const json =
      '[{"evidence":[{"at":"2026-01-01T23:00:00.000Z","id":"run-1","kind":"test-run","label":"Run"}],' +
      '"kind":"test-run-day","label":"Day 1","occurredAt":"2026-01-01T23:00:00.000Z","occurrenceId":"test:T1:2026-01-01"}]';
    expect(populationHash(listing)).toBe(createHash('sha256').update(json, 'utf8').digest('hex'));
  });

  it('does not depend on the order occurrences were found in', () => {
    expect(populationHash(canonicalListing([day(2), day(1)]))).toBe(
      populationHash(canonicalListing([day(1), day(2)])),
    );
  });

  it('changes when an occurrence is added, removed or altered', () => {
    const base = populationHash(canonicalListing([day(1), day(2)]));
    expect(populationHash(canonicalListing([day(1), day(2), day(3)]))).not.toBe(base);
    expect(populationHash(canonicalListing([day(1)]))).not.toBe(base);
    expect(populationHash(canonicalListing([day(1), { ...day(2), label: 'Day 2 (edited)' }]))).not.toBe(base);
  });
});

describe('freezeListing', () => {
  it('records the canonical listing, its size and its hash', () => {
    const frozen = freezeListing([day(2), day(1)]);
    expect(frozen.size).toBe(2);
    expect(frozen.listing).toEqual(canonicalListing([day(1), day(2)]));
    expect(frozen.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(frozen.hash).toBe(populationHash(frozen.listing));
  });
});
