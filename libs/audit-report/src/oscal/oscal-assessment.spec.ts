import type { AuditReportModel, ReportControl } from '../report-model';
import { oscalAssessmentPlan, oscalAssessmentResults, OSCAL_ASSESSMENT_VERSION } from './index';
import type { OscalAssessmentPlanDocument, OscalAssessmentResultsDocument } from './oscal-assessment-model';
import { validateOscalAssessments } from './testing';

const control = (
  overrides: Partial<ReportControl> & Pick<ReportControl, 'controlId' | 'code'>,
): ReportControl => ({
  name: `Control ${overrides.code}`,
  description: `What ${overrides.code} does.`,
  frequency: 'daily',
  criteria: ['CC6.1'],
  procedures: ['inspection'],
  results: [],
  deviationRate: null,
  exceptions: [],
  conclusion: 'not-tested',
  ...overrides,
});

const typeTwo: AuditReportModel = {
  generatedAt: '2026-11-02T09:30:00.000Z',
  organization: { tenantId: 'tenant-acme', name: 'Acme Cloud Platform' },
  engagement: {
    engagementId: 'e7a6c2f0-3f7e-4b8e-9a55-0f3e1d2c4b5a',
    name: 'Acme SOC 2 Type II 2026',
    type: 'type-2',
    window: { from: '2026-01-01', to: '2026-06-30' },
    firm: {
      name: 'Ledger & Co CPAs',
      auditors: [
        { name: 'Ada Auditor', role: 'lead' },
        { name: 'Sam Staff', role: 'staff' },
      ],
    },
    status: 'reporting',
    categories: ['security', 'availability'],
  },
  systemDescription: null,
  scope: {
    categories: ['security', 'availability'],
    controlIds: ['c-backup', 'c-access', 'c-policy'],
    cuecs: [{ id: 'CUEC-1', description: 'Customers manage their own user access.', criteria: ['CC6.2'] }],
    subserviceOrganizations: [
      {
        name: 'Cloud Hosting Inc.',
        services: 'Infrastructure hosting',
        method: 'carve-out',
        csocs: ['Physical access'],
      },
    ],
  },
  criteria: [
    {
      criterionId: 'CC6.1',
      category: 'security',
      text: 'Logical access',
      controlIds: ['c-access', 'c-policy'],
    },
    { criterionId: 'A1.2', category: 'availability', text: 'Backups', controlIds: ['c-backup'] },
  ],
  criteriaNotRelevant: [],
  controls: [
    control({
      controlId: 'c-backup',
      code: 'BC-01',
      name: 'Daily backups',
      criteria: ['A1.2'],
      procedures: ['inspection', 're-performance'],
      population: {
        populationId: 'p-backup',
        size: 181,
        hash: 'ab'.repeat(32),
        frozenAt: '2026-07-02T10:00:00Z',
      },
      sample: { sampleId: 's-backup', seed: 'cd'.repeat(32), size: 2, testedInFull: false },
      results: [
        {
          resultId: 'r-1',
          occurrenceId: 'test:backup:2026-02-03',
          occurrenceLabel: 'Backup run of 2026-02-03',
          procedure: 'inspection',
          result: 'no-exception',
          testedAt: '2026-07-10T12:00:00Z',
          tester: 'Sam Staff',
        },
        {
          resultId: 'r-2',
          occurrenceId: 'test:backup:2026-04-17',
          occurrenceLabel: 'Backup run of 2026-04-17',
          procedure: 're-performance',
          result: 'exception',
          description: 'The backup of 2026-04-17 did not complete and no alert was raised.',
          testedAt: '2026-07-10T12:30:00Z',
          tester: 'Ada Auditor',
        },
      ],
      deviationRate: 0.5,
      exceptions: [
        {
          exceptionId: 'x-1',
          occurrenceId: 'test:backup:2026-04-17',
          description: 'The backup of 2026-04-17 did not complete and no alert was raised.',
          managementResponse: {
            response: 'The alert rule was fixed on 2026-04-20 and backups are now monitored hourly.',
            respondedAt: '2026-07-15T08:00:00Z',
            by: 'Carla Compliance',
          },
        },
      ],
      conclusion: 'exceptions-noted',
    }),
    control({
      controlId: 'c-access',
      code: 'AC-02',
      name: 'Quarterly access review',
      frequency: 'quarterly',
      procedures: ['inquiry', 'observation'],
      population: {
        populationId: 'p-access',
        size: 2,
        hash: 'ef'.repeat(32),
        frozenAt: '2026-07-02T10:00:00Z',
      },
      sample: { sampleId: 's-access', seed: '01'.repeat(32), size: 2, testedInFull: true },
      results: [
        {
          resultId: 'r-3',
          occurrenceId: 'evidence:review-q1:v1',
          occurrenceLabel: 'Q1 access review',
          procedure: 'inquiry',
          result: 'no-exception',
          testedAt: '2026-07-11T09:00:00Z',
          tester: 'Sam Staff',
        },
        {
          resultId: 'r-4',
          occurrenceId: 'evidence:review-q2:v1',
          occurrenceLabel: 'Q2 access review',
          procedure: 'observation',
          result: 'no-exception',
          testedAt: '2026-07-11T09:30:00Z',
          tester: 'Sam Staff',
        },
      ],
      deviationRate: 0,
      conclusion: 'no-exceptions-noted',
    }),
    control({ controlId: 'c-policy', code: 'POL 3', name: 'Policy acceptance', procedures: [] }),
  ],
  requests: { total: 12, fulfilledWithoutUpload: 10, share: 10 / 12 },
};

