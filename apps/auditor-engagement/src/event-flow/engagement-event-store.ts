import { Inject, Injectable } from '@nestjs/common';
import { ServiceEventStore } from '@attest/service-kit';
import { ENGAGEMENT_OPTIONS, type ResolvedOptions } from '../engagement-options';

/**
 * The service's event store: every store type the service appends is a public event, and leaves through the outbox
 * to `attest.auditor-engagement.events.v1`.
 */
@Injectable()
export class EngagementEventStore extends ServiceEventStore {
  constructor(@Inject(ENGAGEMENT_OPTIONS) options: ResolvedOptions) {
    super(options.pool, 'auditor-engagement');
  }
}
