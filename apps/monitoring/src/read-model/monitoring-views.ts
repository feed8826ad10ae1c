import type {
  Actor,
  AlertResolution,
  Health,
  HealthReasons,
  Outcome,
  ResultCounts,
  Severity,
  TestDefinition,
  TimelineEntry,
} from '@attest/monitoring-domain';
import { cursorKey, keyPart, type CursorKey } from '@attest/service-kit';

/** Where a page starts (the sort key of the previous page's last item) and how many rows to read (limit + 1). */
export interface PageRead<K extends CursorKey> {
  after?: K;
  limit: number;
}

/** A test as the tenant runs it: a shipped one (the library's, the same for every tenant) or one of its own. */
export type TestView = TestDefinition & {
  origin: 'shipped' | 'custom';
  /** The definition's version: results name it; a custom test's ETag (If-Match on a change). Shipped: 1. */
  version: number;
  /** A custom test's: when and by whom it was defined and last changed. */
  definedAt?: string;
  definedBy?: Actor;
  changedAt?: string;
  changedBy?: Actor;
  changeSummary?: string;
};

export interface TestFilter {
  /** Tests reading this resource type. */
  factType?: string;
  /** Tests proving this control of the tenant (named, or adopted from a catalog control the test names). */
  controlId?: string;
  origin?: TestView['origin'];
}

/** The latest result of a test for one resource. */
export interface ResultView {
  testId: string;
  resourceType: string;
  resourceId: string;
  outcome: Outcome;
  /** The outcome before the last change (null: the first evaluation). */
  previousOutcome: Outcome | null;
  details: Record<string, unknown>;
  /** An exception in force covers the resource: a fail does not count against its controls. */
  excepted: boolean;
  /** Since when the resource has had this outcome. */
  since: string;
  /** When the result last changed (outcome or details). */
  evaluatedAt: string;
  runId: string;
  testVersion: number;
}

/**
 * One change of a resource's result under a test, as recorded then (the domain's timeline entry), with the resource's
 * type and the global position of the event that recorded it: `asOf=position:<n>` shows the posture right then.
 */
export type TimelineEntryView = TimelineEntry & { resourceType: string; globalPosition: number };

/** A run of one test: when it evaluated and what it found over every resource it evaluated. */
export interface TestRunView {
  testId: string;
  runId: string;
  testVersion: number;
  collectorId: string;
  evaluatedAt: string;
  counts: ResultCounts;
}

/**
 * Where a test stands (now, or as of a past moment): from the latest result of every resource it evaluated. Failing:
 * a resource fails not covered by an exception; erroring: none fails but one errors; passing: the others and at
 * least one passes; not-applicable: it applies to none of them; not-run: nothing evaluated yet.
 */
export const TEST_STATUSES = ['failing', 'erroring', 'passing', 'not-applicable', 'not-run'] as const;
export type TestStatus = (typeof TEST_STATUSES)[number];

export interface TestStatusView {
  testId: string;
  title: string;
  severity: Severity;
  origin: TestView['origin'];
  status: TestStatus;
  /** Over the resources' latest results, as a run counts them: `excepted` are the fails an exception covers. */
  counts: ResultCounts;
  /** The test's last run (null: none yet). */
  lastRun: { runId: string; evaluatedAt: string } | null;
}

export const ALERT_STATUSES = ['open', 'acknowledged', 'snoozed', 'resolved'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

export interface AlertView {
  alertId: string;
  testId: string;
  resourceType: string;
  resourceId: string;
  severity: Severity;
  controlIds: string[];
  runId: string;
  details: Record<string, unknown>;
  raisedAt: string;
  raisedBy: Actor;
  /** Resolved; else snoozed until a later instant; else acknowledged; else open. */
  status: AlertStatus;
  acknowledgement?: { note?: string; acknowledgedAt: string; actor: Actor };
  /** The last snooze (it may have ended). */
  snooze?: { until: string; reason: string; snoozedAt: string; actor: Actor };
  resolution?: { resolution: AlertResolution; runId?: string; resolvedAt: string; actor: Actor };
  /** The alert stream's version (its ETag). */
  version: number;
}

export interface AlertFilter {
  status?: AlertStatus;
  testId?: string;
  resourceId?: string;
  severity?: Severity;
}

export const EXCEPTION_STATUSES = ['in-force', 'expired'] as const;
export type ExceptionStatus = (typeof EXCEPTION_STATUSES)[number];

export interface ExceptionView {
  exceptionId: string;
  testId: string;
  resourceId: string;
  reason: string;
  expiresOn: string;
  acceptedAt: string;
  /** Who accepted it (monitoring:approve). */
  approvedBy: Actor;
  /** In force until its expiry is recorded. */
  status: ExceptionStatus;
  expiredAt?: string;
  version: number;
}

export interface ExceptionFilter {
  status?: ExceptionStatus;
  testId?: string;
  resourceId?: string;
}

export interface ControlHealthView {
  controlId: string;
  health: Health;
  previous: Health | null;
  /** The Trust Services Criteria the control is mapped to. */
  criteria: string[];
  reasons: HealthReasons;
  /** When the health last changed (absent: a control of the tenant's never assessed, `unknown`). */
  changedAt?: string;
  /** The control's health stream version (0: never assessed). */
  version: number;
}

export interface ControlHealthFilter {
  health?: Health;
  criterion?: string;
}

export interface WebhookEndpointView {
  endpointId: string;
  url: string;
  eventTypes: string[];
  description?: string;
  registeredAt: string;
  registeredBy: Actor;
  /** When it was removed (absent: it receives events). */
  removedAt?: string;
  /** The endpoint stream's version (its ETag). */
  version: number;
}

/** Lists ordered by an id (tests, a test's results by resource, control health by control). */
export type IdSortKey = [id: string];
export const isIdSortKey = cursorKey<IdSortKey>(keyPart.text);

/** The timeline's order: the domain's (by time, then test id), then the log's. */
export type TimelineSortKey = [at: string, testId: string, globalPosition: number];
export const timelineSortKey = (e: TimelineEntryView): TimelineSortKey => [e.at, e.testId, e.globalPosition];
export const isTimelineSortKey = cursorKey<TimelineSortKey>(
  keyPart.text,
  keyPart.text,
  keyPart.integer(1, Number.MAX_SAFE_INTEGER),
);

/** Alerts, newest raised first. */
export type AlertSortKey = [raisedAt: string, alertId: string];
export const alertSortKey = (alert: AlertView): AlertSortKey => [alert.raisedAt, alert.alertId];
export const isAlertSortKey = cursorKey<AlertSortKey>(keyPart.text, keyPart.text);

/** Exceptions, newest accepted first. */
export type ExceptionSortKey = [acceptedAt: string, exceptionId: string];
export const exceptionSortKey = (e: ExceptionView): ExceptionSortKey => [e.acceptedAt, e.exceptionId];
export const isExceptionSortKey = cursorKey<ExceptionSortKey>(keyPart.text, keyPart.text);

/** Webhook endpoints, oldest registered first. */
export type EndpointSortKey = [registeredAt: string, endpointId: string];
export const endpointSortKey = (e: WebhookEndpointView): EndpointSortKey => [e.registeredAt, e.endpointId];
export const isEndpointSortKey = cursorKey<EndpointSortKey>(keyPart.text, keyPart.text);