const typeOne: AuditReportModel = {
  ...typeTwo,
  engagement: {
    ...typeTwo.engagement,
    engagementId: '5b0d7f9e-2c1a-4e3b-8d6f-7a9b0c1d2e3f',
    name: 'Acme SOC 2 Type I',
    type: 'type-1',
    window: undefined,
    asOf: '2026-03-31',
    status: 'fieldwork',
  },
  controls: [
    control({
      controlId: 'c-access',
      code: 'AC-02',
      procedures: ['inspection'],
      results: [
        {
          resultId: 'r-9',
          procedure: 'inspection',
          result: 'no-exception',
          testedAt: '2026-04-02T10:00:00Z',
          tester: 'Ada Auditor',
        },
      ],
      deviationRate: 0,
      conclusion: 'no-exceptions-noted',
    }),
  ],
};

const plan = (m: AuditReportModel) => oscalAssessmentPlan(m)['assessment-plan'];
const results = (m: AuditReportModel) => oscalAssessmentResults(m)['assessment-results'];
const prop = (props: { name: string; value: string }[] | undefined, name: string) =>
  props?.find((p) => p.name === name)?.value;

describe('OSCAL assessment plan and results', () => {
  it('are valid for compliance-trestle and for NIST OSCAL 1.2.3 JSON schema, Type II and Type I', () => {
    const { validator, results: verdicts } = validateOscalAssessments({
      'type-2-ap.json': oscalAssessmentPlan(typeTwo),
      'type-2-ar.json': oscalAssessmentResults(typeTwo),
      'type-1-ap.json': oscalAssessmentPlan(typeOne),
      'type-1-ar.json': oscalAssessmentResults(typeOne),
    });
    expect(validator).toMatch(
      /^compliance-trestle 5\.\d+\.\d+ \(OSCAL 1\.2\.\d+ models\) \+ jsonschema .*\(NIST OSCAL 1\.2\.3 JSON schema\)$/,
    );
    expect([...verdicts.entries()]).toEqual([
      ['type-2-ap.json', { valid: true, model: 'assessment-plan' }],
      ['type-2-ar.json', { valid: true, model: 'assessment-results' }],
      ['type-1-ap.json', { valid: true, model: 'assessment-plan' }],
      ['type-1-ar.json', { valid: true, model: 'assessment-results' }],
    ]);
    expect(plan(typeTwo).metadata['oscal-version']).toBe('1.2.3');
    expect(OSCAL_ASSESSMENT_VERSION).toBe('1.2.3');
  });

  it('reports a broken document invalid, naming what is wrong and which validator said so', () => {
    const broken = <T>(document: T, change: (d: T) => void): T => {
      const copy = structuredClone(document);
      change(copy);
      return copy;
    };
    const ap = oscalAssessmentPlan(typeTwo);
    const ar = oscalAssessmentResults(typeTwo);
    const { results: verdicts } = validateOscalAssessments({
      'no-methods.json': broken(ar, (d) => {
        delete (d['assessment-results'].results[0].observations?.[0] as { methods?: unknown }).methods;
      }),
      'bad-uuid.json': broken(ap, (d) => (d['assessment-plan'].uuid = 'not-a-uuid')),
      'trailing-newline.json': broken(ap, (d) =>
        d['assessment-plan'].tasks?.[0].props?.push({ name: 'x', value: 'abc\n' }),
      ),
      'old-version.json': broken(ap, (d) => (d['assessment-plan'].metadata['oscal-version'] = '1.1.3')),
      'duplicate-uuid.json': broken(ar, (d) => {
        const [first, second] = d['assessment-results'].results[0].findings ?? [];
        second.uuid = first.uuid;
      }),
      'unknown-status.json': broken(ar, (d) => {
        (d['assessment-results'].results[0].findings?.[0].target.status as { state: string }).state =
          'passed';
      }),
    });
    const error = (name: string) => {
      expect(verdicts.get(name)?.valid).toBe(false);
      return verdicts.get(name)?.error ?? '';
    };
    expect(error('no-methods.json')).toMatch(/compliance-trestle: .*methods/s);
    expect(error('no-methods.json')).toMatch(
      /JSON schema: assessment-results\/results\/0\/observations\/0: 'methods' is a required property/,
    );
    expect(error('bad-uuid.json')).toMatch(/JSON schema: assessment-plan\/uuid: 'not-a-uuid' does not match/);
    // ECMA-262 `$` does not match before a final newline (Python's `re` would); the JSON schema check follows ECMA.
    expect(error('trailing-newline.json')).toMatch(
      /JSON schema: assessment-plan\/tasks\/0\/props\/\d+\/value: 'abc\\n' does not match/,
    );
    expect(error('old-version.json')).toMatch(/oscal-version 1\.1\.3 is not OSCAL 1\.2\.x/);
    expect(error('duplicate-uuid.json')).toMatch(/duplicate uuids: [0-9a-f-]{36}/);
    expect(error('unknown-status.json')).toMatch(
      /JSON schema: .*findings\/0\/target\/status\/state: 'passed' is not one of/,
    );
  });

  it('plans the controls in scope, a task per control with its procedures as activities and the sampling in props', () => {
    const ap = plan(typeTwo);
    expect(ap['reviewed-controls']['control-selections'][0]['include-controls']).toEqual([
      { 'control-id': 'bc-01' },
      { 'control-id': 'ac-02' },
      { 'control-id': 'pol_3' },
    ]);
    expect(ap['reviewed-controls']['control-objective-selections']?.[0]['include-objectives']).toEqual([
      { 'objective-id': 'a1.2' },
      { 'objective-id': 'cc6.1' },
    ]);
    const backup = ap.tasks?.[0];
    expect(backup?.timing).toEqual({
      'within-date-range': { start: '2026-01-01T00:00:00Z', end: '2026-06-30T23:59:59Z' },
    });
    expect(prop(backup?.props, 'population-hash')).toBe('ab'.repeat(32));
    expect(prop(backup?.props, 'population-size')).toBe('181');
    expect(prop(backup?.props, 'sample-seed')).toBe('cd'.repeat(32));
    expect(prop(backup?.props, 'sample-size')).toBe('2');
    expect(prop(backup?.props, 'tested-in-full')).toBe('false');
    const activities = new Map(ap['local-definitions']?.activities.map((a) => [a.uuid, a]));
    expect(
      backup?.['associated-activities']?.map((a) =>
        prop(activities.get(a['activity-uuid'])?.props, 'method'),
      ),
    ).toEqual(['EXAMINE', 'TEST']);
    expect(ap['terms-and-conditions'].parts[0]).toMatchObject({
      name: 'assessment-period',
      prose: expect.stringContaining('2026-01-01'),
    });
    expect(ap['import-ssp'].href).toBe(`#${ap['back-matter'].resources[0].uuid}`);
    expect(plan(typeOne).tasks?.[0].timing).toEqual({ 'on-date': { date: '2026-03-31T00:00:00Z' } });
  });

  it('results hold an observation per test result, each exception with its response, each conclusion as a status', () => {
    const [result] = results(typeTwo).results;
    expect([result.start, result.end]).toEqual(['2026-01-01T00:00:00Z', '2026-06-30T23:59:59Z']);
    expect(result.observations?.map((o) => [prop(o.props, 'result-id'), o.methods])).toEqual([
      ['r-1', ['EXAMINE']],
      ['r-2', ['TEST']],
      ['r-3', ['INTERVIEW']],
      ['r-4', ['EXAMINE']],
    ]);
    const conclusions = result.findings?.filter((f) => prop(f.props, 'conclusion'));
    expect(conclusions?.map((f) => [f.target['target-id'], f.target.status.state])).toEqual([
      ['bc-01_smt', 'not-satisfied'],
      ['ac-02_smt', 'satisfied'],
      ['pol_3_smt', 'not-satisfied'],
    ]);
    const exception = result.findings?.find((f) => prop(f.props, 'exception-id') === 'x-1');
    expect(exception?.remarks).toContain('The alert rule was fixed on 2026-04-20');
    const exceptionObservation = result.observations?.find((o) => prop(o.props, 'result-id') === 'r-2');
    expect(exception?.['related-observations']).toEqual([{ 'observation-uuid': exceptionObservation?.uuid }]);
    const risk = result.risks?.find((r) => r.uuid === exception?.['related-risks']?.[0]['risk-uuid']);
    expect(risk?.remediations?.[0].description).toBe(
      'The alert rule was fixed on 2026-04-20 and backups are now monitored hourly.',
    );
    const [typeOneResult] = results(typeOne).results;
    expect([typeOneResult.start, typeOneResult.end]).toEqual([
      '2026-03-31T00:00:00Z',
      '2026-03-31T23:59:59Z',
    ]);
  });

  it('exports the same model byte-identically, with UUIDs of its own per engagement', () => {
    const ap = JSON.stringify(oscalAssessmentPlan(typeTwo));
    const ar = JSON.stringify(oscalAssessmentResults(typeTwo));
    expect(JSON.stringify(oscalAssessmentPlan(structuredClone(typeTwo)))).toBe(ap);
    expect(JSON.stringify(oscalAssessmentResults(structuredClone(typeTwo)))).toBe(ar);
    const apDocument = JSON.parse(ap) as OscalAssessmentPlanDocument;
    const arDocument = JSON.parse(ar) as OscalAssessmentResultsDocument;
    expect(apDocument['assessment-plan'].uuid).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(plan(typeOne).uuid).not.toBe(apDocument['assessment-plan'].uuid);
    expect(arDocument['assessment-results'].uuid).not.toBe(apDocument['assessment-plan'].uuid);
  });

  it('refuses a model without its period or controls rather than writing an invalid document', () => {
    const noWindow = { ...typeTwo, engagement: { ...typeTwo.engagement, window: undefined } };
    expect(() => oscalAssessmentPlan(noWindow)).toThrow('a type-2 engagement needs its window');
    expect(() => oscalAssessmentResults({ ...typeOne, controls: [] })).toThrow(
      'the engagement has no controls in scope',
    );
  });
});
