import type { AuditReportModel, ControlConclusion, ReportControl, ReportException } from '../report-model';
import { reportHref, taskUuid } from './assessment-plan';
import type {
  OscalAssessmentResultsDocument,
  OscalFinding,
  OscalObservation,
  OscalOrigin,
  OscalRisk,
} from './oscal-assessment-model';
import {
  OSCAL_METHOD,
  assessmentMetadata,
  assessmentPeriod,
  attestProp,
  controlTokens,
  engagementUuid,
  partyUuid,
  reviewedControls,
  statementId,
  tokenOf,
} from './oscal-engagement';

/** A control's conclusion as the status of the finding on its statement. */
const CONCLUSION_STATUS: Record<ControlConclusion, OscalFinding['target']['status']> = {
  'no-exceptions-noted': { state: 'satisfied', reason: 'pass' },
  'exceptions-noted': { state: 'not-satisfied', reason: 'fail' },
  // Untested is no evidence the control operates: not satisfied, for a reason other than a failed test.
  'not-tested': { state: 'not-satisfied', reason: 'other' },
};

const CONCLUSION_TEXT: Record<ControlConclusion, string> = {
  'no-exceptions-noted': 'No exceptions noted.',
  'exceptions-noted': 'Exceptions noted.',
  'not-tested': 'Not tested.',
};

/**
 * The engagement's outcome as OSCAL assessment results: one result over the window (Type II) or the as-of day
 * (Type I) holding an observation per test result (its procedure as the OSCAL method), a risk and a finding per
 * exception (the management response as the risk's remediation and in the finding's remarks), and a finding per
 * control whose target status is the control's conclusion.
 */
export function oscalAssessmentResults(model: AuditReportModel): OscalAssessmentResultsDocument {
  const tokens = controlTokens(model);
  const period = assessmentPeriod(model);
  const planResource = engagementUuid(model, 'resource', 'assessment-plan');
  const observations: OscalObservation[] = [];
  const risks: OscalRisk[] = [];
  const findings: OscalFinding[] = [];

  for (const control of model.controls) {
    const controlObservations = control.results.map((r) => observation(model, control, r));
    observations.push(...controlObservations);
    const exceptionRisks: OscalRisk[] = [];
    for (const exception of control.exceptions) {
      const related = exceptionObservations(model, control, exception);
      const risk = exceptionRisk(model, control, exception, related);
      exceptionRisks.push(risk);
      findings.push(
        exceptionFinding(model, control, exception, tokenOf(tokens, control), related, risk.uuid),
      );
    }
    risks.push(...exceptionRisks);
    findings.push({
      uuid: engagementUuid(model, 'finding', control.controlId, 'conclusion'),
      title: `${control.code} ${control.name}`,
      description: conclusionDescription(control),
      props: [
        attestProp('control-id', control.controlId),
        attestProp('conclusion', control.conclusion),
        ...(control.deviationRate === null ? [] : [attestProp('deviation-rate', control.deviationRate)]),
        ...control.criteria.map((c) => attestProp('criterion', c)),
      ],
      target: {
        type: 'statement-id',
        'target-id': statementId(tokenOf(tokens, control)),
        status: CONCLUSION_STATUS[control.conclusion],
      },
      ...related(
        'related-observations',
        controlObservations.map((o) => ({ 'observation-uuid': o.uuid })),
      ),
      ...related(
        'related-risks',
        exceptionRisks.map((r) => ({ 'risk-uuid': r.uuid })),
      ),
    });
  }

  const typeLabel = model.engagement.type === 'type-2' ? 'Type II' : 'Type I';
  return {
    'assessment-results': {
      uuid: engagementUuid(model, 'assessment-results'),
      metadata: assessmentMetadata(model, `Assessment results: ${model.engagement.name}`),
      'import-ap': { href: `#${planResource}` },
      results: [
        {
          uuid: engagementUuid(model, 'result'),
          title: `${typeLabel} results: ${model.engagement.name}`,
          description:
            model.engagement.type === 'type-2'
              ? `Operating effectiveness of the controls in scope from ${model.engagement.window?.from} to ${model.engagement.window?.to}.`
              : `Design and implementation of the controls in scope as of ${model.engagement.asOf}.`,
          start: period.start,
          end: period.end,
          props: [attestProp('engagement-type', model.engagement.type)],
          'reviewed-controls': reviewedControls(model, tokens),
          ...related('observations', observations),
          ...related('risks', risks),
          ...related('findings', findings),
        },
      ],
      'back-matter': {
        resources: [
          {
            uuid: planResource,
            title: `Assessment plan: ${model.engagement.name}`,
            description: `The assessment plan ${engagementUuid(model, 'assessment-plan')} these results follow.`,
            rlinks: [{ href: reportHref(model, 'oscal-ap'), 'media-type': 'application/oscal.ap+json' }],
          },
        ],
      },
    },
  };
}

