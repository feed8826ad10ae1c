/**
 * The events of the auditor-engagement context, typed as the store sees them: `type` is the event catalog's
 * storeType, `data` is exactly the payload of the contract schema (libs/event-contracts/schemas/auditor-engagement).
 * Every one is public, so who planned an engagement, what was asked, what the auditor sampled and what they found is
 * in the tenant's hash chain and on the topic. Optional fields are left out, never `undefined`.
 */
import type { CategoryId, Frequency, OwnerRole } from '@attest/catalog';

export type { Frequency, OwnerRole } from '@attest/catalog';

/** Who caused an event, as every payload names it (`actor` in the contract schemas). */
export interface Actor {
  type: 'user' | 'api-client' | 'system';
  id: string;
  displayName?: string;
}

export const ENGAGEMENT_TYPES = ['type-1', 'type-2'] as const;
/** Type I: design and implementation as of a date; Type II: operating effectiveness over a window. */
export type EngagementType = (typeof ENGAGEMENT_TYPES)[number];

/** In the order an engagement moves through them, one step at a time. */
export const ENGAGEMENT_STATUSES = ['planned', 'fieldwork', 'reporting', 'issued'] as const;
export type EngagementStatus = (typeof ENGAGEMENT_STATUSES)[number];

export const AUDITOR_ROLES = ['lead', 'staff'] as const;
export type AuditorRole = (typeof AUDITOR_ROLES)[number];

export const PROCEDURES = ['inquiry', 'observation', 'inspection', 're-performance'] as const;
export type Procedure = (typeof PROCEDURES)[number];

/** A Trust Services category (the catalog's ids). */
export type Category = CategoryId;

/**
 * How many items of a population the auditor tests: by the control's frequency, or by the population's size in
 * bands (each band a fixed count or a share of the population). A population of `testInFullAtOrBelow` items or
 * fewer is tested in full.
 */
export type SampleSizeTable =
  | { basis: 'frequency'; sizes: Record<Frequency, number>; testInFullAtOrBelow: number }
  | {
      basis: 'population';
      /** Ascending by `upTo`; the last band has `upTo: null` (no upper bound). Each band has count or share. */
      bands: { upTo: number | null; count?: number; share?: number }[];
      testInFullAtOrBelow: number;
    };

/** The default table: the sizes auditors commonly use per control frequency ("many times a day" = per-event). */
export const DEFAULT_SAMPLE_SIZES: Extract<SampleSizeTable, { basis: 'frequency' }> = {
  basis: 'frequency',
  sizes: {
    annual: 1,
    'semi-annual': 1,
    quarterly: 2,
    monthly: 2,
    weekly: 5,
    daily: 25,
    continuous: 40,
    'per-event': 40,
  },
  testInFullAtOrBelow: 10,
};

/** A control someone else operates: a customer (CUEC). */
export interface ComplementaryUserEntityControl {
  id: string;
  description: string;
  /** The criteria it helps meet. */
  criteria: string[];
}

export const SUBSERVICE_METHODS = ['carve-out', 'inclusive'] as const;
export type SubserviceMethod = (typeof SUBSERVICE_METHODS)[number];

export interface SubserviceOrganization {
  name: string;
  services: string;
  /** Carve-out: its controls are left out of the report and its CSOCs listed; inclusive: they are tested too. */
  method: SubserviceMethod;
  /** The complementary subservice organization controls (CSOCs) the report lists. */
  csocs: string[];
}

/** What an engagement covers. */
export interface Scope {
  categories: Category[];
  /** The tenant's controls in scope (control-mapping ids). */
  controlIds: string[];
  cuecs: ComplementaryUserEntityControl[];
  subserviceOrganizations: SubserviceOrganization[];
}

/** A period of whole days, both ends included (YYYY-MM-DD). */
export interface DateWindow {
  from: string;
  to: string;
}

export interface FirmAuditor {
  /**
   * A pseudonym given when the firm adds the auditor: whose personal-data key seals their name and e-mail (the
   * subject of an erasure), so the e-mail never has to be an id in the clear.
   */
  auditorId: string;
  /** The auditor's e-mail at the identity provider (lower case): how a token is matched to an invitation. */
  email: string;
  name: string;
  role: AuditorRole;
}

export const EVIDENCE_REF_KINDS = [
  'evidence-item',
  'collector-run',
  'test-run',
  'policy-acceptance',
  'event',
] as const;
export type EvidenceRefKind = (typeof EVIDENCE_REF_KINDS)[number];

