import { eventContexts, topicFor } from '@attest/event-contracts';

/** `ce_source` of everything the readiness service publishes. */
export const READINESS_SOURCE = eventContexts.readiness.source;
/** The public topic: attest.readiness.events.v1. */
export const READINESS_TOPIC = topicFor('readiness');
