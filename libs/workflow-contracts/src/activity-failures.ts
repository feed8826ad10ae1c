/**
 * The failure type of a request the service refused as it is (400, 403, 404, 422, a domain refusal): retrying
 * cannot help. The orchestrator's activities raise it as a non-retryable ApplicationFailure, and the workflows'
 * retry policies name it as non-retryable too. Public: histories and retry policies carry it, so it never changes.
 */
export const VALIDATION_FAILURE = 'ValidationFailure';
