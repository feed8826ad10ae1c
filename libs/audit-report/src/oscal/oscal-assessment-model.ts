import type { OscalMetadata, OscalProperty } from '@attest/catalog';

/**
 * The subset of the OSCAL 1.2 assessment layer (JSON) the engagement exports use: the assessment plan (what the
 * auditor tests, how and over which period) and the assessment results (what was observed and concluded).
 */

/** The NIST release the documents declare and are validated against (tools/oscal/validate-oscal-assessment.py). */
export const OSCAL_ASSESSMENT_VERSION = '1.2.3';

/** How an observation was made (OSCAL's `methods`, NIST SP 800-53A's assessment methods). */
export type OscalMethod = 'EXAMINE' | 'INTERVIEW' | 'TEST';

export interface OscalParty {
  uuid: string;
  type: 'person' | 'organization';
  name: string;
  'member-of-organizations'?: string[];
}

export interface OscalAssessmentMetadata extends OscalMetadata {
  published?: string;
  parties?: OscalParty[];
  'responsible-parties'?: { 'role-id': string; 'party-uuids': string[] }[];
}

export interface OscalBackMatter {
  resources: {
    uuid: string;
    title: string;
    description?: string;
    rlinks?: { href: string; 'media-type'?: string }[];
  }[];
}

export interface OscalReviewedControls {
  description?: string;
  'control-selections': { description?: string; 'include-controls': { 'control-id': string }[] }[];
  'control-objective-selections'?: {
    description?: string;
    'include-objectives': { 'objective-id': string }[];
  }[];
}

export interface OscalSubjectSelection {
  type: 'component' | 'inventory-item' | 'location' | 'party' | 'user';
  description?: string;
  'include-all': Record<string, never>;
}

export interface OscalAssessmentPart {
  name: string;
  ns?: string;
  title?: string;
  props?: OscalProperty[];
  prose?: string;
  parts?: OscalAssessmentPart[];
}

export interface OscalActivity {
  uuid: string;
  title: string;
  description: string;
  props: OscalProperty[];
  'related-controls': OscalReviewedControls;
}

export interface OscalTask {
  uuid: string;
  type: 'action' | 'milestone';
  title: string;
  description?: string;
  props?: OscalProperty[];
  timing: { 'on-date': { date: string } } | { 'within-date-range': { start: string; end: string } };
  'associated-activities'?: { 'activity-uuid': string; subjects: OscalSubjectSelection[] }[];
}

export interface OscalAssessmentPlanDocument {
  'assessment-plan': {
    uuid: string;
    metadata: OscalAssessmentMetadata;
    'import-ssp': { href: string; remarks?: string };
    'local-definitions'?: { activities: OscalActivity[] };
    'terms-and-conditions': { parts: OscalAssessmentPart[] };
    'reviewed-controls': OscalReviewedControls;
    'assessment-subjects': OscalSubjectSelection[];
    tasks?: OscalTask[];
    'back-matter': OscalBackMatter;
  };
}

export interface OscalOrigin {
  actors: { type: 'party' | 'tool' | 'assessment-platform'; 'actor-uuid': string; 'role-id'?: string }[];
  'related-tasks'?: { 'task-uuid': string }[];
}

export interface OscalObservation {
  uuid: string;
  title: string;
  description: string;
  props: OscalProperty[];
  methods: OscalMethod[];
  types: ('control-objective' | 'finding')[];
  origins: OscalOrigin[];
  'relevant-evidence'?: { description: string }[];
  collected: string;
}

export interface OscalRisk {
  uuid: string;
  title: string;
  description: string;
  statement: string;
  props: OscalProperty[];
  status: 'open' | 'remediating';
  remediations?: {
    uuid: string;
    lifecycle: 'recommendation' | 'planned' | 'completed';
    title: string;
    description: string;
    props: OscalProperty[];
    origins: OscalOrigin[];
  }[];
  'related-observations'?: { 'observation-uuid': string }[];
}

export interface OscalFinding {
  uuid: string;
  title: string;
  description: string;
  props: OscalProperty[];
  target: {
    type: 'statement-id' | 'objective-id';
    'target-id': string;
    status: { state: 'satisfied' | 'not-satisfied'; reason: 'pass' | 'fail' | 'other' };
  };
  'related-observations'?: { 'observation-uuid': string }[];
  'related-risks'?: { 'risk-uuid': string }[];
  remarks?: string;
}

export interface OscalResult {
  uuid: string;
  title: string;
  description: string;
  start: string;
  end: string;
  props: OscalProperty[];
  'reviewed-controls': OscalReviewedControls;
  observations?: OscalObservation[];
  risks?: OscalRisk[];
  findings?: OscalFinding[];
}

export interface OscalAssessmentResultsDocument {
  'assessment-results': {
    uuid: string;
    metadata: OscalAssessmentMetadata;
    'import-ap': { href: string; remarks?: string };
    results: OscalResult[];
    'back-matter': OscalBackMatter;
  };
}
