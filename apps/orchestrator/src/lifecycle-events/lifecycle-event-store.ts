import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { ServiceEventStore } from '@attest/service-kit';
import { ORCHESTRATOR_POOL } from '../orchestrator-options';

/** The orchestrator's event store: lifecycle events, published through its outbox to `attest.lifecycle.events.v1`. */
@Injectable()
export class LifecycleEventStore extends ServiceEventStore {
  constructor(@Inject(ORCHESTRATOR_POOL) pool: Pool) {
    super(pool, 'lifecycle');
  }
}

/** The orchestrator keeps no read models of its own: commands have nothing to wait for. */
@Injectable()
export class NoReadModels {
  readonly runners = [];
}
