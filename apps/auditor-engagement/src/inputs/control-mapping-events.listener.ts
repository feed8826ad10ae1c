import { Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { OnAttestEvent, type CloudEvent, type EventContext } from '@attest/messaging';
import { ControlMappingControlsListener, type ControlChange, type NewControl } from '@attest/service-kit';
import { InputsChanged } from './inputs-changed';
import { ENGAGEMENT_INPUTS } from './inputs-tables';

export const PERSON_JOINED = 'io.attest.control-mapping.person-joined.v1';
export const POLICY_ACCEPTED = 'io.attest.control-mapping.policy-accepted.v1';

/** What is read of io.attest.control-mapping.person-joined.v1 (no personal data: the id and the start). */
interface PersonJoined {
  personId: string;
  startDate: string;
}

/** What is read of io.attest.control-mapping.policy-accepted.v1. */
interface PolicyAccepted {
  policyId: string;
  version: string;
  acceptanceId: string;
  person: { personId: string };
  acceptedAt: string;
}

/**
 * Keeps the service's copy of the tenants' controls (what an engagement's scope may name, what a test's catalog
 * control ids resolve to), their joiners and policy acceptances (the occurrences of human-resources controls) from
 * control-mapping's events (consumer group `attest.auditor-engagement.control-mapping-events`), in the consumer's
 * transaction. Every change is told to the inputs-changed hooks.
 */
@Injectable()
export class ControlMappingEventsListener extends ControlMappingControlsListener {
  constructor(private readonly inputsChanged: InputsChanged) {
    super(ENGAGEMENT_INPUTS.controls);
  }

  protected controlKnown(tx: PoolClient, event: CloudEvent<unknown>, control: NewControl): Promise<void> {
    return this.inputsChanged.notify(tx, event.tenantid, [control.controlId], event);
  }

  protected controlChanged(
    tx: PoolClient,
    event: CloudEvent<unknown>,
    controlId: string,
    _change: ControlChange,
  ): Promise<void> {
    return this.inputsChanged.notify(tx, event.tenantid, [controlId], event);
  }

  @OnAttestEvent(PERSON_JOINED)
  async onPersonJoined(event: CloudEvent<PersonJoined>, { tx }: EventContext): Promise<void> {
    const { personId, startDate } = event.data;
    const controls = await ENGAGEMENT_INPUTS.personJoined(tx, event.tenantid, personId, startDate);
    await this.inputsChanged.notify(tx, event.tenantid, controls, event);
  }

  @OnAttestEvent(POLICY_ACCEPTED)
  async onPolicyAccepted(event: CloudEvent<PolicyAccepted>, { tx }: EventContext): Promise<void> {
    const { policyId, version, acceptanceId, person, acceptedAt } = event.data;
    const controls = await ENGAGEMENT_INPUTS.policyAccepted(tx, event.tenantid, {
      acceptanceId,
      personId: person.personId,
      policyId,
      version,
      acceptedAt,
    });
    await this.inputsChanged.notify(tx, event.tenantid, controls, event);
  }
}
