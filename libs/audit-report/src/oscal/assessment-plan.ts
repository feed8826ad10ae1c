import { ATTEST_OSCAL_NAMESPACE } from '@attest/catalog';
import type { AuditReportModel, ReportControl } from '../report-model';
import type {
  OscalActivity,
  OscalAssessmentPart,
  OscalAssessmentPlanDocument,
  OscalSubjectSelection,
  OscalTask,
} from './oscal-assessment-model';
import {
  OSCAL_METHOD,
  assessmentMetadata,
  assessmentPeriod,
  attestProp,
  controlTokens,
  engagementUuid,
  reviewedControls,
  tokenOf,
} from './oscal-engagement';

/** Where the service serves a report format: the plan and the results link to each other and to the report. */
export const reportHref = (model: AuditReportModel, format: 'html' | 'oscal-ap' | 'oscal-ar') =>
  `/v1/engagements/${encodeURIComponent(model.engagement.engagementId)}/report?format=${format}`;

/** The system under audit: OSCAL selects subjects from an SSP's components; here all of the described system's. */
const systemSubjects = (model: AuditReportModel): OscalSubjectSelection[] => [
  {
    type: 'component',
    description: `Every component of ${model.organization.name} as its system description (section 3 of the report) states.`,
    'include-all': {},
  },
];

export const activityUuid = (model: AuditReportModel, control: ReportControl, procedure: string) =>
  engagementUuid(model, 'activity', control.controlId, procedure);
export const taskUuid = (model: AuditReportModel, control: ReportControl) =>
  engagementUuid(model, 'task', control.controlId);

/**
 * The engagement as an OSCAL assessment plan: the controls in scope (and the criteria they address) as reviewed
 * controls, one activity per control and procedure (its OSCAL method), one task per control over the period with
 * the population and the sample drawn from it in props (hash, seed, size: what an auditor needs to re-perform the
 * selection), and the period, sampling and carve-outs as terms and conditions. There is no OSCAL SSP: import-ssp
 * points at a back-matter resource naming the report's system description.
 */
export function oscalAssessmentPlan(model: AuditReportModel): OscalAssessmentPlanDocument {
  const tokens = controlTokens(model);
  const period = assessmentPeriod(model);
  const sspResource = engagementUuid(model, 'resource', 'system-description');
  const activities = model.controls.flatMap((control) =>
    control.procedures.map((procedure): OscalActivity => ({
      uuid: activityUuid(model, control, procedure),
      title: `${capitalized(procedure)} of ${control.code}`,
      description: `${capitalized(procedure)} performed on ${control.code} ${control.name}: ${control.description}`,
      props: [{ name: 'method', value: OSCAL_METHOD[procedure] }, attestProp('procedure', procedure)],
      'related-controls': {
        'control-selections': [{ 'include-controls': [{ 'control-id': tokenOf(tokens, control) }] }],
      },
    })),
  );
  const tasks = model.controls.map((control): OscalTask => ({
    uuid: taskUuid(model, control),
    type: 'action',
    title: `Test ${control.code} ${control.name}`,
    description: testDescription(model, control),
    props: [
      attestProp('control-id', control.controlId),
      attestProp('frequency', control.frequency),
      ...control.criteria.map((c) => attestProp('criterion', c)),
      ...samplingProps(control),
    ],
    timing:
      model.engagement.type === 'type-2'
        ? { 'within-date-range': { start: period.start, end: period.end } }
        : { 'on-date': { date: period.start } },
    ...(control.procedures.length > 0 && {
      'associated-activities': control.procedures.map((procedure) => ({
        'activity-uuid': activityUuid(model, control, procedure),
        subjects: systemSubjects(model),
      })),
    }),
  }));

  return {
    'assessment-plan': {
      uuid: engagementUuid(model, 'assessment-plan'),
      metadata: assessmentMetadata(model, `Assessment plan: ${model.engagement.name}`),
      'import-ssp': {
        href: `#${sspResource}`,
        remarks:
          'SOC 2 has no OSCAL system security plan; the system description of the report takes its place.',
      },
      ...(activities.length > 0 && { 'local-definitions': { activities } }),
      'terms-and-conditions': { parts: termsAndConditions(model) },
      'reviewed-controls': reviewedControls(model, tokens),
      'assessment-subjects': systemSubjects(model),
      ...(tasks.length > 0 && { tasks }),
      'back-matter': {
        resources: [
          {
            uuid: sspResource,
            title: `System description of ${model.organization.name}`,
            description:
              'Section 3 of the SOC 2 report: services, commitments, components, subservice organizations.',
            rlinks: [{ href: reportHref(model, 'html'), 'media-type': 'text/html' }],
          },
        ],
      },
    },
  };
}

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

