import { Inject, Injectable } from '@nestjs/common';
import { CONTROL_MAPPING_CONTEXT } from '@attest/control-mapping-domain';
import { ServiceEventStore } from '@attest/service-kit';
import { CONTROL_MAPPING_OPTIONS, type ResolvedOptions } from '../control-mapping-options';

/** The service's event store: public events leave through the outbox to `attest.control-mapping.events.v1`. */
@Injectable()
export class ControlMappingEventStore extends ServiceEventStore {
  constructor(@Inject(CONTROL_MAPPING_OPTIONS) options: ResolvedOptions) {
    super(options.pool, CONTROL_MAPPING_CONTEXT);
  }
}
