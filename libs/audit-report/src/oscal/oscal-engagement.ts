import { ATTEST_OSCAL_NAMESPACE, uuidV5, type OscalProperty } from '@attest/catalog';
import type { AuditReportModel, Procedure, ReportControl } from '../report-model';
import {
  OSCAL_ASSESSMENT_VERSION,
  type OscalAssessmentMetadata,
  type OscalMethod,
  type OscalParty,
  type OscalReviewedControls,
} from './oscal-assessment-model';

/**
 * What the assessment plan and the assessment results share: stable UUIDs, OSCAL tokens for the controls, the
 * parties, the reviewed controls and the period, so both documents name the same things the same way.
 */

/** UUID namespace of the engagement documents: with the engagement id and a stable path it gives every UUID. */
const ATTEST_ASSESSMENT_UUID_NAMESPACE = 'c8af49c7-cc04-4780-8708-67add0ae16bb';

/**
 * SOC 2 procedures as NIST SP 800-53A's assessment methods: inspection and observation examine (review, inspect,
 * observe), inquiry interviews, re-performance tests (exercises the control under the auditor's own conditions).
 */
export const OSCAL_METHOD: Record<Procedure, OscalMethod> = {
  inspection: 'EXAMINE',
  observation: 'EXAMINE',
  inquiry: 'INTERVIEW',
  're-performance': 'TEST',
};

/** The same engagement and path always give the same UUID, so exporting the same model twice is byte-identical. */
export const engagementUuid = (model: AuditReportModel, ...path: string[]): string =>
  uuidV5([model.engagement.engagementId, ...path].join('/'), ATTEST_ASSESSMENT_UUID_NAMESPACE);

export const attestProp = (name: string, value: string | number | boolean): OscalProperty => ({
  name,
  ns: ATTEST_OSCAL_NAMESPACE,
  value: String(value),
});

/** An OSCAL token (a letter or `_` first, then letters, digits, `.`, `-`, `_`) from a criterion id or control code. */
export function oscalToken(id: string): string {
  const token = id
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}._-]+/gu, '_');
  return /^[\p{L}_]/u.test(token) ? token : `_${token}`;
}

/**
 * The OSCAL control id of each control in scope, from its code (what the auditor and the report call it); a code
 * that two controls share as a token gets the control id's start, so every control keeps its own id.
 */
export function controlTokens(model: AuditReportModel): Map<string, string> {
  const tokens = new Map<string, string>();
  const taken = new Set<string>();
  for (const control of model.controls) {
    let token = oscalToken(control.code);
    if (taken.has(token)) token = `${token}_${oscalToken(control.controlId).replace(/^_/, '').slice(0, 8)}`;
    taken.add(token);
    tokens.set(control.controlId, token);
  }
  return tokens;
}

/** The statement of a control, which a finding targets (the `_smt` part, as in Attest's OSCAL catalogs). */
export const statementId = (controlToken: string) => `${controlToken}_smt`;

/** Type II: the observation window; Type I: the day the design is described as of. */
export function assessmentPeriod(model: AuditReportModel): { start: string; end: string } {
  const { type, window, asOf } = model.engagement;
  const from = type === 'type-2' ? window?.from : asOf;
  const to = type === 'type-2' ? window?.to : asOf;
  if (!from || !to) {
    throw new Error(`a ${type} engagement needs ${type === 'type-2' ? 'its window' : 'its as-of date'}`);
  }
  return { start: instant(from, '00:00:00'), end: instant(to, '23:59:59') };
}

/** A date (the engagement's days) as the instant OSCAL needs; an instant is kept as it is. */
const instant = (day: string, time: string) => (/^\d{4}-\d{2}-\d{2}$/.test(day) ? `${day}T${time}Z` : day);

export function reviewedControls(
  model: AuditReportModel,
  tokens: Map<string, string>,
): OscalReviewedControls {
  // OSCAL selects at least one control; an engagement without any has nothing to plan or report.
  if (model.controls.length === 0) throw new Error('the engagement has no controls in scope');
  const criteria = [...new Set(model.controls.flatMap((c) => c.criteria))].sort();
  return {
    description: `The controls of ${model.organization.name} in the scope of ${model.engagement.name}.`,
    'control-selections': [
      {
        description: `Categories: ${model.engagement.categories.join(', ')}.`,
        'include-controls': model.controls.map((c) => ({ 'control-id': tokenOf(tokens, c) })),
      },
    ],
    ...(criteria.length > 0 && {
      'control-objective-selections': [
        {
          description: 'The Trust Services Criteria the controls in scope address.',
          'include-objectives': criteria.map((id) => ({ 'objective-id': oscalToken(id) })),
        },
      ],
    }),
  };
}

export const tokenOf = (tokens: Map<string, string>, control: ReportControl): string => {
  const token = tokens.get(control.controlId);
  if (token === undefined) throw new Error(`control ${control.controlId} is not in the model`);
  return token;
};

/** The party of a person or organization the model names (auditor, tester, responder, firm, organization). */
export const partyUuid = (model: AuditReportModel, kind: 'person' | 'organization', name: string): string =>
  engagementUuid(model, 'party', kind, name);

function parties(model: AuditReportModel): OscalParty[] {
  const firm = partyUuid(model, 'organization', model.engagement.firm.name);
  const people = new Set([
    ...model.engagement.firm.auditors.map((a) => a.name),
    ...model.controls.flatMap((c) => c.results.map((r) => r.tester)),
    ...model.controls.flatMap((c) =>
      c.exceptions.flatMap((e) => (e.managementResponse ? [e.managementResponse.by] : [])),
    ),
  ]);
  return [
    {
      uuid: partyUuid(model, 'organization', model.organization.name),
      type: 'organization',
      name: model.organization.name,
    },
    { uuid: firm, type: 'organization', name: model.engagement.firm.name },
    ...[...people].sort().map((name): OscalParty => ({
      uuid: partyUuid(model, 'person', name),
      type: 'person',
      name,
      ...(model.engagement.firm.auditors.some((a) => a.name === name) && {
        'member-of-organizations': [firm],
      }),
    })),
  ];
}

export function assessmentMetadata(model: AuditReportModel, title: string): OscalAssessmentMetadata {
  const { firm } = model.engagement;
  const byRole = (role: string) =>
    firm.auditors.filter((a) => a.role === role).map((a) => partyUuid(model, 'person', a.name));
  const responsible = [
    { 'role-id': 'prepared-for', 'party-uuids': [partyUuid(model, 'organization', model.organization.name)] },
    { 'role-id': 'assessor', 'party-uuids': [partyUuid(model, 'organization', firm.name)] },
    { 'role-id': 'assessment-lead', 'party-uuids': byRole('lead') },
    { 'role-id': 'assessment-team', 'party-uuids': byRole('staff') },
  ].filter((r) => r['party-uuids'].length > 0);
  return {
    title,
    'last-modified': model.generatedAt,
    version: model.engagement.status,
    'oscal-version': OSCAL_ASSESSMENT_VERSION,
    props: [
      attestProp('engagement-id', model.engagement.engagementId),
      attestProp('engagement-type', model.engagement.type),
      attestProp('tenant-id', model.organization.tenantId),
    ],
    roles: [
      { id: 'prepared-for', title: 'Service organization' },
      { id: 'assessor', title: 'Service auditor (CPA firm)' },
      { id: 'assessment-lead', title: 'Lead auditor' },
      { id: 'assessment-team', title: 'Engagement team' },
    ],
    parties: parties(model),
    'responsible-parties': responsible,
  };
}
