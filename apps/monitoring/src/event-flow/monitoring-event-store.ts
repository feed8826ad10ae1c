import { Inject, Injectable } from '@nestjs/common';
import { ServiceEventStore } from '@attest/service-kit';
import { MONITORING_OPTIONS, type ResolvedOptions } from '../monitoring-options';

/**
 * The service's event store: every store type the service appends is a public event, and leaves through the outbox
 * to `attest.monitoring.events.v1`.
 */
@Injectable()
export class MonitoringEventStore extends ServiceEventStore {
  constructor(@Inject(MONITORING_OPTIONS) options: ResolvedOptions) {
    super(options.pool, 'monitoring');
  }
}
