import { Injectable } from '@nestjs/common';
import type { AggregateDeclaration } from '@attest/command-pipeline';
import {
  alertAggregate,
  controlHealthAggregate,
  monitoringExceptionAggregate,
  monitoringTestAggregate,
  testResultsAggregate,
  webhookEndpointAggregate,
  type AlertCommand,
  type AlertEvent,
  type AlertState,
  type AssessControlHealth,
  type ControlHealthEvent,
  type ControlHealthState,
  type MonitoringExceptionCommand,
  type MonitoringExceptionEvent,
  type MonitoringExceptionState,
  type MonitoringTestCommand,
  type MonitoringTestEvent,
  type MonitoringTestState,
  type RecordResults,
  type TestResultsEvent,
  type TestResultsState,
  type WebhookEndpointCommand,
  type WebhookEndpointEvent,
  type WebhookEndpointState,
} from '@attest/monitoring-domain';

export type MonitoringTestAggregate = AggregateDeclaration<
  MonitoringTestCommand,
  MonitoringTestEvent,
  MonitoringTestState
>;
export type TestResultsAggregate = AggregateDeclaration<RecordResults, TestResultsEvent, TestResultsState>;
export type AlertAggregate = AggregateDeclaration<AlertCommand, AlertEvent, AlertState>;
export type MonitoringExceptionAggregate = AggregateDeclaration<
  MonitoringExceptionCommand,
  MonitoringExceptionEvent,
  MonitoringExceptionState
>;
export type ControlHealthAggregate = AggregateDeclaration<
  AssessControlHealth,
  ControlHealthEvent,
  ControlHealthState
>;
export type WebhookEndpointAggregate = AggregateDeclaration<
  WebhookEndpointCommand,
  WebhookEndpointEvent,
  WebhookEndpointState
>;

/**
 * The aggregates of the monitoring service, for the command pipeline (which loads, decides, checks the events
 * against the monitoring contracts and appends): a custom test, a test's results, an alert, an exception, a
 * control's health and a webhook endpoint, one stream each (their stream ids derived in the domain's
 * monitoring-ids.ts where a stream is "one per tenant and …"). Declaring them here checks the domain's shapes
 * against the pipeline's, and gives the controllers and handlers one provider to inject.
 */
@Injectable()
export class MonitoringAggregates {
  readonly test: MonitoringTestAggregate = monitoringTestAggregate;
  readonly results: TestResultsAggregate = testResultsAggregate;
  readonly alert: AlertAggregate = alertAggregate;
  readonly exception: MonitoringExceptionAggregate = monitoringExceptionAggregate;
  readonly controlHealth: ControlHealthAggregate = controlHealthAggregate;
  readonly webhookEndpoint: WebhookEndpointAggregate = webhookEndpointAggregate;
}