function testDescription(model: AuditReportModel, control: ReportControl): string {
  const how = control.procedures.length > 0 ? control.procedures.join(', ') : 'procedures not yet set';
  return model.engagement.type === 'type-2'
    ? `Operating effectiveness of ${control.code} over the window (${how}).`
    : `Design and implementation of ${control.code} as of ${model.engagement.asOf} (${how}).`;
}

/** The frozen population and the sample drawn from it, so the selection can be re-performed from the plan alone. */
function samplingProps(control: ReportControl) {
  return [
    ...(control.population
      ? [
          attestProp('population-id', control.population.populationId),
          attestProp('population-size', control.population.size),
          attestProp('population-hash', control.population.hash),
          attestProp('population-frozen-at', control.population.frozenAt),
        ]
      : []),
    ...(control.sample
      ? [
          attestProp('sample-id', control.sample.sampleId),
          attestProp('sample-seed', control.sample.seed),
          attestProp('sample-size', control.sample.size),
          attestProp('tested-in-full', control.sample.testedInFull),
        ]
      : []),
  ];
}

function termsAndConditions(model: AuditReportModel): OscalAssessmentPart[] {
  const { engagement, scope } = model;
  const part = (
    name: string,
    title: string,
    prose: string,
    parts?: OscalAssessmentPart[],
  ): OscalAssessmentPart => ({
    name,
    ns: ATTEST_OSCAL_NAMESPACE,
    title,
    prose,
    ...(parts && parts.length > 0 && { parts }),
  });
  return [
    engagement.type === 'type-2'
      ? part(
          'assessment-period',
          'Observation window (Type II)',
          `Operating effectiveness is tested from ${engagement.window?.from} to ${engagement.window?.to}.`,
        )
      : part(
          'assessment-as-of',
          'As-of date (Type I)',
          `Design and implementation are tested as of ${engagement.asOf}.`,
        ),
    part(
      'sampling',
      'Populations and samples',
      'Each population is frozen with the SHA-256 hash of its canonical listing; the sample is drawn from it with ' +
        'a recorded seed by a SHA-256 counter-mode generator, so anyone re-performs the selection from the seed ' +
        'and the population hash in the task props. Small populations are tested in full.',
    ),
    part(
      'service-auditor',
      'Service auditor',
      [engagement.firm.name, ...engagement.firm.auditors.map((a) => `${a.name} (${a.role})`)].join('; '),
    ),
    ...(scope.cuecs.length > 0
      ? [
          part(
            'complementary-user-entity-controls',
            'Complementary user entity controls',
            'Controls the user entities are expected to operate.',
            scope.cuecs.map((c) =>
              part('cuec', c.id, `${c.description} (criteria: ${c.criteria.join(', ')})`),
            ),
          ),
        ]
      : []),
    ...(scope.subserviceOrganizations.length > 0
      ? [
          part(
            'subservice-organizations',
            'Subservice organizations',
            'Subservice organizations and the method by which they are presented.',
            scope.subserviceOrganizations.map((s) =>
              part(
                'subservice-organization',
                s.name,
                `${s.services} (${s.method} method)` +
                  (s.csocs.length > 0
                    ? `; complementary subservice organization controls: ${s.csocs.join('; ')}`
                    : ''),
              ),
            ),
          ),
        ]
      : []),
  ];
}
