import { deciderSpec, foldEvents } from '@attest/decider';
import { contractForCeType } from '@attest/event-contracts';
import { assessmentDecider, type ReviseSystemDescription, type StartAssessment } from './assessment';
import type {
  AssessmentCompleted,
  AssessmentEvent,
  AssessmentStarted,
  SystemDescription,
  SystemDescriptionRevised,
} from './events';
import { systemDescriptionProblems } from './system-description';
import { ASSESSMENT_ID, expectContractValid, priya, systemDescription, tinyCatalog } from './test-fixtures';

const catalog = tinyCatalog();
const decider = assessmentDecider(catalog);
const spec = () => deciderSpec(decider);
const STARTED_AT = '2026-03-02T09:00:00.000Z';
const REVISED_AT = '2026-03-20T11:00:00.000Z';

/** The tiny catalog's security and availability criteria: CC1.1, CC6.1, CC9.1, A1.3 (C1.1 is confidentiality). */
const SCOPE = ['security', 'availability'] as const;

const started: AssessmentStarted = {
  type: 'AssessmentStarted',
  data: {
    assessmentId: ASSESSMENT_ID,
    name: 'FY26 readiness',
    startedAt: STARTED_AT,
    actor: priya,
    scope: { categories: [...SCOPE], criteriaEdition: 'tsc-2017-rev2022' },
    catalogVersion: '1.0.0',
    systemDescription,
  },
};

/** What an auditor expects beyond the basics: CUECs, a carve-out with its CSOCs, a criterion not relevant. */
const described: SystemDescription = {
  ...systemDescription,
  subserviceOrganizations: [
    {
      name: 'Amazon Web Services',
      services: 'Hosting',
      method: 'carve-out',
      complementarySubserviceOrganizationControls: [
        { id: 'CSOC-1', description: 'Physical access to data centers is restricted.', criteria: ['CC6.1'] },
      ],
    },
    { name: 'Okta', services: 'Workforce sign-on', method: 'inclusive' },
  ],
  complementaryUserEntityControls: [
    {
      id: 'CUEC-1',
      description: 'Customers review their own dashboard users.',
      criteria: ['CC6.1', 'CC1.1'],
    },
  ],
  criteriaNotRelevant: [{ criterionId: 'CC9.1', reason: 'No business disruption insurance is in scope.' }],
  significantChanges: [{ date: '2026-03-15', description: 'Moved ingestion to EKS.' }],
};

const revise = (
  description: SystemDescription,
  changeSummary = 'Added CUECs and CSOCs.',
): ReviseSystemDescription => ({
  type: 'ReviseSystemDescription',
  assessmentId: ASSESSMENT_ID,
  systemDescription: description,
  changeSummary,
  revisedAt: REVISED_AT,
  actor: priya,
});

const revised = (revision: number, description: SystemDescription): SystemDescriptionRevised => ({
  type: 'SystemDescriptionRevised',
  data: {
    assessmentId: ASSESSMENT_ID,
    revision,
    systemDescription: description,
    changeSummary: 'Added CUECs and CSOCs.',
    revisedAt: REVISED_AT,
    actor: priya,
  },
});

const completed: AssessmentCompleted = {
  type: 'AssessmentCompleted',
  data: {
    assessmentId: ASSESSMENT_ID,
    completedAt: '2026-05-01T10:00:00.000Z',
    actor: priya,
    catalogVersion: '1.0.0',
    categories: [...SCOPE],
    scores: { overall: 50, byCategory: [], bySeries: [] },
    counts: {
      pointsOfFocusInScope: 9,
      answered: 9,
      implemented: 4,
      partiallyImplemented: 2,
      notImplemented: 2,
      notApplicable: 1,
      gaps: 0,
      gapsBySeverity: { critical: 0, high: 0, medium: 0, low: 0 },
    },
  },
};

const problemsOf = (description: SystemDescription) =>
  systemDescriptionProblems(description, [...SCOPE], catalog).map(({ pointer, rule }) => ({ pointer, rule }));

