import { Injectable } from '@nestjs/common';
import { OnAttestEvent, type CloudEvent, type EventContext } from '@attest/messaging';
import { InputsChanged } from './inputs-changed';
import type { TestControls } from './inputs-store';
import { ENGAGEMENT_INPUTS } from './inputs-tables';

export const MONITORING_TEST_DEFINED = 'io.attest.monitoring.monitoring-test-defined.v1';
export const MONITORING_TEST_CHANGED = 'io.attest.monitoring.monitoring-test-changed.v1';
export const TEST_RESULTS_RECORDED = 'io.attest.monitoring.test-results-recorded.v1';

/** What is read of a custom test's definition or change. */
interface TestDefinition {
  testId: string;
  definition: { controls: TestControls };
}

/** What is read of io.attest.monitoring.test-results-recorded.v1. */
interface TestResultsRecorded {
  testId: string;
  runId: string;
  evaluatedAt: string;
  counts: object;
  chunk: { index: number; count: number };
}

/**
 * Keeps the monitoring service's test runs and which controls its custom tests prove (consumer group
 * `attest.auditor-engagement.monitoring-events`), in the consumer's transaction: each run (its first chunk carries
 * the run's totals; later chunks only more changed results) is an occurrence of the controls its test proves.
 */
@Injectable()
export class MonitoringEventsListener {
  constructor(private readonly changed: InputsChanged) {}

  @OnAttestEvent(MONITORING_TEST_DEFINED)
  onTestDefined(event: CloudEvent<TestDefinition>, { tx }: EventContext): Promise<void> {
    return this.defined(event, tx);
  }

  @OnAttestEvent(MONITORING_TEST_CHANGED)
  onTestChanged(event: CloudEvent<TestDefinition>, { tx }: EventContext): Promise<void> {
    return this.defined(event, tx);
  }

  @OnAttestEvent(TEST_RESULTS_RECORDED)
  async onTestResultsRecorded(event: CloudEvent<TestResultsRecorded>, { tx }: EventContext): Promise<void> {
    const { testId, runId, evaluatedAt, counts, chunk } = event.data;
    if (chunk.index !== 0) return;
    const controls = await ENGAGEMENT_INPUTS.testRun(tx, event.tenantid, {
      testId,
      runId,
      evaluatedAt,
      counts,
    });
    await this.changed.notify(tx, event.tenantid, controls, event);
  }

  private async defined(event: CloudEvent<TestDefinition>, tx: EventContext['tx']): Promise<void> {
    const { testId, definition } = event.data;
    const controls = await ENGAGEMENT_INPUTS.testDefined(tx, event.tenantid, testId, definition.controls);
    await this.changed.notify(tx, event.tenantid, controls, event);
  }
}
