import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { attestCatalog } from './catalog';
import { ATTEST_OSCAL_NAMESPACE, controlLibraryOscalCatalog, criteriaOscalCatalog } from './oscal-export';
import type { OscalCatalogDocument, OscalControl, OscalGroup } from './oscal-model';

const REPO_ROOT = join(__dirname, '..', '..', '..');
const VALIDATOR_PYTHON = join(REPO_ROOT, '.local', 'oscal-validator', 'bin', 'python');
const VALIDATOR_SCRIPT = join(REPO_ROOT, 'tools', 'oscal', 'validate-oscal-catalog.py');

interface ValidationRun {
  validator: string;
  results: { file: string; valid: boolean; error?: string }[];
}

/** Runs the independent OSCAL validator (compliance-trestle) on files; fails when it is not installed. */
function validateWithTrestle(files: string[]): ValidationRun {
  if (!existsSync(VALIDATOR_PYTHON)) {
    throw new Error(
      'the OSCAL validator is not installed: run `bash tools/oscal/ensure-validator.sh` (npm test does)',
    );
  }
  const run = spawnSync(VALIDATOR_PYTHON, [VALIDATOR_SCRIPT, ...files], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (run.error) throw run.error;
  try {
    return JSON.parse(run.stdout) as ValidationRun;
  } catch {
    throw new Error(`the OSCAL validator printed no result (exit ${run.status}): ${run.stderr}`);
  }
}

const allControls = (groups: OscalGroup[] = []): OscalControl[] =>
  groups.flatMap((g) => [...(g.controls ?? []), ...allControls(g.groups)]);

describe('OSCAL export', () => {
  const criteria = criteriaOscalCatalog();
  const library = controlLibraryOscalCatalog();

  describe('is accepted by an independent OSCAL 1.1 validator, which rejects broken documents', () => {
    let dir: string;
    let run: ValidationRun;
    const broken = (doc: OscalCatalogDocument, change: (copy: OscalCatalogDocument) => void) => {
      const copy = structuredClone(doc);
      change(copy);
      return copy;
    };
    const files: Record<string, unknown> = {
      'criteria.json': criteria,
      'library.json': library,
      'control-without-id.json': broken(criteria, (d) => {
        delete (allControls(d.catalog.groups)[0] as Partial<OscalControl>).id;
      }),
      'unknown-field.json': broken(library, (d) => Object.assign(d.catalog.metadata, { author: 'someone' })),
      'bad-uuid.json': broken(criteria, (d) => (d.catalog.uuid = 'not-a-uuid')),
      'oscal-1.0.json': broken(library, (d) => (d.catalog.metadata['oscal-version'] = '1.0.4')),
      'duplicate-id.json': broken(library, (d) => {
        const [a, b] = allControls(d.catalog.groups);
        b.id = a.id;
      }),
    };

    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'attest-oscal-'));
      for (const [name, doc] of Object.entries(files)) writeFileSync(join(dir, name), JSON.stringify(doc));
      run = validateWithTrestle(Object.keys(files).map((name) => join(dir, name)));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    const result = (name: string) => run.results.find((r) => r.file === join(dir, name));

    it('is compliance-trestle with the OSCAL 1.1 models', () => {
      expect(run.validator).toMatch(/^compliance-trestle \S+ \(OSCAL 1\.1\.\d+ models\)$/);
    });

    it('accepts the criteria catalog and the control library', () => {
      expect(result('criteria.json')).toEqual({ file: join(dir, 'criteria.json'), valid: true });
      expect(result('library.json')).toEqual({ file: join(dir, 'library.json'), valid: true });
    });

    it.each([
      ['control-without-id.json', /controls -> 0 -> id\s+field required/],
      ['unknown-field.json', /author\s+extra fields not permitted/],
      ['bad-uuid.json', /uuid\s+string does not match regex/],
      ['oscal-1.0.json', /oscal-version 1\.0\.4 is not OSCAL 1\.1\.x/],
      ['duplicate-id.json', /duplicate ids: gov-01/],
    ])('rejects %s', (name, error) => {
      expect(result(name)?.valid).toBe(false);
      expect(result(name)?.error).toMatch(error);
    });
  });

  describe('the criteria catalog', () => {
    const controls = allControls(criteria.catalog.groups);

    it('has a group per category holding a group per series, and the 61 criteria as controls', () => {
      expect(criteria.catalog.groups.map((g) => g.id)).toEqual([
        'security',
        'availability',
        'processing-integrity',
        'confidentiality',
        'privacy',
      ]);
      expect(criteria.catalog.groups[0].groups?.map((g) => g.title)[0]).toBe('CC1 Control Environment');
      expect(criteria.catalog.groups.flatMap((g) => g.groups ?? [])).toHaveLength(20);
      expect(controls.map((c) => c.props?.[0].value).sort()).toEqual(
        attestCatalog.criteria.map((c) => c.id).sort(),
      );
    });

    it('puts the description in the statement and the 330 points of focus as guidance items', () => {
      const cc61 = controls.find((c) => c.id === 'cc6.1');
      const source = attestCatalog.criteria.find((c) => c.id === 'CC6.1');
      expect(cc61?.parts?.[0]).toEqual({ id: 'cc6.1_smt', name: 'statement', prose: source?.description });
      expect(cc61?.parts?.[1].parts?.[0]).toMatchObject({
        id: 'cc6.1_pof.1',
        name: 'item',
        title: source?.pointsOfFocus[0].heading,
        props: [
          { name: 'label', value: 'CC6.1.1' },
          expect.objectContaining({ name: 'point-of-focus-source' }),
        ],
      });
      expect(controls.flatMap((c) => c.parts?.[1].parts ?? [])).toHaveLength(330);
    });

    it('carries COSO principles and privacy roles as props', () => {
      const props = (id: string) => controls.find((c) => c.id === id)?.props;
      expect(props('cc2.1')).toContainEqual({
        name: 'coso-principle',
        ns: ATTEST_OSCAL_NAMESPACE,
        value: '13',
      });
      expect(props('cc6.1')?.some((p) => p.name === 'coso-principle')).toBe(false);
      expect(props('p1.1')).toContainEqual({
        name: 'privacy-role',
        ns: ATTEST_OSCAL_NAMESPACE,
        value: 'controller',
      });
    });
  });

  describe('the control library', () => {
    const controls = allControls(library.catalog.groups);

    it('has a group per domain and every control', () => {
      expect(controls).toHaveLength(attestCatalog.controls.length);
      expect(library.catalog.groups.find((g) => g.id === 'access-control')?.title).toBe('Access control');
    });

    it('carries type, nature, frequency, owner, criteria and framework targets as props and evidence as parts', () => {
      const source = attestCatalog.controls[0];
      const control = controls.find((c) => c.id === source.id.toLowerCase());
      const values = (name: string) => control?.props?.filter((p) => p.name === name).map((p) => p.value);
      expect(values('label')).toEqual([source.id]);
      expect(values('type')).toEqual([source.type]);
      expect(values('nature')).toEqual([source.nature]);
      expect(values('frequency')).toEqual([source.frequency]);
      expect(values('owner-role')).toEqual([source.ownerRole]);
      expect(values('criterion')).toEqual(source.criteria);
      expect(values('point-of-focus')).toEqual(source.pointsOfFocus);
      const iso = attestCatalog.frameworks['iso27001-2022'].mappings.find((m) => m.control === source.id);
      expect(values('iso27001-2022-target')).toEqual(iso?.targets ?? []);
      expect(control?.parts?.filter((p) => p.name === 'evidence').map((p) => p.prose)).toEqual(
        source.evidence.map((e) => e.description),
      );
      expect(library.catalog.metadata.roles?.map((r) => r.id)).toContain(source.ownerRole);
    });
  });

  it('is reproducible: stable v5 UUIDs and last-modified from the release date', () => {
    expect(criteriaOscalCatalog()).toEqual(criteria);
    expect(controlLibraryOscalCatalog()).toEqual(library);
    for (const doc of [criteria, library]) {
      expect(doc.catalog.uuid).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
      expect(doc.catalog.metadata).toMatchObject({
        'last-modified': `${attestCatalog.release.released}T00:00:00Z`,
        version: attestCatalog.release.version,
        'oscal-version': '1.1.3',
      });
    }
    expect(criteria.catalog.uuid).not.toBe(library.catalog.uuid);
    const next = { ...attestCatalog, release: { version: '1.0.1', released: '2027-01-05' } };
    expect(criteriaOscalCatalog(next).catalog.uuid).not.toBe(criteria.catalog.uuid);
  });
});