/** A pointer to something another service holds that answers a request or documents an occurrence. */
export interface EvidenceRef {
  kind: EvidenceRefKind;
  id: string;
  version?: number;
  label: string;
  /** When it happened or was collected (an instant). */
  at?: string;
}

export const OCCURRENCE_KINDS = ['test-run-day', 'evidence-item', 'joiner', 'collector-run'] as const;
export type OccurrenceKind = (typeof OCCURRENCE_KINDS)[number];

/** One time a control operated in the window: an item of a population. Only strings and integers (RFC 8785). */
export interface Occurrence {
  occurrenceId: string;
  kind: OccurrenceKind;
  occurredAt: string;
  label: string;
  evidence: EvidenceRef[];
}

export const REPORT_FORMATS = ['html', 'pdf', 'csv', 'xlsx', 'oscal-ap', 'oscal-ar'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface IssuedFile {
  format: ReportFormat;
  /** Hex SHA-256 of the file's bytes. */
  sha256: string;
  bytes: number;
}

export const REQUEST_ORIGINS = ['control', 'auditor', 'sample'] as const;
export type RequestOrigin = (typeof REQUEST_ORIGINS)[number];

/**
 * What the system raised a request for, beyond its origin (an ordinary request has none): an occurrence the Type II
 * observation found no evidence of, or management's bridge letter after a Type II report. A new origin would be a
 * new RequestCreated version; the contract marks this enum extensible instead.
 */
export const REQUEST_RAISED_FOR = ['missed-occurrence', 'bridge-letter'] as const;
export type RequestRaisedFor = (typeof REQUEST_RAISED_FOR)[number];

/** An occurrence of a control, due on a day by its frequency. */
export interface OccurrenceDue {
  /** YYYY-MM-DD. */
  dueOn: string;
  frequency: Frequency;
}

export const TEST_RESULTS = ['no-exception', 'exception'] as const;
export type TestResult = (typeof TEST_RESULTS)[number];

export const SAMPLING_ALGORITHMS = ['attest-sha256-ctr-v1'] as const;
export type SamplingAlgorithm = (typeof SAMPLING_ALGORITHMS)[number];

// ---- audit-firm stream (firmId) ----

export interface AuditFirmRegisteredData {
  firmId: string;
  name: string;
  sampleSizeTable: SampleSizeTable;
  registeredAt: string;
  actor: Actor;
}

export interface FirmAuditorAddedData {
  firmId: string;
  auditor: FirmAuditor;
  addedAt: string;
  actor: Actor;
}

export interface SampleSizeTableSetData {
  firmId: string;
  sampleSizeTable: SampleSizeTable;
  setAt: string;
  actor: Actor;
}

// ---- engagement stream (engagementId) ----

export const ENGAGEMENT_WARNINGS = ['window-shorter-than-3-months', 'window-longer-than-12-months'] as const;
export type EngagementWarning = (typeof ENGAGEMENT_WARNINGS)[number];

export interface EngagementPlannedData {
  engagementId: string;
  firmId: string;
  name: string;
  type: EngagementType;
  /** Type I only: the date the controls' design and implementation is examined as of. */
  asOf?: string;
  /** Type II only: the observation window. */
  window?: DateWindow;
  warnings: EngagementWarning[];
  scope: Scope;
  plannedAt: string;
  actor: Actor;
}

export interface EngagementScopeChangedData {
  engagementId: string;
  scope: Scope;
  changedAt: string;
  actor: Actor;
}

export interface AuditorInvitedData {
  engagementId: string;
  firmId: string;
  auditor: FirmAuditor;
  invitedAt: string;
  actor: Actor;
}

export interface AuditorRemovedData {
  engagementId: string;
  auditorId: string;
  email: string;
  removedAt: string;
  actor: Actor;
}

/**
 * The invited auditor accepted the invitation, signed in as themselves: `actor.id` (`user:<sub>`, the identity
 * provider's pseudonymous subject) is what services that only see sealed e-mails key the auditor's grant on.
 */
export interface AuditorInvitationAcceptedData {
  engagementId: string;
  auditorId: string;
  acceptedAt: string;
  actor: Actor;
}

export interface EngagementStatusChangedData {
  engagementId: string;
  from: EngagementStatus;
  to: EngagementStatus;
  changedAt: string;
  actor: Actor;
}

export interface ReportIssuedData {
  engagementId: string;
  reportId: string;
  files: IssuedFile[];
  issuedAt: string;
  actor: Actor;
}

export interface BridgeLetterIssuedData {
  engagementId: string;
  letterId: string;
  coversFrom: string;
  coversTo: string;
  /** Hex SHA-256 of the letter's PDF. */
  sha256: string;
  issuedAt: string;
  actor: Actor;
}

// ---- audit-request stream (requestId) ----

export interface RequestCreatedData {
  engagementId: string;
  requestId: string;
  origin: RequestOrigin;
  controlId?: string;
  evidenceType?: string;
  sampleId?: string;
  occurrenceId?: string;
  raisedFor?: RequestRaisedFor;
  /** The occurrence a `missed-occurrence` request asks about (its `occurrenceId` is `missed:<dueOn>`). */
  missedOccurrence?: OccurrenceDue;
  title: string;
  description: string;
  owner: { role?: OwnerRole };
  dueOn: string;
  createdAt: string;
  actor: Actor;
}

export interface RequestSubmittedData {
  engagementId: string;
  requestId: string;
  evidence: EvidenceRef[];
  /** `system`: linked by itself from what the services already hold; `person`: someone at the company answered. */
  submittedBy: 'system' | 'person';
  resubmission: boolean;
  note?: string;
  submittedAt: string;
  actor: Actor;
}

export interface RequestAcceptedData {
  engagementId: string;
  requestId: string;
  acceptedAt: string;
  actor: Actor;
}

export interface RequestReturnedData {
  engagementId: string;
  requestId: string;
  comment: string;
  returnedAt: string;
  actor: Actor;
}

export interface RequestOverdueData {
  engagementId: string;
  requestId: string;
  dueOn: string;
  overdueAt: string;
  actor: Actor;
}

export interface RequestCommentedData {
  engagementId: string;
  requestId: string;
  comment: string;
  commentedAt: string;
  actor: Actor;
}

// ---- population stream (populationId) ----

export interface PopulationFrozenData {
  engagementId: string;
  populationId: string;
  controlId: string;
  window: DateWindow;
  frozenAt: string;
  size: number;
  /** Hex SHA-256 of the RFC 8785 canonical JSON of `listing`. */
  hash: string;
  /** Sorted by occurrenceId. */
  listing: Occurrence[];
  actor: Actor;
}

// ---- sample stream (sampleId) ----

export interface SampleBasis {
  frequency?: Frequency;
  populationSize: number;
  testedInFull: boolean;
  table: SampleSizeTable['basis'];
}

export interface SampleSelectedData {
  engagementId: string;
  sampleId: string;
  populationId: string;
  controlId: string;
  populationHash: string;
  /** 32 bytes, hex. */
  seed: string;
  algorithm: SamplingAlgorithm;
  size: number;
  basis: SampleBasis;
  /** In draw order: draw i picked listing[index]. */
  selected: { draw: number; index: number; occurrenceId: string }[];
  selectedAt: string;
  actor: Actor;
}

// ---- control-test stream (controlTestStreamId(engagementId, controlId)) ----

export interface TestResultRecordedData {
  /** The stream id, `controlTestStreamId(engagementId, controlId)`: every public event names its stream. */
  controlTestId: string;
  engagementId: string;
  controlId: string;
  resultId: string;
  procedure: Procedure;
  /** Type II: a selected item of a sample of the control; Type I: absent. */
  occurrenceId?: string;
  result: TestResult;
  description?: string;
  testedAt: string;
  actor: Actor;
}

export interface ExceptionRaisedData {
  /** The stream id, `controlTestStreamId(engagementId, controlId)`: every public event names its stream. */
  controlTestId: string;
  engagementId: string;
  controlId: string;
  exceptionId: string;
  resultId?: string;
  occurrenceId?: string;
  description: string;
  raisedAt: string;
  actor: Actor;
}

export interface ManagementResponseRecordedData {
  /** The stream id, `controlTestStreamId(engagementId, controlId)`: every public event names its stream. */
  controlTestId: string;
  engagementId: string;
  controlId: string;
  exceptionId: string;
  response: string;
  respondedAt: string;
  actor: Actor;
}

type Ev<T extends string, D> = { type: T; data: D };

export type AuditFirmRegistered = Ev<'AuditFirmRegistered', AuditFirmRegisteredData>;
export type FirmAuditorAdded = Ev<'FirmAuditorAdded', FirmAuditorAddedData>;
export type SampleSizeTableSet = Ev<'SampleSizeTableSet', SampleSizeTableSetData>;
export type EngagementPlanned = Ev<'EngagementPlanned', EngagementPlannedData>;
export type EngagementScopeChanged = Ev<'EngagementScopeChanged', EngagementScopeChangedData>;
export type AuditorInvited = Ev<'AuditorInvited', AuditorInvitedData>;
export type AuditorRemoved = Ev<'AuditorRemoved', AuditorRemovedData>;
export type AuditorInvitationAccepted = Ev<'AuditorInvitationAccepted', AuditorInvitationAcceptedData>;
export type EngagementStatusChanged = Ev<'EngagementStatusChanged', EngagementStatusChangedData>;
export type ReportIssued = Ev<'ReportIssued', ReportIssuedData>;
export type BridgeLetterIssued = Ev<'BridgeLetterIssued', BridgeLetterIssuedData>;
export type RequestCreated = Ev<'RequestCreated', RequestCreatedData>;
export type RequestSubmitted = Ev<'RequestSubmitted', RequestSubmittedData>;
export type RequestAccepted = Ev<'RequestAccepted', RequestAcceptedData>;
export type RequestReturned = Ev<'RequestReturned', RequestReturnedData>;
export type RequestOverdue = Ev<'RequestOverdue', RequestOverdueData>;
export type RequestCommented = Ev<'RequestCommented', RequestCommentedData>;
export type PopulationFrozen = Ev<'PopulationFrozen', PopulationFrozenData>;
export type SampleSelected = Ev<'SampleSelected', SampleSelectedData>;
export type TestResultRecorded = Ev<'TestResultRecorded', TestResultRecordedData>;
export type ExceptionRaised = Ev<'ExceptionRaised', ExceptionRaisedData>;
export type ManagementResponseRecorded = Ev<'ManagementResponseRecorded', ManagementResponseRecordedData>;

/** Events of a firm's stream (`audit-firm`, firmId). */
export type AuditFirmEvent = AuditFirmRegistered | FirmAuditorAdded | SampleSizeTableSet;
/** Events of an engagement's stream (`engagement`, engagementId). */
export type EngagementEvent =
  | EngagementPlanned
  | EngagementScopeChanged
  | AuditorInvited
  | AuditorRemoved
  | AuditorInvitationAccepted
  | EngagementStatusChanged
  | ReportIssued
  | BridgeLetterIssued;
/** Events of a request's stream (`audit-request`, requestId). */
export type AuditRequestEvent =
  RequestCreated | RequestSubmitted | RequestAccepted | RequestReturned | RequestOverdue | RequestCommented;
/** Events of a population's stream (`population`, populationId). */
export type PopulationEvent = PopulationFrozen;
/** Events of a sample's stream (`sample`, sampleId). */
export type SampleEvent = SampleSelected;
/** Events of a control's testing in an engagement (`control-test`, controlTestStreamId(engagementId, controlId)). */
export type ControlTestEvent = TestResultRecorded | ExceptionRaised | ManagementResponseRecorded;

/** Every auditor-engagement event but the chain checkpoints (which the event store appends itself). */
export type AuditorEngagementEvent =
  AuditFirmEvent | EngagementEvent | AuditRequestEvent | PopulationEvent | SampleEvent | ControlTestEvent;
export type AuditorEngagementEventType = AuditorEngagementEvent['type'];

export const AUDIT_FIRM_STREAM_TYPE = 'audit-firm';
export const ENGAGEMENT_STREAM_TYPE = 'engagement';
export const AUDIT_REQUEST_STREAM_TYPE = 'audit-request';
export const POPULATION_STREAM_TYPE = 'population';
export const SAMPLE_STREAM_TYPE = 'sample';
export const CONTROL_TEST_STREAM_TYPE = 'control-test';

/** The stream types of the service's own aggregates (the chain's `chain-checkpoint` is the store's). */
export const ENGAGEMENT_STREAM_TYPES = [
  AUDIT_FIRM_STREAM_TYPE,
  ENGAGEMENT_STREAM_TYPE,
  AUDIT_REQUEST_STREAM_TYPE,
  POPULATION_STREAM_TYPE,
  SAMPLE_STREAM_TYPE,
  CONTROL_TEST_STREAM_TYPE,
] as const;
export type EngagementStreamType = (typeof ENGAGEMENT_STREAM_TYPES)[number];