/** OSCAL arrays hold at least one item: an empty list is left out. */
const related = <K extends string, T>(key: K, items: T[]) =>
  (items.length > 0 ? { [key]: items } : {}) as Partial<Record<K, T[]>>;

const observationUuid = (model: AuditReportModel, control: ReportControl, resultId: string) =>
  engagementUuid(model, 'observation', control.controlId, resultId);

const personOrigin = (model: AuditReportModel, name: string, roleId: string): OscalOrigin => ({
  actors: [{ type: 'party', 'actor-uuid': partyUuid(model, 'person', name), 'role-id': roleId }],
});

function observation(
  model: AuditReportModel,
  control: ReportControl,
  result: ReportControl['results'][number],
): OscalObservation {
  const what = result.occurrenceLabel ?? result.occurrenceId ?? control.name;
  return {
    uuid: observationUuid(model, control, result.resultId),
    title: `${control.code}: ${result.procedure} of ${what}`,
    description:
      result.description ?? (result.result === 'exception' ? 'Exception noted.' : 'No exception noted.'),
    props: [
      attestProp('control-id', control.controlId),
      attestProp('result-id', result.resultId),
      attestProp('procedure', result.procedure),
      attestProp('result', result.result),
      ...(result.occurrenceId === undefined ? [] : [attestProp('occurrence-id', result.occurrenceId)]),
    ],
    methods: [OSCAL_METHOD[result.procedure]],
    types: result.result === 'exception' ? ['control-objective', 'finding'] : ['control-objective'],
    origins: [
      {
        ...personOrigin(model, result.tester, 'assessor'),
        'related-tasks': [{ 'task-uuid': taskUuid(model, control) }],
      },
    ],
    ...(result.occurrenceLabel && { 'relevant-evidence': [{ description: result.occurrenceLabel }] }),
    collected: result.testedAt,
  };
}

/** The exception results an exception was raised on: the same sample item (Type II) or the control's (Type I). */
function exceptionObservations(model: AuditReportModel, control: ReportControl, exception: ReportException) {
  return control.results
    .filter((r) => r.result === 'exception' && r.occurrenceId === exception.occurrenceId)
    .map((r) => ({ 'observation-uuid': observationUuid(model, control, r.resultId) }));
}

function exceptionRisk(
  model: AuditReportModel,
  control: ReportControl,
  exception: ReportException,
  observations: { 'observation-uuid': string }[],
): OscalRisk {
  const response = exception.managementResponse;
  return {
    uuid: engagementUuid(model, 'risk', control.controlId, exception.exceptionId),
    title: `Exception in ${control.code} ${control.name}`,
    description: exception.description,
    statement: `${control.code} did not operate as described${exception.occurrenceId ? ` for ${exception.occurrenceId}` : ''}.`,
    props: [attestProp('exception-id', exception.exceptionId), attestProp('control-id', control.controlId)],
    // The service organization answers an exception; the auditor does not judge its remediation here.
    status: 'open',
    ...(response && {
      remediations: [
        {
          uuid: engagementUuid(model, 'response', control.controlId, exception.exceptionId),
          lifecycle: 'planned' as const,
          title: "Management's response",
          description: response.response,
          props: [attestProp('responded-at', response.respondedAt)],
          origins: [personOrigin(model, response.by, 'prepared-for')],
        },
      ],
    }),
    ...related('related-observations', observations),
  };
}

function exceptionFinding(
  model: AuditReportModel,
  control: ReportControl,
  exception: ReportException,
  controlToken: string,
  observations: { 'observation-uuid': string }[],
  riskUuid: string,
): OscalFinding {
  const response = exception.managementResponse;
  return {
    uuid: engagementUuid(model, 'finding', control.controlId, exception.exceptionId),
    title: `Exception: ${control.code} ${control.name}`,
    description: exception.description,
    props: [
      attestProp('exception-id', exception.exceptionId),
      attestProp('control-id', control.controlId),
      ...(exception.occurrenceId === undefined ? [] : [attestProp('occurrence-id', exception.occurrenceId)]),
    ],
    target: {
      type: 'statement-id',
      'target-id': statementId(controlToken),
      status: { state: 'not-satisfied', reason: 'fail' },
    },
    ...related('related-observations', observations),
    'related-risks': [{ 'risk-uuid': riskUuid }],
    remarks: response
      ? `Management's response (${response.by}, ${response.respondedAt}): ${response.response}`
      : 'No management response has been recorded.',
  };
}

function conclusionDescription(control: ReportControl): string {
  const tested = control.results.length;
  const exceptions = control.results.filter((r) => r.result === 'exception').length;
  const sample = control.sample
    ? control.sample.testedInFull
      ? ` (the population of ${control.population?.size ?? control.sample.size}, tested in full)`
      : ` (a sample of ${control.sample.size}${control.population ? ` from a population of ${control.population.size}` : ''})`
    : '';
  return tested === 0
    ? CONCLUSION_TEXT[control.conclusion]
    : `${tested} item(s) tested${sample}, ${exceptions} exception(s). ${CONCLUSION_TEXT[control.conclusion]}`;
}
