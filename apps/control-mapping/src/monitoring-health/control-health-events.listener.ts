import { Injectable, Logger } from '@nestjs/common';
import type { ControlHealth } from '@attest/control-mapping-domain';
import { OnAttestEvent, type CloudEvent, type EventContext } from '@attest/messaging';
import { ControlHealthStore } from './control-health-store';

export const CONTROL_HEALTH_CHANGED = 'io.attest.monitoring.control-health-changed.v1';

/** The payload of io.attest.monitoring.control-health-changed.v1 (the fields control-mapping uses). */
interface ControlHealthChanged {
  controlId: string;
  health: ControlHealth;
  changedAt: string;
}

/**
 * Learns the controls' health from monitoring's events (consumer group `attest.control-mapping.monitoring-events`)
 * for the coverage matrix. The write runs in the consumer's transaction, so it commits with the event's inbox record
 * or not at all; rows are keyed by the health stream's version, so a redelivery changes nothing.
 */
@Injectable()
export class ControlHealthEventsListener {
  private readonly logger = new Logger(ControlHealthEventsListener.name);

  constructor(private readonly store: ControlHealthStore) {}

  @OnAttestEvent(CONTROL_HEALTH_CHANGED)
  async onControlHealthChanged(event: CloudEvent<ControlHealthChanged>, { tx }: EventContext): Promise<void> {
    const { controlId, health, changedAt } = event.data;
    if (await this.store.record(tx, event.tenantid, { controlId, health, changedAt }, event.streamversion))
      this.logger.log({ message: 'control health', tenant: event.tenantid, controlId, health });
  }
}
