/**
 * The promise of the sampling: an auditor re-performs the service's selection with tools/sampling/reperform_sample.py
 * (Python standard library, no Attest code) and gets the same population hash and the same occurrences.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { DEFAULT_SAMPLE_SIZES, type Frequency, type Occurrence } from '../engagement-events';
import { freezeListing } from '../population/population-listing';
import { sampleReperformance, type SampleReperformance } from './sample-reperformance';
import { SAMPLING_ALGORITHM, selectFromListing } from './sample-selection';
import { sampleSize } from './sample-size';

const SCRIPT = join(__dirname, '../../../../tools/sampling/reperform_sample.py');

function reperform(input: string) {
  const run = spawnSync('python3', [SCRIPT, '-'], { input, encoding: 'utf8' });
  if (run.error) throw run.error;
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** Labels with what JSON escapes differently across languages: quotes, controls, non-ASCII, astral, lone surrogates. */
const AWKWARD_LABELS = [
  'Zugriffsprüfung "Q1"',
  'line\nbreak\ttab\u0001',
  '🔐 emoji',
  'lone \ud800 surrogate',
  '\u2028',
];

function population(size: number, prefix: string): Occurrence[] {
  return Array.from({ length: size }, (_, i) => ({
    occurrenceId: `${prefix}:${String(i).padStart(5, '0')}`,
    kind: 'evidence-item',
    occurredAt: new Date(Date.UTC(2026, 0, 1) + i * 3_600_000).toISOString(),
    label: `${AWKWARD_LABELS[i % AWKWARD_LABELS.length]} #${i}`,
    evidence: [{ kind: 'evidence-item', id: `item-${i}`, version: (i % 3) + 1, label: `Item ${i}` }],
  }));
}

/** What the service records and serves: frozen population, size from the default table, selection from a seed. */
function serviceSample(occurrences: Occurrence[], frequency: Frequency, seed: string): SampleReperformance {
  const frozen = freezeListing(occurrences);
  const { size } = sampleSize(DEFAULT_SAMPLE_SIZES, frequency, frozen.size);
  const selected = selectFromListing({ seed, population: frozen, size });
  return sampleReperformance(frozen, {
    algorithm: SAMPLING_ALGORITHM,
    seed,
    populationHash: frozen.hash,
    size,
    selected,
  });
}

describe('re-performing a selection with tools/sampling/reperform_sample.py', () => {
  it.each([
    [1, 'annual', '00'],
    [8, 'daily', '5a'],
    [52, 'weekly', 'c3'],
    [365, 'daily', '7f'],
    [2_000, 'per-event', 'e1'],
  ] as const)('agrees on the hash and the sample of %d occurrences (%s)', (count, frequency, seedByte) => {
    const sample = serviceSample(population(count, `pop-${count}`), frequency, seedByte.repeat(32));
    const run = reperform(JSON.stringify(sample));
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`population hash:  ${sample.populationHash} (recomputed)`);
    const printed = run.stdout
      .split('\n')
      .filter((line) => /^ {2}\d+\t/.test(line))
      .map((line) => line.trim().split('\t'));
    expect(printed).toEqual(sample.selected.map((s) => [String(s.draw), String(s.index), s.occurrenceId]));
  });

  it('names a changed population: a listing altered after the selection no longer has the recorded hash', () => {
    const sample = serviceSample(population(40, 'pop'), 'weekly', '9b'.repeat(32));
    const tampered = {
      ...sample,
      listing: sample.listing.map((o, i) => (i === 7 ? { ...o, label: `${o.label} (edited)` } : o)),
    };
    const run = reperform(JSON.stringify(tampered));
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(`DIFFERS: population changed: the listing hashes to`);
    expect(run.stdout).toContain(`but the sample was drawn from population ${sample.populationHash}`);
  });

  it('names a selection that is not what the seed draws', () => {
    const sample = serviceSample(population(100, 'pop'), 'daily', '11'.repeat(32));
    const [first, ...rest] = sample.selected;
    const other = sample.listing.findIndex((_, i) => !sample.selected.some((s) => s.index === i));
    const forged = { ...first, index: other, occurrenceId: sample.listing[other].occurrenceId };
    const run = reperform(JSON.stringify({ ...sample, selected: [forged, ...rest] }));
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('DIFFERS: selection differs at draw 0');
    expect(run.stdout).not.toContain('population changed');
  });

  it('exits 2 on input it cannot read', () => {
    expect(reperform('not json').status).toBe(2);
    const sample = serviceSample(population(12, 'pop'), 'monthly', '22'.repeat(32));
    const fractional = {
      ...sample,
      listing: [
        { ...sample.listing[0], evidence: [{ kind: 'evidence-item', id: 'x', version: 1.5, label: 'x' }] },
      ],
    };
    const run = reperform(JSON.stringify(fractional));
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('only strings and integers');
    expect(reperform(JSON.stringify({ ...sample, algorithm: 'other' })).status).toBe(2);
  });
});
