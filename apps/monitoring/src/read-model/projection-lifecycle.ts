import { Injectable } from '@nestjs/common';
import { PersonalDataVault } from '@attest/event-store';
import { ReadModelLifecycle } from '@attest/service-kit';
import { READ_MODEL_SCHEMA } from '../monitoring-options';
import { MonitoringEventStore } from '../event-flow/monitoring-event-store';
import {
  alertsProjection,
  controlHealthProjection,
  customTestsProjection,
  exceptionsProjection,
  webhookEndpointsProjection,
} from './monitoring-projections';
import { testResultsProjection } from './results-projection';

/** Keeps the read model in schema `monitoring_read` up to date (see ReadModelLifecycle). */
@Injectable()
export class ProjectionLifecycle extends ReadModelLifecycle {
  constructor(events: MonitoringEventStore, vault: PersonalDataVault) {
    super(events, vault, READ_MODEL_SCHEMA, [
      customTestsProjection(),
      testResultsProjection(),
      alertsProjection(),
      exceptionsProjection(),
      controlHealthProjection(),
      webhookEndpointsProjection(),
    ]);
  }
}