describe('system description rules', () => {
  it('accepts CUECs, a carve-out with its CSOCs, an inclusive organization without any, and a criterion not relevant', () => {
    expect(problemsOf(described)).toEqual([]);
  });

  it('still counts the free-text CSOCs of older descriptions for a carve-out', () => {
    expect(problemsOf(systemDescription)).toEqual([]);
  });

  it('wants the CSOCs of a carved-out organization', () => {
    const carvedOut: SystemDescription = {
      ...systemDescription,
      subserviceOrganizations: [{ name: 'Google Cloud', services: 'Hosting', method: 'carve-out' }],
    };
    expect(problemsOf(carvedOut)).toEqual([
      {
        pointer: '/systemDescription/subserviceOrganizations/0/complementarySubserviceOrganizationControls',
        rule: 'csocs-required',
      },
    ]);
  });

  it('names criteria of the catalog in the assessment’s scope only', () => {
    const outside: SystemDescription = {
      ...described,
      complementaryUserEntityControls: [
        { id: 'CUEC-1', description: 'Customers classify what they upload.', criteria: ['C1.1', 'CC4.9'] },
      ],
      criteriaNotRelevant: [{ criterionId: 'CC99.1', reason: 'Not a thing.' }],
    };
    expect(problemsOf(outside)).toEqual([
      {
        pointer: '/systemDescription/complementaryUserEntityControls/0/criteria/0',
        rule: 'criterion-out-of-scope',
      },
      {
        pointer: '/systemDescription/complementaryUserEntityControls/0/criteria/1',
        rule: 'unknown-criterion',
      },
      { pointer: '/systemDescription/criteriaNotRelevant/0/criterionId', rule: 'unknown-criterion' },
    ]);
    // In an assessment that covers confidentiality, C1.1 is fine.
    expect(systemDescriptionProblems(outside, [...SCOPE, 'confidentiality'], catalog)).toHaveLength(2);
  });

  it('wants a reason that says something, control ids used once and each criterion declared once', () => {
    const sloppy: SystemDescription = {
      ...described,
      complementaryUserEntityControls: [{ id: 'CSOC-1', description: '  ', criteria: ['CC1.1', 'CC1.1'] }],
      criteriaNotRelevant: [
        { criterionId: 'CC9.1', reason: ' \n ' },
        { criterionId: 'CC9.1', reason: 'Said twice.' },
      ],
    };
    expect(problemsOf(sloppy)).toEqual([
      { pointer: '/systemDescription/complementaryUserEntityControls/0/description', rule: 'blank' },
      { pointer: '/systemDescription/complementaryUserEntityControls/0/criteria/1', rule: 'duplicate' },
      {
        pointer:
          '/systemDescription/subserviceOrganizations/0/complementarySubserviceOrganizationControls/0/id',
        rule: 'duplicate',
      },
      { pointer: '/systemDescription/criteriaNotRelevant/0/reason', rule: 'blank' },
      { pointer: '/systemDescription/criteriaNotRelevant/1/criterionId', rule: 'duplicate' },
    ]);
  });
});

describe('system description revisions', () => {
  it('starts an assessment only with a description that follows the rules', () => {
    const start: StartAssessment = {
      type: 'StartAssessment',
      assessmentId: ASSESSMENT_ID,
      name: 'FY26 readiness',
      categories: ['availability'],
      catalogVersion: '1.0.0',
      systemDescription: {
        ...described,
        criteriaNotRelevant: [{ criterionId: 'C1.1', reason: 'No secrets.' }],
      },
      startedAt: STARTED_AT,
      actor: priya,
    };
    const refusal = spec().given([]).when(start).thenRefuses('system-description-invalid');
    expect(refusal.details['problems']).toEqual([
      {
        pointer: '/systemDescription/criteriaNotRelevant/0/criterionId',
        rule: 'criterion-out-of-scope',
        message: "C1.1 belongs to confidentiality, which is not in the assessment's scope",
      },
    ]);
  });

  it('records the first revision as revision 1, with the whole description, within its contract', () => {
    const events = spec()
      .given([started])
      .when(revise(described))
      .then([revised(1, described)]);
    expectContractValid(events);
  });

  it('counts each revision on from the previous one and keeps the latest in the state', () => {
    const later = { ...described, criteriaNotRelevant: [] };
    spec()
      .given([started, revised(1, described)])
      .when(revise(later))
      .then([revised(2, later)]);
    const state = foldEvents(decider, [
      started,
      revised(1, described),
      revised(2, later),
    ] as AssessmentEvent[]);
    expect(state).toMatchObject({ systemDescription: later, systemDescriptionRevision: 2 });
    expect(foldEvents(decider, [started] as AssessmentEvent[])).toMatchObject({
      systemDescription,
      systemDescriptionRevision: 0,
    });
  });

  it('records nothing for the same description again, whatever the summary says', () => {
    spec()
      .given([started, revised(1, described)])
      .when(revise(structuredClone(described), 'Retried.'))
      .then([]);
    spec().given([started]).when(revise(systemDescription)).then([]);
  });

  it('revises a completed assessment too, leaving its completion as it was', () => {
    spec()
      .given([started, completed])
      .when(revise(described))
      .then([revised(1, described)]);
    const state = foldEvents(decider, [started, completed, revised(1, described)] as AssessmentEvent[]);
    expect(state).toMatchObject({ status: 'completed', completedAt: completed.data.completedAt });
  });

  it('refuses a description that breaks the rules, a blank summary, and an assessment that does not exist', () => {
    const carvedOut: SystemDescription = {
      ...described,
      subserviceOrganizations: [{ name: 'Google Cloud', services: 'Hosting', method: 'carve-out' }],
    };
    spec().given([started]).when(revise(carvedOut)).thenRefuses('system-description-invalid');
    spec().given([started]).when(revise(described, '   ')).thenRefuses('change-summary-required');
    spec().given([]).when(revise(described)).thenRefuses('assessment-not-found');
  });
});

describe('the SystemDescriptionRevised contract', () => {
  it('describes the system description exactly as AssessmentStarted does', () => {
    const of = (ceType: string) => contractForCeType(ceType)?.schema.properties['systemDescription'];
    const { description: _started, ...asStarted } = of('io.attest.readiness.assessment-started.v1') ?? {};
    const { description: _revised, ...asRevised } =
      of('io.attest.readiness.system-description-revised.v1') ?? {};
    expect(asRevised).toEqual(asStarted);
    expect(asRevised).toHaveProperty('properties.criteriaNotRelevant');
  });
});
