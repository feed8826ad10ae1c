import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CONTROL_DOMAINS,
  CONTROL_NATURES,
  CONTROL_TYPES,
  EVIDENCE_TYPES,
  FREQUENCIES,
  OWNER_ROLES,
} from './controls';
import { CATEGORY_IDS } from './criteria';
import { parseFrontMatter } from './front-matter';
import { POLICY_TEMPLATE_DIR } from './policy-templates';

const LIB = join(__dirname, '..');
const readJson = (path: string): unknown => JSON.parse(readFileSync(join(LIB, path), 'utf8'));

function validator(schemaFile: string): ValidateFunction {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv);
  return ajv.compile(readJson(`schemas/${schemaFile}`) as object);
}

function problems(validate: ValidateFunction, data: unknown): string[] {
  return validate(data) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

describe('every data file is valid against its JSON Schema (draft 2020-12)', () => {
  it.each([
    ['criteria.schema.json', 'data/criteria.json'],
    ['controls.schema.json', 'data/controls.json'],
    ['left-to-organization.schema.json', 'data/left-to-organization.json'],
    ['framework-mapping.schema.json', 'data/mappings/iso27001-2022.json'],
    ['framework-mapping.schema.json', 'data/mappings/nist-csf-2.0.json'],
    ['catalog-version.schema.json', 'data/catalog.json'],
  ])('%s accepts %s', (schema, data) => {
    expect(problems(validator(schema), readJson(data))).toEqual([]);
  });

  const policyFiles = readdirSync(POLICY_TEMPLATE_DIR).filter((f) => f.endsWith('.md'));
  it.each(policyFiles)('policy-front-matter.schema.json accepts policies/%s', (file) => {
    const { data } = parseFrontMatter(readFileSync(join(POLICY_TEMPLATE_DIR, file), 'utf8'));
    expect(problems(validator('policy-front-matter.schema.json'), data)).toEqual([]);
    expect(`${data['id']}.md`).toBe(file);
  });

  it('has a schema for every data file and nothing else', () => {
    expect(readdirSync(join(LIB, 'schemas')).sort()).toEqual([
      'catalog-version.schema.json',
      'controls.schema.json',
      'criteria.schema.json',
      'framework-mapping.schema.json',
      'left-to-organization.schema.json',
      'policy-front-matter.schema.json',
    ]);
    expect(readdirSync(join(LIB, 'data/mappings')).sort()).toEqual([
      'iso27001-2022.json',
      'nist-csf-2.0.json',
    ]);
  });
});

describe('the schemas reject broken data', () => {
  const controls = readJson('data/controls.json') as { controls: Record<string, unknown>[] };

  it('a control with an unknown frequency, a missing evidence list and an extra field', () => {
    const broken = structuredClone(controls);
    broken.controls[0]['frequency'] = 'hourly';
    delete broken.controls[1]['evidence'];
    broken.controls[2]['iso27001'] = ['A.5.1'];
    expect(problems(validator('controls.schema.json'), broken)).toEqual([
      '/controls/0/frequency must be equal to one of the allowed values',
      "/controls/1 must have required property 'evidence'",
      '/controls/2 must NOT have additional properties',
    ]);
  });

  it('a catalog version that is not semantic and a release that is not a date', () => {
    expect(
      problems(validator('catalog-version.schema.json'), { version: '1.0', released: '26.11.2026' }),
    ).toEqual([
      '/version must match pattern "^(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)$"',
      '/released must match format "date"',
    ]);
  });

  it('an ISO target with a CSF function, and a point of focus outside the TSC numbering', () => {
    const mapping = readJson('data/mappings/iso27001-2022.json') as { targets: Record<string, unknown>[] };
    mapping.targets[0]['function'] = 'govern';
    expect(problems(validator('framework-mapping.schema.json'), mapping)).not.toEqual([]);
    expect(
      problems(validator('left-to-organization.schema.json'), {
        pointsOfFocus: [{ ref: 'X1.1.1', reason: 'no' }],
      }),
    ).toHaveLength(2);
  });
});

describe('the schemas and the TypeScript types agree', () => {
  const controlSchema = readJson('schemas/controls.schema.json') as {
    $defs: {
      control: { properties: Record<string, { enum?: string[] }> };
      evidence: { properties: Record<string, { enum?: string[] }> };
      frequency: { enum: string[] };
    };
  };
  const criteriaSchema = readJson('schemas/criteria.schema.json') as {
    $defs: { categoryId: { enum: string[] } };
  };

  it('uses the same enumerations', () => {
    const p = controlSchema.$defs.control.properties;
    expect(p['domain'].enum).toEqual(Object.keys(CONTROL_DOMAINS));
    expect(p['type'].enum).toEqual([...CONTROL_TYPES]);
    expect(p['nature'].enum).toEqual([...CONTROL_NATURES]);
    expect(p['ownerRole'].enum).toEqual([...OWNER_ROLES]);
    expect(controlSchema.$defs.frequency.enum).toEqual([...FREQUENCIES]);
    expect(controlSchema.$defs.evidence.properties['type'].enum).toEqual([...EVIDENCE_TYPES]);
    expect(criteriaSchema.$defs.categoryId.enum).toEqual([...CATEGORY_IDS]);
  });
});
