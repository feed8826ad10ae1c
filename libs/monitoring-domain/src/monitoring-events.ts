/**
 * The events of the monitoring context. Every one is public: each has a contract in
 * libs/event-contracts/schemas/monitoring and carries exactly its payload, so what was tested, what failed, what
 * was accepted as an exception and who acknowledged an alert is in the tenant's hash chain and on the topic.
 */

/** Who caused an event, as every monitoring payload names it (`actor` in the contract schemas). */
export interface Actor {
  type: 'user' | 'api-client' | 'system';
  id: string;
  displayName?: string;
}

/**
 * One observation about a resource as a collector reports it (structurally `Fact` of `@attest/collectors`, which a
 * domain library may not import): what a test reads as its `resource` variable.
 */
export interface ResourceFact {
  resourceType: string;
  resourceId: string;
  attributes: Record<string, unknown>;
}

/** What one test says about one resource in one run. */
export const OUTCOMES = ['pass', 'fail', 'error', 'not-applicable'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** A control's health, worst first after `unknown` (see control-health.ts for the rules). */
export const HEALTHS = ['healthy', 'at-risk', 'failing', 'unknown'] as const;
export type Health = (typeof HEALTHS)[number];

/** What a test proves: catalog control ids resolve to the tenant's adopted controls, controlIds are the tenant's own. */
export interface TestControls {
  catalogControlIds: string[];
  controlIds: string[];
}

/** A test as written: CEL expressions over the variable `resource` (a ResourceFact). */
export interface TestDefinition {
  /** kebab-case, 3 to 80 characters. */
  testId: string;
  title: string;
  description: string;
  /** The resource types the test reads; facts of other types are not evaluated. */
  factTypes: string[];
  /** A CEL bool: false → `not-applicable`. */
  applies?: string;
  /** A CEL bool: true = pass. */
  condition: string;
  /** A CEL expression whose value is recorded with a fail. */
  details?: string;
  severity: Severity;
  controls: TestControls;
  /** The catalog's automated test id this test implements. */
  catalogTestId?: string;
  remediation: string;
}

// ---- monitoring-test stream (custom tests; shipped tests are code, not events) ----

export interface MonitoringTestDefinedData {
  /** The stream id: `monitoringTestStreamId(tenantId, testId)` (ids.ts), as stream ids are unique across tenants. */
  testStreamId: string;
  testId: string;
  version: 1;
  definition: TestDefinition;
  definedAt: string;
  actor: Actor;
}

export interface MonitoringTestChangedData {
  testStreamId: string;
  testId: string;
  /** 2 or more, one more than the latest. */
  version: number;
  definition: TestDefinition;
  changeSummary?: string;
  changedAt: string;
  actor: Actor;
}

// ---- monitoring-results stream (one per tenant and testId) ----

/** One resource's result that changed in a run (outcome or details). */
export interface ResultEntry {
  resourceType: string;
  resourceId: string;
  outcome: Outcome;
  /** null for a resource the test had not evaluated before. */
  previousOutcome: Outcome | null;
  details: Record<string, unknown>;
  /** An accepted exception covers the resource: a fail does not count against its controls. */
  excepted: boolean;
}

/** Counts over EVERY resource a run evaluated, not only the changed ones. */
export interface ResultCounts {
  pass: number;
  fail: number;
  error: number;
  notApplicable: number;
  excepted: number;
}

export interface TestResultsRecordedData {
  /** The stream id: `testResultsStreamId(tenantId, testId)` (ids.ts). */
  resultsStreamId: string;
  testId: string;
  testVersion: number;
  runId: string;
  collectorId: string;
  evaluatedAt: string;
  counts: ResultCounts;
  /** A run's changes are split into chunks of at most 500 results; `index` is 0-based. */
  chunk: { index: number; count: number };
  /** Only the results that changed. */
  results: ResultEntry[];
  actor: Actor;
}

/** A resource entered `fail` (from pass, error, not-applicable or never evaluated). */
export interface TestFailingData {
  resultsStreamId: string;
  testId: string;
  testVersion: number;
  resourceType: string;
  resourceId: string;
  severity: Severity;
  controlIds: string[];
  runId: string;
  details: Record<string, unknown>;
  failingSince: string;
  excepted: boolean;
  actor: Actor;
}

/** A failing resource passes again. */
export interface TestRecoveredData {
  resultsStreamId: string;
  testId: string;
  resourceType: string;
  resourceId: string;
  runId: string;
  failingSince: string;
  recoveredAt: string;
  actor: Actor;
}

// ---- control-health stream (one per tenant and controlId) ----

export interface HealthReasons {
  failingTests: { testId: string; failing: number }[];
  erroringTests: string[];
  /** Evidence item ids. */
  expiredEvidence: string[];
  expiringEvidence: string[];
  openExceptions: number;
  testsPassing: number;
}

export interface ControlHealthChangedData {
  controlId: string;
  previous: Health | null;
  health: Health;
  criteria: string[];
  reasons: HealthReasons;
  changedAt: string;
  actor: Actor;
}

// ---- alert stream (alertId = stableUuid(tenant, testId, resourceId, failingSince)) ----

export interface AlertRaisedData {
  alertId: string;
  testId: string;
  resourceType: string;
  resourceId: string;
  severity: Severity;
  controlIds: string[];
  runId: string;
  details: Record<string, unknown>;
  raisedAt: string;
  actor: Actor;
}

export interface AlertAcknowledgedData {
  alertId: string;
  note?: string;
  acknowledgedAt: string;
  actor: Actor;
}

export interface AlertSnoozedData {
  alertId: string;
  /** An instant at most 30 days after `snoozedAt`. */
  until: string;
  reason: string;
  snoozedAt: string;
  actor: Actor;
}

export const ALERT_RESOLUTIONS = ['recovered', 'excepted'] as const;
export type AlertResolution = (typeof ALERT_RESOLUTIONS)[number];

export interface AlertResolvedData {
  alertId: string;
  resolution: AlertResolution;
  runId?: string;
  resolvedAt: string;
  actor: Actor;
}

// ---- monitoring-exception stream ----

/** A failing resource accepted as an exception until `expiresOn`; `actor` is the approver. */
export interface ExceptionAcceptedData {
  exceptionId: string;
  testId: string;
  resourceId: string;
  reason: string;
  /** The day the exception no longer holds (YYYY-MM-DD): in force before it; after the day of acceptance, ≤ 12 months later. */
  expiresOn: string;
  acceptedAt: string;
  actor: Actor;
}

export interface ExceptionExpiredData {
  exceptionId: string;
  testId: string;
  resourceId: string;
  expiresOn: string;
  expiredAt: string;
  actor: Actor;
}

// ---- webhook-endpoint stream (the signing secret is never in an event) ----

export interface WebhookEndpointRegisteredData {
  endpointId: string;
  /** https, or http to a loopback host. */
  url: string;
  /** Monitoring event types the endpoint receives. */
  eventTypes: WebhookEventType[];
  description?: string;
  registeredAt: string;
  actor: Actor;
}

export interface WebhookEndpointRemovedData {
  endpointId: string;
  removedAt: string;
  actor: Actor;
}

type Ev<T extends string, D> = { type: T; data: D };

export type MonitoringTestDefined = Ev<'MonitoringTestDefined', MonitoringTestDefinedData>;
export type MonitoringTestChanged = Ev<'MonitoringTestChanged', MonitoringTestChangedData>;
export type TestResultsRecorded = Ev<'TestResultsRecorded', TestResultsRecordedData>;
export type TestFailing = Ev<'TestFailing', TestFailingData>;
export type TestRecovered = Ev<'TestRecovered', TestRecoveredData>;
export type ControlHealthChanged = Ev<'ControlHealthChanged', ControlHealthChangedData>;
export type AlertRaised = Ev<'AlertRaised', AlertRaisedData>;
export type AlertAcknowledged = Ev<'AlertAcknowledged', AlertAcknowledgedData>;
export type AlertSnoozed = Ev<'AlertSnoozed', AlertSnoozedData>;
export type AlertResolved = Ev<'AlertResolved', AlertResolvedData>;
export type ExceptionAccepted = Ev<'ExceptionAccepted', ExceptionAcceptedData>;
export type ExceptionExpired = Ev<'ExceptionExpired', ExceptionExpiredData>;
export type WebhookEndpointRegistered = Ev<'WebhookEndpointRegistered', WebhookEndpointRegisteredData>;
export type WebhookEndpointRemoved = Ev<'WebhookEndpointRemoved', WebhookEndpointRemovedData>;

/** Events of a custom test's stream (`monitoring-test`, testId). */
export type MonitoringTestEvent = MonitoringTestDefined | MonitoringTestChanged;
/** Events of a test's results stream (`monitoring-results`, testId). */
export type TestResultsEvent = TestResultsRecorded | TestFailing | TestRecovered;
/** Events of a control's health stream (`control-health`, controlId). */
export type ControlHealthEvent = ControlHealthChanged;
/** Events of an alert's stream (`alert`, alertId). */
export type AlertEvent = AlertRaised | AlertAcknowledged | AlertSnoozed | AlertResolved;
/** Events of an exception's stream (`monitoring-exception`, exceptionId). */
export type MonitoringExceptionEvent = ExceptionAccepted | ExceptionExpired;
/** Events of a webhook endpoint's stream (`webhook-endpoint`, endpointId). */
export type WebhookEndpointEvent = WebhookEndpointRegistered | WebhookEndpointRemoved;

/** Every monitoring event but the chain checkpoints (which the event store's checkpointing appends itself). */
export type MonitoringEvent =
  | MonitoringTestEvent
  | TestResultsEvent
  | ControlHealthEvent
  | AlertEvent
  | MonitoringExceptionEvent
  | WebhookEndpointEvent;

export type MonitoringEventType = MonitoringEvent['type'];

/** The alert lifecycle: what a webhook endpoint receives when it names no event types. */
export const DEFAULT_WEBHOOK_EVENT_TYPES = [
  'AlertRaised',
  'AlertAcknowledged',
  'AlertSnoozed',
  'AlertResolved',
] as const satisfies readonly MonitoringEventType[];

/** What an endpoint may subscribe to: the alert lifecycle, results turning, and health changes. */
export const WEBHOOK_EVENT_TYPES = [
  ...DEFAULT_WEBHOOK_EVENT_TYPES,
  'TestFailing',
  'TestRecovered',
  'ControlHealthChanged',
] as const satisfies readonly MonitoringEventType[];
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export const MONITORING_TEST_STREAM_TYPE = 'monitoring-test';
export const TEST_RESULTS_STREAM_TYPE = 'monitoring-results';
export const CONTROL_HEALTH_STREAM_TYPE = 'control-health';
export const ALERT_STREAM_TYPE = 'alert';
export const MONITORING_EXCEPTION_STREAM_TYPE = 'monitoring-exception';
export const WEBHOOK_ENDPOINT_STREAM_TYPE = 'webhook-endpoint';

/** The stream types of the monitoring service's own aggregates (the chain's `chain-checkpoint` is the store's). */
export const MONITORING_STREAM_TYPES = [
  MONITORING_TEST_STREAM_TYPE,
  TEST_RESULTS_STREAM_TYPE,
  CONTROL_HEALTH_STREAM_TYPE,
  ALERT_STREAM_TYPE,
  MONITORING_EXCEPTION_STREAM_TYPE,
  WEBHOOK_ENDPOINT_STREAM_TYPE,
] as const;
export type MonitoringStreamType = (typeof MONITORING_STREAM_TYPES)[number];
