import { Inject, Injectable } from '@nestjs/common';
import { ServiceEventStore } from '@attest/service-kit';
import { EVIDENCE_OPTIONS, type ResolvedOptions } from '../evidence-options';

/**
 * The service's event store: every store type the service appends is a public event, and leaves through the outbox
 * to `attest.evidence.events.v1`.
 */
@Injectable()
export class EvidenceEventStore extends ServiceEventStore {
  constructor(@Inject(EVIDENCE_OPTIONS) options: ResolvedOptions) {
    super(options.pool, 'evidence');
  }
}
