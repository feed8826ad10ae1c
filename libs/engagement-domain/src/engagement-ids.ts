import { uuidV5 } from '@attest/catalog';

/**
 * The auditor-engagement context's derived ids. Every public event names its stream by a UUID, and ids derived from
 * what they stand for make generation idempotent: generating the request list again, or recording a result again
 * after a lost answer, finds the same streams instead of creating twins.
 */
export const ENGAGEMENT_ID_NAMESPACE = '72447a8e-2627-4967-a469-c77f52b29a6e';

/** The stream of a control's testing in an engagement (`control-test`): results, exceptions and responses. */
export function controlTestStreamId(engagementId: string, controlId: string): string {
  return uuidV5(`control-test:${engagementId}:${controlId}`, ENGAGEMENT_ID_NAMESPACE);
}

/** The generated request for a control in scope and one of its evidence types (none for a custom control). */
export function controlRequestId(engagementId: string, controlId: string, evidenceType?: string): string {
  return uuidV5(
    `control-request:${engagementId}:${controlId}:${evidenceType ?? ''}`,
    ENGAGEMENT_ID_NAMESPACE,
  );
}

/** The request for one selected item of a sample. */
export function sampleRequestId(sampleId: string, occurrenceId: string): string {
  return uuidV5(`sample-request:${sampleId}:${occurrenceId}`, ENGAGEMENT_ID_NAMESPACE);
}

/**
 * The request raised for an occurrence of a control the Type II observation found no evidence of (its due day):
 * one per engagement, control and day, however often the observation reports it.
 */
export function missedOccurrenceRequestId(engagementId: string, controlId: string, dueOn: string): string {
  return uuidV5(`missed-occurrence-request:${engagementId}:${controlId}:${dueOn}`, ENGAGEMENT_ID_NAMESPACE);
}

/** The occurrence id a missed occurrence's request carries: `missed:<due day>` (a sample's are population ids). */
export function missedOccurrenceId(dueOn: string): string {
  return `missed:${dueOn}`;
}

/**
 * The request reminding management of its bridge letter for the days after an issued Type II report's window: one
 * per engagement and window end, however often the lifecycle reminds.
 */
export function bridgeLetterRequestId(engagementId: string, coveredUntil: string): string {
  return uuidV5(`bridge-letter-request:${engagementId}:${coveredUntil}`, ENGAGEMENT_ID_NAMESPACE);
}

/** The exception a test result with an exception raises: one per result, however often it is recorded. */
export function exceptionIdOf(resultId: string): string {
  return uuidV5(`exception:${resultId}`, ENGAGEMENT_ID_NAMESPACE);
}
