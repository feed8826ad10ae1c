import { Injectable } from '@nestjs/common';
import { OnAttestEvent, type CloudEvent, type EventContext } from '@attest/messaging';
import { EngagementGrants } from '@attest/service-kit';

export const ENGAGEMENT_PLANNED = 'io.attest.auditor-engagement.engagement-planned.v1';
export const ENGAGEMENT_SCOPE_CHANGED = 'io.attest.auditor-engagement.engagement-scope-changed.v1';
export const AUDITOR_INVITED = 'io.attest.auditor-engagement.auditor-invited.v1';
export const AUDITOR_INVITATION_ACCEPTED = 'io.attest.auditor-engagement.auditor-invitation-accepted.v1';
export const AUDITOR_REMOVED = 'io.attest.auditor-engagement.auditor-removed.v1';

/**
 * Keeps the engagement grants from the auditor-engagement service's events (consumer group
 * `attest.evidence.auditor-engagement-events`): an engagement's scope, who is invited, who accepted and who was
 * removed. The invitation's e-mail arrives sealed (personal data), so an auditor is admitted here once they accepted
 * the invitation, by the identity-provider subject the acceptance names. Written in the consumer's transaction, so a
 * grant changes with the event's inbox record or not at all; an auditor removed loses access with their next request.
 */
@Injectable()
export class AuditorEngagementEventsListener {
  constructor(private readonly grants: EngagementGrants) {}

  @OnAttestEvent(ENGAGEMENT_PLANNED)
  onEngagementPlanned(event: CloudEvent<unknown>, { tx }: EventContext): Promise<void> {
    return this.apply(event, tx);
  }

  @OnAttestEvent(ENGAGEMENT_SCOPE_CHANGED)
  onEngagementScopeChanged(event: CloudEvent<unknown>, { tx }: EventContext): Promise<void> {
    return this.apply(event, tx);
  }

  @OnAttestEvent(AUDITOR_INVITED)
  onAuditorInvited(event: CloudEvent<unknown>, { tx }: EventContext): Promise<void> {
    return this.apply(event, tx);
  }

  @OnAttestEvent(AUDITOR_INVITATION_ACCEPTED)
  onAuditorInvitationAccepted(event: CloudEvent<unknown>, { tx }: EventContext): Promise<void> {
    return this.apply(event, tx);
  }

  @OnAttestEvent(AUDITOR_REMOVED)
  onAuditorRemoved(event: CloudEvent<unknown>, { tx }: EventContext): Promise<void> {
    return this.apply(event, tx);
  }

  private async apply(event: CloudEvent<unknown>, tx: EventContext['tx']): Promise<void> {
    const grantEvent = EngagementGrants.grantEventOf(event.type, event.data);
    if (grantEvent) await this.grants.apply(tx, event.tenantid, grantEvent);
  }
}
